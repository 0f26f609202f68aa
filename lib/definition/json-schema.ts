/**
 * JSON Schemas of the definitions, generated from the same zod schemas `defineService` and
 * `definePlatform` check with. Editors use them for completion and inline errors in YAML or JSON
 * definition files; the package ships them under `ops-constructs/schemas/*.json`.
 * @see https://json-schema.org/draft/2020-12/json-schema-core
 */
import * as z from 'zod';
import { platformFileSchema } from './platform';
import { serviceSchema } from './service';

/** The JSON Schema dialect of the generated schemas. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Where the package publishes each schema, relative to its root. */
export const JSON_SCHEMA_FILES = Object.freeze({ platform: 'lib/definition/schemas/platform.schema.json', service: 'lib/definition/schemas/service.schema.json' });

/** Drops `readOnly`, which zod writes for readonly lists but which tells editors not to write a field. */
function withoutReadOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutReadOnly);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'readOnly').map(([key, v]) => [key, withoutReadOnly(v)]));
  }
  return value;
}

function generate(schema: z.ZodType, title: string): Record<string, unknown> {
  const generated = withoutReadOnly(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' })) as Record<string, unknown>;
  return { ...generated, title };
}

/** The JSON Schema of a service definition (`ServiceDefinitionInput`). */
export function serviceJsonSchema(): Record<string, unknown> {
  return generate(serviceSchema, 'ops-constructs service definition');
}

/** The JSON Schema of a platform definition file: platform settings with its services inline. */
export function platformJsonSchema(): Record<string, unknown> {
  return generate(platformFileSchema, 'ops-constructs platform definition');
}

/** A schema as the file the package ships: two-space JSON and a final newline. */
export function renderJsonSchema(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
