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

function generate(schema: z.ZodType, title: string): Record<string, unknown> {
  return { ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }), title };
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
