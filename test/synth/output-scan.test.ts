import * as fs from 'fs';
import * as path from 'path';
import { OutputScan, sameFile } from '../../lib/synth/output-scan';
import { SynthCache, synthesizePlatform } from '../../lib/synth';
import { FLEET_DAY, fleetPlatform } from '../../bench/fleet';
import { scratchDir } from '../support/tools';
import { fileTree } from '../support/files';

describe('OutputScan', () => {
  const dir = scratchDir('output-scan');

  it('finds every file under the folders it is given, with the size and time fs.statSync gives', () => {
    const root = path.join(dir(), 'root');
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('k8s/dev/a.k8s.yaml', 'a');
    write('k8s/prod/deep/b.yaml', 'bb');
    write('grafana/c.json', 'ccc');
    write('other/d.txt', 'not scanned');
    fs.mkdirSync(path.join(root, 'k8s/empty'), { recursive: true });
    const scan = new OutputScan(root, ['k8s', 'grafana', 'missing']);
    expect([...scan.files().keys()].sort()).toEqual(['grafana/c.json', 'k8s/dev/a.k8s.yaml', 'k8s/prod/deep/b.yaml']);
    for (const file of scan.files().keys()) {
      const stat = fs.statSync(path.join(root, file));
      expect(scan.stat(file)).toEqual({ size: stat.size, mtimeMs: stat.mtimeMs });
      expect(sameFile(scan.stat(file), { size: stat.size, mtimeMs: stat.mtimeMs })).toBe(true);
      expect(sameFile(scan.stat(file), { size: stat.size + 1, mtimeMs: stat.mtimeMs })).toBe(false);
    }
    expect(scan.covers('k8s/dev/a.k8s.yaml')).toBe(true);
    expect(scan.covers('other/d.txt')).toBe(false);
    expect(scan.covers('readiness.md')).toBe(false);
    expect(scan.stat('k8s/dev/none.yaml')).toBeUndefined();
    expect(sameFile(undefined, { size: 1, mtimeMs: 1 })).toBe(false);
  });

  it('scans the folder of an incremental synthesis into a large folder, which still matches a full one byte for byte', () => {
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
