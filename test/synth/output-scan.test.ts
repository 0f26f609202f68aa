import * as fs from 'fs';
import * as path from 'path';
import { OutputScan } from '../../lib/synth/output-scan';
import { SynthCache, synthesizePlatform } from '../../lib/synth';
import { FLEET_DAY, fleetPlatform } from '../../bench/fleet';
import { scratchDir } from '../support/tools';
import { fileTree } from '../support/files';

describe('OutputScan', () => {
  const dir = scratchDir('output-scan');

  it('lists every file under the folders it is given, as fs.readdirSync finds them', () => {
    const root = path.join(dir(), 'root');
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('k8s/dev/a.k8s.yaml', 'a');
    write('k8s/prod/deep/b.yaml', 'bb');
    write('grafana/c.json', 'ccc');
    write('other/d.txt', 'not listed');
    fs.mkdirSync(path.join(root, 'k8s/empty'), { recursive: true });
    const scan = new OutputScan(root, ['k8s', 'grafana', 'missing']);
    const listed = [...(scan.files() ?? [])].sort();
    expect(listed).toEqual(['grafana/c.json', 'k8s/dev/a.k8s.yaml', 'k8s/prod/deep/b.yaml']);
    const walk = (at: string): string[] => fs.readdirSync(path.join(root, at), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(at, e.name)) : [path.join(at, e.name)]));
    expect(listed).toEqual([...walk('k8s'), ...walk('grafana')].sort());
    // Asked again, the same answer without the thread.
    expect([...(scan.files() ?? [])].sort()).toEqual(listed);
  });

  it('gives no answer when its thread has not answered by the deadline, so the caller lists in place', () => {
    // A thread takes milliseconds to start: no deadline at all is always missed.
    const scan = new OutputScan(dir(), ['k8s']);
    expect(scan.files(0)).toBeUndefined();
    expect(scan.files()).toBeUndefined();
  });

  it('lists the folder of an incremental synthesis into a large folder, which still matches a full one byte for byte', () => {
    // Large enough for the scan: more than 2000 recorded files.
    const fleet = fleetPlatform(40);
    const options = { today: FLEET_DAY, enforceReadiness: false } as const;
    const cacheDir = path.join(dir(), 'cache');
    const out = path.join(dir(), 'out');
    synthesizePlatform(fleet, out, { cache: cacheDir, ...options });
    const record = new SynthCache(cacheDir).outputs(out);
    expect(Object.values(record?.units ?? {}).reduce((n, unit) => n + unit.files.length, 0)).toBeGreaterThan(2000);
    const expected = fileTree(out);
    // Hand edits, a removed file and a stray one, then an edit of one service.
    fs.appendFileSync(path.join(out, 'k8s/prod/svc-0003.k8s.yaml'), '# edited by hand\n');
    fs.rmSync(path.join(out, 'grafana/dev/svc-0007.json'));
    fs.writeFileSync(path.join(out, 'prometheus/staging/stray.rules.yaml'), 'groups: []\n');
    const summary = synthesizePlatform(fleet, out, { cache: cacheDir, ...options });
    expect(fileTree(out)).toEqual(expected);
    expect([...summary.files].sort()).toEqual(Object.keys(expected).sort());
    const edited = fleetPlatform(40, 5);
    const after = synthesizePlatform(edited, out, { cache: cacheDir, ...options });
    const full = path.join(dir(), 'full');
    const plain = synthesizePlatform(edited, full, options);
    expect(fileTree(out)).toEqual(fileTree(full));
    expect(after.files).toEqual(plain.files);
  });
});
