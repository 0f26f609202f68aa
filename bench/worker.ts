/**
 * One benchmark measurement in a fresh process, so peak memory belongs to it alone.
 * Usage:
 *   worker.ts <services> full|define|<side>     synthesize the generated fleet (or only define it)
 *   worker.ts <services> source <dir>           write the fleet's output to <dir>, untimed input of `floor`
 *   worker.ts <services> floor <dir>            emit the files in <dir> again with no library logic
 *   worker.ts <services> cached <cache> [edit] [<dir>]  full synth through a cache folder; with `edit`, service 0
 *                                               changed; with <dir>, into that folder (kept between runs, as a
 *                                               working copy's output is), else into a new one
 *   worker.ts <services> shard <i/n> <dir>      one shard of the full synth, written to <dir>
 *   worker.ts <services> jobs <n>               the full synth on n threads (synthesizePlatform's jobs)
 * Prints one JSON line: { services, side, ms, defineMs, maxRssMb, files }.
 * Source maps stay as tsx sets them, as users run `npm run synth`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { App as TerraformApp, DISABLE_STACK_TRACE_IN_METADATA, TerraformResource, TerraformStack } from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { FileWriter } from '../lib/private/file-writer';
import { toYaml, toYamlDocuments } from '../lib/private/yaml';
import { ALL_SIDES, OutputSide, parseShard, synthesizePlatform } from '../lib';
import { FLEET_DAY, fleetPlatform } from './fleet';
import { Measurement } from './measurement';

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

type TerraformJson = Record<string, unknown> & { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** Terraform JSON again through raw cdktf: one untyped `TerraformResource` per resource, the other blocks as overrides. */
function emitTerraform(file: string, json: TerraformJson, outdir: string): void {
  const stackName = path.basename(path.dirname(file));
  const app = new TerraformApp({ outdir, context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
  const stack = new TerraformStack(app, stackName);
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(resources)) {
      const resource = new TerraformResource(stack, `${type}.${name}`, { terraformResourceType: type });
      for (const [key, value] of Object.entries(body)) resource.addOverride(key, value);
    }
  }
  for (const [key, value] of Object.entries(json)) if (key !== 'resource' && key !== '//') stack.addOverride(key, value);
  app.synth();
}

/**
 * Writes the given files again with no library logic: raw ApiObjects in a chart for manifests,
 * raw cdktf for Terraform, and for every YAML and JSON file the same serializer and the same
 * file writer as the library's, so the floor pays what the full synthesis pays for output.
 */
function emitRaw(files: { path: string; docs: unknown[]; text?: string }[], outdir: string): void {
  const writer = new FileWriter();
  for (const file of files) {
    const target = path.join(outdir, file.path);
    if (file.text !== undefined) {
      writer.write(target, file.text);
    } else if (file.path.endsWith('.k8s.yaml')) {
      const chart = new Chart(new App(), path.basename(target, '.k8s.yaml'), { disableResourceNameHashes: true });
      file.docs.forEach((doc, i) => {
        const object = doc as { apiVersion: string; kind: string; metadata: { name: string } };
        new ApiObject(chart, `o${i}`, object);
      });
      writer.write(target, toYamlDocuments(chart.toJson()));
    } else if (file.path.endsWith('cdk.tf.json')) {
      emitTerraform(file.path, file.docs[0] as TerraformJson, path.join(outdir, 'gcp'));
    } else {
      writer.write(target, file.path.endsWith('.json') ? JSON.stringify(file.docs[0], null, 2) : file.docs.map((d) => toYaml(d)).join('---\n'));
    }
  }
  writer.close();
}

function readOutput(dir: string): { path: string; docs: unknown[]; text?: string }[] {
  const list = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.relative(dir, path.join(d, e.name))]));
  return list(dir)
    .filter((file) => !file.endsWith('manifest.json'))
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      // Markdown (runbooks, readiness) is text: the floor writes it back as it is.
      if (file.endsWith('.md')) return { path: file, docs: [], text };
      return { path: file, docs: file.endsWith('.json') ? [JSON.parse(text)] : parseAllDocuments(text).map((d) => d.toJS()) };
    });
}

function main(): void {
  const services = Number(process.argv[2]);
  const side = process.argv[3] ?? 'full';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${side}-`));
  let ms: number;
  let defineMs = 0;
  let files = 0;
  if (side === 'source') {
    synthesizePlatform(fleetPlatform(services), process.argv[4], { today: FLEET_DAY });
    ms = 0;
  } else if (side === 'floor') {
    // Reading the input is not timed; the synthesis that wrote it ran in another process.
    const parsed = readOutput(process.argv[4]);
    const start = process.hrtime.bigint();
    emitRaw(parsed, path.join(outdir, 'floor'));
    ms = elapsed(start);
    files = parsed.length;
  } else if (side === 'cached' || side === 'shard') {
    const start = process.hrtime.bigint();
    const rest = process.argv.slice(5);
    const platform = fleetPlatform(services, side === 'cached' && rest[0] === 'edit' ? 0 : undefined);
    defineMs = elapsed(start);
    const options = { today: FLEET_DAY, ...(side === 'cached' ? { cache: process.argv[4] } : { shard: parseShard(process.argv[4]) }) };
    const target = side === 'shard' ? rest[0] : (rest.find((arg) => arg !== 'edit') ?? outdir);
    files = synthesizePlatform(platform, target, options).files.length;
    ms = elapsed(start);
  } else {
    const start = process.hrtime.bigint();
    const platform = fleetPlatform(services);
    defineMs = elapsed(start);
    if (side !== 'define') {
      const sides: readonly OutputSide[] = side === 'full' || side === 'jobs' ? ALL_SIDES : [side as OutputSide];
      const jobs = side === 'jobs' ? Number(process.argv[4]) : 1;
      files = synthesizePlatform(platform, outdir, { sides, jobs, today: FLEET_DAY }).files.length;
    }
    ms = elapsed(start);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  const result: Measurement = { services, side, ms, defineMs, maxRssMb: process.resourceUsage().maxRSS / 1024, files };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
