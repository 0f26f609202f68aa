/**
 * The files the restore test reads its checks from: per check, `<n>-<name>.sql` holding the
 * query and `<n>-<name>.min` holding its floor, numbered in the definition's order. The script
 * reads each query from its file into one argument of `psql -c`: no query passes through a shell.
 */
import { RestoreCheckQuery } from '../definition';

/** The check files of a restore test, by file name (ConfigMap keys). */
export function restoreCheckFiles(checks: readonly RestoreCheckQuery[]): Record<string, string> {
  const width = String(checks.length).length;
  const files: Record<string, string> = {};
  checks.forEach((check, i) => {
    const base = `${String(i + 1).padStart(Math.max(2, width), '0')}-${check.name}`;
    files[`${base}.sql`] = `${check.query}\n`;
    files[`${base}.min`] = `${check.min}\n`;
  });
  return files;
}
