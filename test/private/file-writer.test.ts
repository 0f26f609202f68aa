import * as fs from 'fs';
import * as path from 'path';
import { FileWriter } from '../../lib/private/file-writer';
import { scratchDir } from '../support/tools';

const dir = scratchDir('file-writer');

/** Files of a folder tree with their content. */
function tree(root: string, at = root, into: Record<string, string> = {}): Record<string, string> {
  for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
    const full = path.join(at, entry.name);
    if (entry.isDirectory()) tree(root, full, into);
    else into[path.relative(root, full)] = fs.readFileSync(full, 'utf8');
  }
  return into;
}

/** A few hundred files in nested folders, some large, some non-ASCII. */
const FILES = Array.from({ length: 300 }, (_, i) => ({ path: `env-${i % 3}/svc-${i % 7}/file-${i}.yaml`, content: `${'é∑😀 '.repeat(i % 5)}line ${i}\n`.repeat(1 + (i % 50) * 40) }));

/** A new folder holding a file named `blocked`, where a folder must go: every write below it fails. */
function blockedFolder(name: string): string {
  const out = path.join(dir(), name);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'blocked'), '');
  return out;
}

describe('FileWriter', () => {
  it('writes small outputs in place, without a thread, by default', () => {
    const out = path.join(dir(), 'small');
    const writer = new FileWriter();
    for (const file of FILES.slice(0, 20)) writer.write(path.join(out, file.path), file.content);
    expect(writer.threaded).toBe(false);
    // In place: the files are there before close.
    expect(fs.readFileSync(path.join(out, FILES[3].path), 'utf8')).toBe(FILES[3].content);
    writer.close();
  });

  it('hands files to its thread after `threadAfter` and has every byte on disk when close returns', () => {
    const out = path.join(dir(), 'threaded');
    const writer = new FileWriter({ threadAfter: 10 });
    for (const file of FILES) writer.write(path.join(out, file.path), file.content);
    expect(writer.threaded).toBe(true);
    expect(writer.files).toBe(FILES.length);
    writer.close();
    expect(tree(out)).toEqual(Object.fromEntries(FILES.map((file) => [file.path, file.content])));
  });

  it('keeps the order of writes to one path, so the last one wins', () => {
    const out = path.join(dir(), 'order');
    const writer = new FileWriter({ threadAfter: 0 });
    for (let i = 0; i < 50; i++) writer.write(path.join(out, 'same.txt'), `version ${i}\n`);
    writer.close();
    expect(fs.readFileSync(path.join(out, 'same.txt'), 'utf8')).toBe('version 49\n');
  });

  it('waits for its thread when more than maxPendingChars are handed over, and still writes everything', () => {
    const out = path.join(dir(), 'bounded');
    const writer = new FileWriter({ threadAfter: 0, maxPendingChars: 1000 });
    for (const file of FILES) writer.write(path.join(out, file.path), file.content);
    writer.close();
    expect(Object.keys(tree(out))).toHaveLength(FILES.length);
  });

  it('throws on close the first write that failed, naming the file', () => {
    const out = blockedFolder('failing');
    const writer = new FileWriter({ threadAfter: 0 });
    writer.write(path.join(out, 'fine.txt'), 'ok');
    writer.write(path.join(out, 'blocked', 'a.txt'), 'a');
    writer.write(path.join(out, 'blocked', 'b.txt'), 'b');
    expect(() => writer.close()).toThrow(`could not write ${path.join(out, 'blocked', 'a.txt')}: EEXIST`);
    expect(fs.readFileSync(path.join(out, 'fine.txt'), 'utf8')).toBe('ok');
  });

  it('reports a failure in place at once when no thread runs', () => {
    const out = blockedFolder('failing-in-place');
    const writer = new FileWriter();
    expect(() => writer.write(path.join(out, 'blocked', 'a.txt'), 'a')).toThrow(/EEXIST/);
  });

  it('dispose waits for the writes without throwing, and a closed writer refuses more', () => {
    const out = blockedFolder('disposed');
    const writer = new FileWriter({ threadAfter: 0 });
    writer.write(path.join(out, 'kept.txt'), 'kept');
    writer.write(path.join(out, 'blocked', 'a.txt'), 'a');
    expect(() => writer.dispose()).not.toThrow();
    expect(fs.readFileSync(path.join(out, 'kept.txt'), 'utf8')).toBe('kept');
    expect(() => writer.write(path.join(out, 'late.txt'), 'late')).toThrow(`file writer is closed; cannot write ${path.join(out, 'late.txt')}`);
    expect(() => writer.close()).not.toThrow();
  });
});
