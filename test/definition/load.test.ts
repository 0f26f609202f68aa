import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { platform as example } from '../../apps/platform';
import { DefinitionError, JSON_SCHEMA_FILES, loadPlatform, parsePlatform, platformJsonSchema, renderJsonSchema, serviceJsonSchema } from '../../lib/definition';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE_YAML = path.join(ROOT, 'apps/platform.yaml');

function linesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).lines;
  }
  throw new Error('expected a DefinitionError');
}

/** The example platform file with one edit applied to its text. */
function edited(from: string, to: string): string {
  const text = fs.readFileSync(EXAMPLE_YAML, 'utf8');
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe('loadPlatform', () => {
  it('reads the example platform file into the same platform as the TypeScript definition', () => {
    const loaded = loadPlatform(EXAMPLE_YAML);
    expect(JSON.parse(JSON.stringify(loaded))).toEqual(JSON.parse(JSON.stringify(example)));
  });

  it('reads JSON as well as YAML', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-load-'));
    const file = path.join(dir, 'platform.json');
    fs.writeFileSync(file, JSON.stringify(parse(fs.readFileSync(EXAMPLE_YAML, 'utf8'))));
    expect(loadPlatform(file).services.map((s) => s.name)).toEqual(example.services.map((s) => s.name));
  });

  it('points at the line and column of a misspelt key, with a hint', () => {
    const text = edited('  highOutsideBusinessHours: payments-chat\n', '  highOutsideBusinesHours: payments-chat\n');
    const line = text.split('\n').findIndex((l) => l.includes('highOutsideBusinesHours')) + 1;
    expect(linesOf(() => parsePlatform(text, 'platform.yaml'))).toEqual([
      `platform.yaml:${line}:3: shop.defaultAlertRouting.highOutsideBusinesHours: is not a known field; did you mean highOutsideBusinessHours? (got "payments-chat")`,
    ]);
  });

  it('points at the field of a service inside the file', () => {
    const text = edited('objective: 99.9\n', 'objective: 100\n');
    const line = text.split('\n').findIndex((l) => l.endsWith('objective: 100')) + 1;
    const col = text.split('\n')[line - 1].indexOf('objective') + 1;
    expect(linesOf(() => parsePlatform(text, 'platform.yaml'))).toEqual([
      `platform.yaml:${line}:${col}: checkout.slos[0].objective: must be a percentage strictly between 0 and 100 (e.g. 99.9) (got 100)`,
    ]);
  });

  it('points at a platform rule that spans services at the service that breaks it', () => {
    const text = edited('  - name: catalog\n', '  - name: checkout\n');
    const line = text.split('\n').findIndex((l, i, all) => l === '  - name: checkout' && all.slice(0, i).some((x) => x === '  - name: checkout')) + 1;
    const dependsOn = text.split('\n').findIndex((l) => l.includes('dependsOn:')) + 1;
    expect(linesOf(() => parsePlatform(text, 'platform.yaml'))).toEqual([
      `platform.yaml:${dependsOn + 1}:9: checkout.dependsOn[0]: must name a service of the platform (got "catalog")`,
      `platform.yaml:${line}:5: shop.services[1].name: duplicates services[0]: service names must be unique in a platform (got "checkout")`,
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const lines = linesOf(() => parsePlatform('name: shop\nenvironments: [dev\n', 'broken.yaml'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^broken\.yaml:\d+:\d+: yaml: is not valid: /);
  });

  it('refuses duplicate keys, which YAML readers resolve differently', () => {
    expect(linesOf(() => parsePlatform('name: shop\nname: other\n', 'dup.yaml'))).toEqual(['dup.yaml:2:1: yaml: is not valid: Map keys must be unique (got "name: other")']);
  });

  it('refuses unknown YAML tags instead of reading them as text', () => {
    expect(linesOf(() => parsePlatform('name: !!js/function shop\n', 'tag.yaml'))[0]).toMatch(/^tag\.yaml:1:7: yaml: is not valid: .*js\/function/);
  });

  it('refuses an alias bomb with a DefinitionError', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(linesOf(() => parsePlatform(bomb, 'bomb.yaml'))[0]).toMatch(/^bomb\.yaml:1:1: yaml: cannot be read: /);
  });

  it('reads on, no and yes as strings (YAML 1.2), so a production flag written yes is refused, not taken as true', () => {
    const text = edited('    production: true\n', '    production: yes\n');
    const line = text.split('\n').findIndex((l) => l === '    production: yes') + 1;
    expect(linesOf(() => parsePlatform(text, 'platform.yaml'))).toEqual([`platform.yaml:${line}:5: shop.environments[2].production: must be true or false (got "yes")`]);
  });

  it('reports a file that is not a platform at all as one issue', () => {
    expect(linesOf(() => parsePlatform('- a\n- b\n', 'list.yaml'))).toEqual(['list.yaml:1:1: <platform>: must be an object (got ["a","b"])']);
  });
});

describe('the published JSON Schemas', () => {
  it('are the committed files, regenerated by npm run schemas', () => {
    expect(fs.readFileSync(path.join(ROOT, JSON_SCHEMA_FILES.platform), 'utf8')).toBe(renderJsonSchema(platformJsonSchema()));
    expect(fs.readFileSync(path.join(ROOT, JSON_SCHEMA_FILES.service), 'utf8')).toBe(renderJsonSchema(serviceJsonSchema()));
  });

  it('accept the example platform file and refuse a misspelt key, as an editor would show it', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(platformJsonSchema());
    const data = parse(fs.readFileSync(EXAMPLE_YAML, 'utf8'));
    expect(validate(data)).toBe(true);
    const misspelt = { ...data, defaultRouting: data.defaultAlertRouting };
    expect(validate(misspelt)).toBe(false);
    expect(validate.errors?.map((e) => [e.keyword, e.params])).toContainEqual(['additionalProperties', { additionalProperty: 'defaultRouting' }]);
  });

  it('describe each service with its own schema too', () => {
    const validate = new Ajv2020({ strict: false }).compile(serviceJsonSchema());
    expect(validate(example.services[0].input)).toBe(true);
    expect(validate({ ...example.services[0].input, replica: 3 })).toBe(false);
  });
});
