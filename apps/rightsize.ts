/**
 * `npm run rightsize -- --prometheus http://127.0.0.1:9090 [--env prod] [--service checkout]
 * [--definition platform.yaml] [--format diff|json]`: `ops-constructs rightsize` (lib/cli), on the
 * example platform unless `--definition` names another. The script's earlier names of two options
 * still work: `--platform` for `--definition`, `--environment` for `--env`.
 */
import * as path from 'path';
import { main } from '../lib/cli';

const RENAMED: Readonly<Record<string, string>> = { '--platform': '--definition', '--environment': '--env' };

const args = process.argv.slice(2).map((arg) => {
  const [name, ...value] = arg.split('=');
  const renamed = RENAMED[name];
  return renamed === undefined ? arg : [renamed, ...value].join('=');
});
const definition = args.some((arg) => /^(-d|--definition)(=|$)/.test(arg)) ? [] : ['--definition', path.join(__dirname, 'platform.ts')];

main(['rightsize', ...definition, ...args]).then((code) => {
  process.exitCode = code;
});
