import * as fs from 'fs';
import * as path from 'path';
import { RestoreCheckQuery } from '../../../lib/definition';
import { restoreCheckFiles } from '../../../lib/ops/restore-check-files';
import { PostgresServer, startPostgres } from '../../support/postgres';
import { describeWithTool, postgresBin } from '../../support/tools';

const SCRIPTS = path.join(__dirname, '../../../lib/ops/scripts');
const PASSWORD = 'backup-pw-1';
const DUMP_NAME = /^orders-\d{8}T\d{6}Z\.dump$/;

const CHECKS: readonly RestoreCheckQuery[] = [
  { name: 'orders-rows', query: 'SELECT count(*) FROM orders', min: 1000 },
  { name: 'customers-rows', query: "-- customers with a name\nSELECT count(*) FROM customers WHERE name <> ''", min: 10 },
  { name: 'revenue', query: 'SELECT sum(amount) FROM orders;', min: 0.5 },
];

describeWithTool('pg_ctl', 'the backup and restore-test scripts against a real PostgreSQL', () => {
  let pg: PostgresServer;
  let scripts: string;
  let counter = 0;

  /** A fresh folder owned by the server's user. */
  const folder = (name: string): string => pg.folder(`${name}-${++counter}`);

  /** The environment of the backup job, with the database user's password as the Secret gives it. */
  const libpq = (changes: Record<string, string> = {}): Record<string, string> => ({ PGHOST: '127.0.0.1', PGPORT: String(pg.port), PGDATABASE: 'orders', PGUSER: 'shop', PGPASSWORD: PASSWORD, ...changes });

  const backup = (destination: string, env: Record<string, string> = {}) => pg.run('sh', [path.join(scripts, 'backup.sh'), 'all'], { ...libpq(), BACKUP_DESTINATION: destination, BACKUP_WORKDIR: folder('backup-work'), ...env });

  /** Writes the check files as the ConfigMap holds them. */
  const checksDir = (checks: readonly RestoreCheckQuery[]): string => {
    const dir = folder('checks');
    for (const [file, text] of Object.entries(restoreCheckFiles(checks))) fs.writeFileSync(path.join(dir, file), text);
    return dir;
  };

  /** The restore test into a scratch database on the test server (libpq), or on a server of its own. */
  const restoreCheck = (destination: string, checks: readonly RestoreCheckQuery[] = CHECKS, env: Record<string, string> = {}) =>
    pg.run('sh', [path.join(scripts, 'restore-check.sh'), 'all'], {
      BACKUP_DESTINATION: destination,
      BACKUP_NAME: 'orders',
      RESTORE_WORKDIR: folder('restore-work'),
      RESTORE_CHECKS_DIR: checksDir(checks),
      RESTORE_SERVER: 'libpq',
      PGHOST: '127.0.0.1',
      PGPORT: String(pg.port),
      PGUSER: 'shop',
      PGPASSWORD: PASSWORD,
      PGDATABASE: 'postgres',
      ...env,
    });

  const dumps = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.endsWith('.dump')).sort();

  beforeAll(async () => {
    pg = await startPostgres();
    // The scripts run as the server's user, who may not read the checkout: they run from a copy.
    scripts = pg.folder('scripts');
    for (const file of ['backup.sh', 'restore-check.sh']) fs.copyFileSync(path.join(SCRIPTS, file), path.join(scripts, file));
    pg.sql('postgres', `CREATE ROLE shop LOGIN CREATEDB PASSWORD '${PASSWORD}'`);
    pg.sql('postgres', 'CREATE DATABASE orders OWNER shop');
    pg.sql(
      'orders',
      [
        'SET ROLE shop',
        'CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)',
        "INSERT INTO customers SELECT i, 'customer ' || i FROM generate_series(1, 50) i",
        'CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, amount numeric NOT NULL, note text)',
        "INSERT INTO orders SELECT i, 1 + i % 50, i * 0.01, 'order ' || i || '; $(touch /tmp/pwned) '' \" `id`' FROM generate_series(1, 1000) i",
        'CREATE INDEX orders_customer ON orders (customer)',
      ].join('; '),
    );
  });

  afterAll(() => pg?.stop());

  it('backs up to a local folder with pg_dump --format=custom and logs each step as JSON', () => {
    const destination = folder('backups');
    const run = backup(destination);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [dump] = dumps(destination);
    expect(dump).toMatch(DUMP_NAME);
    expect(fs.readFileSync(path.join(destination, dump)).subarray(0, 5).toString()).toBe('PGDMP');
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { job: 'database-backup', step: 'dump', file: dump },
      { job: 'database-backup', step: 'dump', bytes: String(fs.statSync(path.join(destination, dump)).size) },
      { job: 'database-backup', step: 'upload', destination: `${destination}/${dump}` },
    ]);
    expect(fs.readdirSync(destination)).toEqual([dump]);
  });

  it('fails and writes nothing when the credentials are wrong', () => {
    const destination = folder('backups');
    const run = backup(destination, { PGPASSWORD: 'wrong' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('password authentication failed for user "shop"');
    expect(run.stderr).toContain('backup failed: pg_dump of database orders on 127.0.0.1 exited non-zero');
    expect(fs.readdirSync(destination)).toEqual([]);
  });

  it('restores the latest backup into a scratch database, runs every check, and drops the copy', () => {
    const destination = folder('backups');
    expect(backup(destination).status).toBe(0);
    const run = restoreCheck(destination);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.check !== undefined)).toEqual([
      { job: 'database-restore-check', check: 'orders-rows', value: 1000, min: 1000, result: 'pass' },
      { job: 'database-restore-check', check: 'customers-rows', value: 50, min: 10, result: 'pass' },
      { job: 'database-restore-check', check: 'revenue', value: 5005, min: 0.5, result: 'pass' },
    ]);
    expect(lines[lines.length - 1]).toEqual({ job: 'database-restore-check', step: 'verify', checks: '3 passed' });
    expect(pg.sql('postgres', "SELECT count(*) FROM pg_database WHERE datname = 'restore_check'").trim()).toBe('0');
    // The copy held the data as written, quotes and shell syntax included, and nothing ran it.
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
  });

  it('fails when a check is under its floor, naming the check, its value and the floor, after running every check', () => {
    const destination = folder('backups');
    expect(backup(destination).status).toBe(0);
    const run = restoreCheck(destination, [{ ...CHECKS[0], min: 1001 }, CHECKS[1], { name: 'no-refunds', query: 'SELECT count(*) FROM orders WHERE amount < 0', min: 1 }]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'check orders-rows: 1000 is under its floor 1001',
      'check no-refunds: 0 is under its floor 1',
      'restore check failed: 2 of 3 checks failed on the restored copy of ' + dumps(destination)[0],
    ]);
    expect(run.stdout).toContain('"check":"customers-rows","value":50,"min":10,"result":"pass"');
  });

  it('fails when the dump is corrupt', () => {
    const destination = folder('backups');
    expect(backup(destination).status).toBe(0);
    const [good] = dumps(destination);
    const bytes = fs.readFileSync(path.join(destination, good));
    // Overwrite the compressed table data after the table of contents.
    for (let i = Math.floor(bytes.length * 0.6); i < bytes.length - 16; i += 7) bytes[i] ^= 0x5a;
    fs.writeFileSync(path.join(destination, 'orders-29991231T235959Z.dump'), bytes);
    const run = restoreCheck(destination);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/restore check failed: the dump orders-29991231T235959Z\.dump is corrupt or truncated: pg_restore (stopped before restoring all of it|cannot read its table of contents)\n$/);
  });

  it('fails when the dump is truncated', () => {
    const destination = folder('backups');
    expect(backup(destination).status).toBe(0);
    const bytes = fs.readFileSync(path.join(destination, dumps(destination)[0]));
    fs.writeFileSync(path.join(destination, 'orders-29991231T235959Z.dump'), bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const run = restoreCheck(destination);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('restore check failed: the dump orders-29991231T235959Z.dump is corrupt or truncated: pg_restore stopped before restoring all of it');
    const header = bytes.subarray(0, 100);
    fs.writeFileSync(path.join(destination, 'orders-29991231T235959Z.dump'), header);
    expect(restoreCheck(destination).stderr).toContain('restore check failed: the dump orders-29991231T235959Z.dump is corrupt or truncated: pg_restore cannot read its table of contents');
  });

  it('fails when no dump of the database is there, ignoring other files and half-written copies', () => {
    const destination = folder('backups');
    fs.writeFileSync(path.join(destination, '.orders-20260101T000000Z.dump.partial'), 'PGDMP');
    fs.writeFileSync(path.join(destination, 'billing-20260101T000000Z.dump'), 'PGDMP');
    const run = restoreCheck(destination);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`restore check failed: no dump named orders-<UTC time>.dump in ${destination}\n`);
  });

  it('runs each query read-only, as sent: a query that writes fails, and psql meta-commands are not run', () => {
    const destination = folder('backups');
    expect(backup(destination).status).toBe(0);
    const marker = path.join(pg.dir, 'meta-command-ran');
    const run = restoreCheck(destination, [
      { name: 'writes', query: 'WITH d AS (DELETE FROM orders RETURNING 1) SELECT count(*) FROM d', min: 0 },
      { name: 'meta', query: `SELECT 1\n\\! touch ${marker}`, min: 0 },
      { name: 'text', query: "SELECT 'one'", min: 0 },
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('in a read-only transaction');
    expect(run.stderr).toContain('check writes: the query failed');
    expect(run.stderr).toContain('check meta: the query failed');
    expect(run.stderr).toContain('check text: the query must return one number, not: one');
    expect(run.stderr).toContain('restore check failed: 3 of 3 checks failed');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('restores into a server of its own when none is given, and stops it afterwards', () => {
    const destination = folder('backups');
    expect(backup(destination).status).toBe(0);
    const work = folder('restore-work');
    const run = pg.run('sh', [path.join(scripts, 'restore-check.sh'), 'all'], { BACKUP_DESTINATION: destination, BACKUP_NAME: 'orders', RESTORE_WORKDIR: work, RESTORE_CHECKS_DIR: checksDir(CHECKS) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"checks":"3 passed"');
    expect(fs.existsSync(path.join(work, 'pgdata', 'postmaster.pid'))).toBe(false);
  });

  it('uploads to and fetches from gs:// with gcloud storage', () => {
    // A stand-in gcloud that serves gs://shop-backups from a folder and records its calls.
    const bucket = folder('bucket');
    const bin = folder('bin');
    const calls = path.join(bin, 'calls');
    fs.writeFileSync(
      path.join(bin, 'gcloud'),
      [
        '#!/bin/sh',
        `echo "$*" >> ${calls}`,
        `to_local() { printf '%s' "$1" | sed 's|^gs://shop-backups|${bucket}|'; }`,
        'case "$1 $2" in',
        '  "storage cp") shift 2; while [ "${1#--}" != "$1" ]; do shift; done; src=$1; dst=$2',
        '    case "$src" in gs://*) src=$(to_local "$src");; esac; case "$dst" in gs://*) dst=$(to_local "$dst"); mkdir -p "$(dirname "$dst")";; esac; cp "$src" "$dst";;',
        `  "storage ls") d=$(to_local "$3"); for f in "$d"*; do [ -f "$f" ] && echo "$3\${f##*/}"; done;;`,
        '  *) exit 2;;',
        'esac',
      ].join('\n'),
      { mode: 0o755 },
    );
    const PATH = `${bin}:/usr/bin:/bin:${postgresBin()}`;
    const up = backup('gs://shop-backups/orders/', { PATH });
    expect(up.stderr).toBe('');
    expect(up.status).toBe(0);
    const [dump] = dumps(path.join(bucket, 'orders'));
    expect(dump).toMatch(DUMP_NAME);
    const down = restoreCheck('gs://shop-backups/orders', CHECKS, { PATH });
    expect(down.stderr).toBe('');
    expect(down.status).toBe(0);
    const recorded = fs.readFileSync(calls, 'utf8').trim().split('\n');
    expect(recorded[0]).toMatch(new RegExp(`^storage cp --no-clobber --quiet /\\S+/${dump} gs://shop-backups/orders/${dump}$`));
    expect(recorded.slice(1)).toEqual(['storage ls gs://shop-backups/orders/', expect.stringMatching(new RegExp(`^storage cp --quiet gs://shop-backups/orders/${dump} /\\S+/latest.dump$`))]);
  });
});
