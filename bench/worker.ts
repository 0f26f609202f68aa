/**
 * One benchmark measurement in a fresh process, so peak memory belongs to it alone.
 * Usage: worker.ts <services> <side>   side: full | floor | one output side (k8s, ...)
 * Prints one JSON line: { services, side, ms, defineMs, maxRssMb, files }.
 */
// Measure the library as it runs compiled: tsx's source maps make every stack capture (cdktf takes
// one per token) several times slower.
process.setSourceMapsEnabled(false);

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { ALL_SIDES, OutputSide, synthesizePlatform } from '../lib';
import { fleetPlatform } from './fleet';
import { Measurement } from './measurement';


function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Writes the given files again with no library logic: raw ApiObjects for manifests, plain serializers for the rest. */
function emitRaw(files: { path: string; docs: unknown[] }[], outdir: string): void {
  for (const file of files) {
    const target = path.join(outdir, file.path);
    if (file.path.endsWith('.k8s.yaml')) {
      const app = new App({ outdir: path.dirname(target), yamlOutputType: YamlOutputType.FILE_PER_CHART });
      const chart = new Chart(app, path.basename(target, '.k8s.yaml'), { disableResourceNameHashes: true });
      file.docs.forEach((doc, i) => {
        const object = doc as { apiVersion: string; kind: string; metadata: { name: string } };
        new ApiObject(chart, `o${i}`, object);
      });
      app.synth();
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.path.endsWith('.json') ? JSON.stringify(file.docs[0], null, 2) : file.docs.map((d) => stringify(d)).join('---\n'));
    }
  }
}

function main(): void {
  const services = Number(process.argv[2]);
  const side = process.argv[3] ?? 'full';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${side}-`));
  let ms: number;
  let defineMs = 0;
  let files: number;
  if (side === 'floor') {
    // Untimed: the library's own output, read back as plain objects.
    const summary = synthesizePlatform(fleetPlatform(services), path.join(outdir, 'source'));
    const parsed = summary.files.map((file) => {
      const text = fs.readFileSync(path.join(outdir, 'source', file), 'utf8');
      return { path: file, docs: file.endsWith('.json') ? [JSON.parse(text)] : parseAllDocuments(text).map((d) => d.toJS()) };
    });
    const start = process.hrtime.bigint();
    emitRaw(parsed, path.join(outdir, 'floor'));
    ms = elapsed(start);
    files = parsed.length;
  } else {
    const sides: readonly OutputSide[] = side === 'full' ? ALL_SIDES : [side as OutputSide];
    const start = process.hrtime.bigint();
    const platform = fleetPlatform(services);
    defineMs = elapsed(start);
    files = synthesizePlatform(platform, outdir, { sides }).files.length;
    ms = elapsed(start);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  const result: Measurement = { services, side, ms, defineMs, maxRssMb: process.resourceUsage().maxRSS / 1024, files };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
