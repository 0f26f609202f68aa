import * as fs from 'fs';
import * as path from 'path';
import { OutputScan } from '../../lib/synth/output-scan';
import { RecordedFile, SynthCache, synthesizePlatform } from '../../lib/synth';
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
    const listed = [...(scan.answer()?.files ?? [])].sort();
    expect(listed).toEqual(['grafana/c.json', 'k8s/dev/a.k8s.yaml', 'k8s/prod/deep/b.yaml']);
    const walk = (at: string): string[] => fs.readdirSync(path.join(root, at), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(at, e.name)) : [path.join(at, e.name)]));
    expect(listed).toEqual([...walk('k8s'), ...walk('grafana')].sort());
    // Asked again, the same answer without the thread.
    expect([...(scan.answer()?.files ?? [])].sort()).toEqual(listed);
  });

  it('gives no answer when its thread has not answered by the deadline, so the caller lists in place', () => {
    // A thread takes milliseconds to start: no deadline at all is always missed.
    const scan = new OutputScan(dir(), ['k8s']);
    expect(scan.answer(0)).toBeUndefined();
    expect(scan.answer()).toBeUndefined();
  });

  it('names the recorded files that are gone, or whose size or modification time differ', () => {
    const root = path.join(dir(), 'root');
    fs.mkdirSync(path.join(root, 'k8s/dev/folder'), { recursive: true });
    for (const name of ['same', 'longer', 'touched']) fs.writeFileSync(path.join(root, 'k8s/dev', name), 'abc');
    const recordOf = (file: string): RecordedFile => {
      const stat = fs.statSync(path.join(root, file));
      return { path: file, size: stat.size, mtimeMs: stat.mtimeMs };
    };
    const recorded = ['k8s/dev/same', 'k8s/dev/longer', 'k8s/dev/touched'].map(recordOf);
    fs.appendFileSync(path.join(root, 'k8s/dev/longer'), 'd');
    // Same size, later modification time, as an editor saving the same length leaves it.
    fs.utimesSync(path.join(root, 'k8s/dev/touched'), new Date(), new Date(Date.now() + 5000));
    recorded.push({ path: 'k8s/dev/gone', size: 3, mtimeMs: recorded[0].mtimeMs }, { path: 'k8s/dev/folder', size: 3, mtimeMs: recorded[0].mtimeMs });
    const answer = new OutputScan(root, ['k8s'], recorded).answer();
    expect([...(answer?.changed ?? ['no answer'])].sort()).toEqual(['k8s/dev/folder', 'k8s/dev/gone', 'k8s/dev/longer', 'k8s/dev/touched']);
    // Nothing recorded, nothing changed; the listing is the same.
    expect(new OutputScan(root, ['k8s']).answer()?.changed.size).toBe(0);
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
    // Without the thread's answer, the kept files are checked in place: a hand edit is still undone.
    const noAnswer = jest.spyOn(OutputScan.prototype, 'answer').mockReturnValue(undefined);
    try {
      fs.appendFileSync(path.join(out, 'prometheus/dev/svc-0009.rules.yaml'), 'edited by hand\n');
      synthesizePlatform(fleet, out, { cache: cacheDir, ...options });
      expect(noAnswer).toHaveBeenCalled();
    } finally {
      noAnswer.mockRestore();
    }
    expect(fileTree(out)).toEqual(expected);
    const edited = fleetPlatform(40, 5);
    const after = synthesizePlatform(edited, out, { cache: cacheDir, ...options });
    const full = path.join(dir(), 'full');
    const plain = synthesizePlatform(edited, full, options);
    expect(fileTree(out)).toEqual(fileTree(full));
    expect(after.files).toEqual(plain.files);
  });
});
