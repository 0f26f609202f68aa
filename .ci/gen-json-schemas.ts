/**
 * Writes the JSON Schemas of the service and platform definitions that the package ships
 * (`npm run schemas`). The definition's tests fail when the committed files are stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { JSON_SCHEMA_FILES, platformJsonSchema, renderJsonSchema, serviceJsonSchema } from '../lib/definition/json-schema';

const root = path.resolve(__dirname, '..');
const schemas = { platform: platformJsonSchema(), service: serviceJsonSchema() };
for (const [name, file] of Object.entries(JSON_SCHEMA_FILES)) {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, renderJsonSchema(schemas[name as keyof typeof schemas]));
  console.log(`wrote ${file}`);
}
