import * as fs from 'fs';
import * as path from 'path';
import { OutputFileText } from './output-objects';
import { byString } from '../private/data';

/**
 * Every file under an output folder, with paths relative to it (`/`-separated) and its text,
 * sorted by path. Throws when the folder does not exist or is not a folder.
 */
export function readOutputFiles(dir: string): OutputFileText[] {
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no such folder`);
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder`);
  const files: OutputFileText[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push({ path: path.relative(dir, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return files.sort((a, b) => byString(a.path, b.path));
}
