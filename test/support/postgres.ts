/**
 * A real PostgreSQL for the tests of the backup and restore scripts: a cluster made with initdb
 * in a scratch folder, served on 127.0.0.1 (a free port, password authentication) and on a Unix
 * socket in that folder (trust, for the test's own setup), stopped and removed afterwards.
 * PostgreSQL refuses to run as root: as root, every command runs as the `postgres` user.
 */
import { SpawnSyncReturns, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './servers';
import { toolPath } from './tools';

/** What a command run as the server's user returned. */
export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running PostgreSQL server. */
export interface PostgresServer {
  /** The scratch folder: cluster, socket, and room for the test's files (owned by the server's user). */
  readonly dir: string;
  /** The TCP port on 127.0.0.1. */
  readonly port: number;
  /** Runs a command as the server's user with exactly `env` (plus PATH with PostgreSQL's programs). */
  run(command: string, args: readonly string[], env?: Readonly<Record<string, string>>): CommandResult;
  /** Runs SQL as the superuser over the socket; throws with psql's message when it fails. */
  sql(database: string, statements: string): string;
  /** A folder inside `dir`, made and owned by the server's user. */
  folder(name: string): string;
  /** Stops the server and removes the folder. */
  stop(): void;
}

const USER = 'postgres';

function asServerUser(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function ownerIds(): { uid: number; gid: number } | undefined {
  if (!asServerUser()) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, USER], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function result(r: SpawnSyncReturns<string>): CommandResult {
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Runs a command as the server's user (when root) with a clean environment. */
function runAs(command: string, args: readonly string[], env: Readonly<Record<string, string>>): CommandResult {
  const pairs = Object.entries({ PATH: toolPath(), LC_ALL: 'C.UTF-8', ...env }).map(([k, v]) => `${k}=${v}`);
  const argv = asServerUser() ? ['runuser', '-u', USER, '--', 'env', '-i', ...pairs, command, ...args] : ['env', '-i', ...pairs, command, ...args];
  return result(spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 120_000, cwd: os.tmpdir() }));
}

/** Makes a cluster and starts it; call `stop()` when done. */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-constructs-pg-'));
  const owner = ownerIds();
  const chown = (p: string) => {
    if (owner !== undefined) fs.chownSync(p, owner.uid, owner.gid);
  };
  chown(dir);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const must = (what: string, r: CommandResult): CommandResult => {
    if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stdout}${r.stderr}`);
    return r;
  };
  must('initdb', runAs('initdb', ['-D', data, '-U', USER, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--no-sync'], {}));
  must('pg_ctl start', runAs('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start'], {}));
  const server: PostgresServer = {
    dir,
    port,
    run: (command, args, env = {}) => runAs(command, args, env),
    sql: (database, statements) => must(`psql ${database}`, runAs('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', USER, '-d', database, '-c', statements], {})).stdout,
    folder: (name) => {
      const folder = path.join(dir, name);
      fs.mkdirSync(folder, { recursive: true });
      chown(folder);
      return folder;
    },
    stop: () => {
      runAs('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
