/**
 * The database a service owns: where it runs, where its credentials are, how it is backed up
 * (logical `pg_dump` backups to Cloud Storage, with a monthly restore test whose check queries
 * the definition states), optional Cloud SQL automated backups with point-in-time recovery, and
 * the schema migration strategy the service declares.
 * @see https://www.postgresql.org/docs/15/app-pgdump.html
 * @see https://cloud.google.com/storage/docs/buckets#naming
 * @see https://cloud.google.com/sql/docs/postgres/backup-recovery/backups
 */
import { compact } from '../private/data';
import { Checks, DNS_LABEL, DNS_SUBDOMAIN, IssueCollector, PORT_PROBLEM, SecretKeyRef } from './checks';
import { secretRefSchema } from './env';
import { JobSchedule, JobScheduleInput, checkJobSchedule, jobScheduleFields, normalizeJobSchedule } from './jobs';
import { bool, list, num, obj, oneOf, str } from './shape';

/** The database engines the backup and restore jobs know. */
export type DatabaseEngine = 'postgresql';

/** Every database engine. */
export const DATABASE_ENGINES: readonly DatabaseEngine[] = Object.freeze(['postgresql'] as const);

/** Where the jobs read the database user and password: Secret keys, never plain text. */
export interface DatabaseCredentialsInput {
  /** The Secret key holding the user name (`PGUSER`). */
  readonly user: SecretKeyRef;
  /** The Secret key holding the password (`PGPASSWORD`). */
  readonly password: SecretKeyRef;
}

/** One query the restore test runs on the restored copy, with the floor its value must reach. */
export interface RestoreCheckQueryInput {
  /** Name of the check in messages: a DNS-1123 label such as `orders-rows`. */
  readonly name: string;
  /**
   * One read-only SQL statement (SELECT, WITH, VALUES or TABLE) returning one row with one
   * number, e.g. `SELECT count(*) FROM orders`. It runs in a read-only transaction.
   */
  readonly query: string;
  /** The lowest value the query may return; below it the restore test fails. */
  readonly min: number;
}

/**
 * The restore test: the latest backup restored into a scratch database, then checked. Takes
 * the schedule options of every job; `schedule` defaults to `'0 5 1 * *'` (monthly, on the 1st
 * at 05:00) and `activeDeadline` to `'3h'` (a whole database is restored).
 */
export interface RestoreCheckInput extends JobScheduleInput {
  /** Queries run on the restored copy. @default [] (the restore itself must succeed) */
  readonly checks?: readonly RestoreCheckQueryInput[];
}

/**
 * Logical backups of the database with `pg_dump --format=custom`. Takes the schedule options
 * of every job; `schedule` defaults to `'0 2 * * *'` (daily at 02:00) and `activeDeadline` to
 * `'1h'`.
 */
export interface DatabaseBackupInput extends JobScheduleInput {
  /**
   * Where dumps are written: `gs://<bucket>/<prefix>` in production, or an absolute local path
   * (for tests and local runs). Each dump is `<prefix>/<database>-<UTC time>.dump`.
   */
  readonly destination: string;
  /** Days a dump is kept; the bucket's lifecycle deletes older ones. @default 30 */
  readonly retentionDays?: number;
  /**
   * The Google service account the jobs act as through Workload Identity to write and read the
   * bucket, e.g. `orders-backup@shop-prod-1234.iam.gserviceaccount.com`.
   * @default none (the node's credentials)
   */
  readonly gcpServiceAccount?: string;
  /** @default monthly on the 1st at 05:00, no check queries */
  readonly restoreCheck?: RestoreCheckInput;
}

/** A Cloud SQL for PostgreSQL instance with automated backups. */
export interface CloudSqlInput {
  /** Instance ID: lower-case letters, digits and "-", starting with a letter, at most 98 characters. */
  readonly instance: string;
  /** Cloud SQL's database version. @default 'POSTGRES_15' */
  readonly databaseVersion?: string;
  /** Machine tier. @default 'db-custom-1-3840' */
  readonly tier?: string;
  /** Point-in-time recovery from the write-ahead log. @default true */
  readonly pointInTimeRecovery?: boolean;
  /** Start of the daily automated backup window, `HH:MM` in UTC. @default '03:00' */
  readonly backupStartTime?: string;
  /** Automated backups kept, 1-365. @default 14 */
  readonly retainedBackups?: number;
  /** Days of write-ahead log kept for point-in-time recovery, 1-7. @default 7 */
  readonly transactionLogRetentionDays?: number;
}

/**
 * How schema changes reach production:
 * - `expand-contract`: additive changes first, old and new code both work, then the old shape
 *   goes (phases in `MIGRATION_PHASES`); every deploy can be rolled back;
 * - `in-place`: schema and code change together in one release; rollback needs a down migration;
 * - `none`: the service changes no schema (read-only or schema owned elsewhere).
 */
export type MigrationStrategy = 'expand-contract' | 'in-place' | 'none';

/** Every migration strategy. */
export const MIGRATION_STRATEGIES: readonly MigrationStrategy[] = Object.freeze(['expand-contract', 'in-place', 'none'] as const);

/** One phase of a migration strategy. */
export interface MigrationPhase {
  readonly name: string;
  readonly what: string;
}

/** The phases of each migration strategy, in order: what readiness reviews and runbooks quote. */
export const MIGRATION_PHASES: Readonly<Record<MigrationStrategy, readonly MigrationPhase[]>> = Object.freeze({
  'expand-contract': Object.freeze([
    { name: 'expand', what: 'add tables, nullable columns and indexes only; the running version ignores them' },
    { name: 'migrate', what: 'deploy code that writes the old and the new shape, backfill, then read the new shape' },
    { name: 'contract', what: 'once no running or rollback version reads the old shape, drop it in a later release' },
  ]),
  'in-place': Object.freeze([{ name: 'migrate', what: 'apply the schema change with the release; a rollback needs its down migration' }]),
  none: Object.freeze([]),
});

/** The migration strategy a service declares. */
export interface MigrationInput {
  readonly strategy: MigrationStrategy;
}

/** What a service writes as `database`. */
export interface DatabaseInput {
  /** @default 'postgresql' */
  readonly engine?: DatabaseEngine;
  /** Host name (such as a Service `orders-db.orders`) or IPv4 address the jobs connect to. */
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** Name of the database (`PGDATABASE`). */
  readonly name: string;
  readonly credentials: DatabaseCredentialsInput;
  /** @default none (no logical backup) */
  readonly backup?: DatabaseBackupInput;
  /** A Cloud SQL instance with automated backups, on the service's `gcp.project`. @default none */
  readonly cloudSql?: CloudSqlInput;
  /** @default none (no strategy declared) */
  readonly migration?: MigrationInput;
}

/** A normalized restore check query. */
export interface RestoreCheckQuery {
  readonly name: string;
  readonly query: string;
  readonly min: number;
}

/** The normalized restore test. */
export interface RestoreCheck {
  readonly schedule: JobSchedule;
  readonly checks: readonly RestoreCheckQuery[];
}

/** Where dumps go: a Cloud Storage bucket and prefix, or a local folder. */
export type BackupDestination =
  | { readonly kind: 'gcs'; readonly url: string; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'local'; readonly url: string; readonly path: string };

/** Normalized logical backups. */
export interface DatabaseBackup {
  readonly schedule: JobSchedule;
  readonly destination: BackupDestination;
  readonly retentionDays: number;
  readonly gcpServiceAccount?: string;
  readonly restoreCheck: RestoreCheck;
}

/** A normalized Cloud SQL instance. */
export interface CloudSql {
  readonly instance: string;
  readonly databaseVersion: string;
  readonly tier: string;
  readonly pointInTimeRecovery: boolean;
  readonly backupStartTime: string;
  readonly retainedBackups: number;
  readonly transactionLogRetentionDays: number;
}

/** A normalized migration declaration, with the phases of its strategy. */
export interface Migration {
  readonly strategy: MigrationStrategy;
  readonly phases: readonly MigrationPhase[];
}

/** A normalized database. */
export interface Database {
  readonly engine: DatabaseEngine;
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly credentials: { readonly user: SecretKeyRef; readonly password: SecretKeyRef };
  readonly backup?: DatabaseBackup;
  readonly cloudSql?: CloudSql;
  readonly migration?: Migration;
}

/** Database settings when a definition gives none: the only source of the `@default`s above. */
export const DATABASE_DEFAULTS = Object.freeze({
  engine: 'postgresql' as DatabaseEngine,
  port: 5432,
  backupSchedule: '0 2 * * *',
  backupActiveDeadline: '1h',
  retentionDays: 30,
  restoreCheckSchedule: '0 5 1 * *',
  restoreCheckActiveDeadline: '3h',
  cloudSql: Object.freeze({ databaseVersion: 'POSTGRES_15', tier: 'db-custom-1-3840', pointInTimeRecovery: true, backupStartTime: '03:00', retainedBackups: 14, transactionLogRetentionDays: 7 }),
});

/**
 * The names of a service's backup and restore-test jobs (CronJobs and their ServiceAccounts):
 * `<service>-db-backup` and `<service>-db-restore`, within the 52 characters of a CronJob name
 * for every service name (at most 40). Workload Identity bindings on Google Cloud use them too.
 */
export function databaseJobNames(service: string): { readonly backup: string; readonly restoreCheck: string } {
  return { backup: `${service}-db-backup`, restoreCheck: `${service}-db-restore` };
}

/** Limits far below what PostgreSQL, Kubernetes and Cloud SQL accept. */
export const DATABASE_LIMITS = Object.freeze({ checks: 50, queryLength: 4096, retentionDays: 3650, minAbs: 1e15 });

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
const DATABASE_NAME_PROBLEM = 'must be a PostgreSQL database name: 1-63 letters, digits, "_" or "-", starting with a letter or "_"';
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_PROBLEM = 'must be a host name (lower-case DNS subdomain) or an IPv4 address';
const DESTINATION_PROBLEM = 'must be gs://<bucket>/<prefix> or an absolute local path such as /var/backups/orders';
const SERVICE_ACCOUNT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
const SERVICE_ACCOUNT_PROBLEM = 'must be a Google service account e-mail: <name>@<project>.iam.gserviceaccount.com';
const CLOUD_SQL_INSTANCE = /^[a-z]([-a-z0-9]{0,96}[a-z0-9])?$/;
const CLOUD_SQL_INSTANCE_PROBLEM = 'must be a Cloud SQL instance ID: at most 98 lower-case letters, digits or "-", starting with a letter and not ending with "-"';
const CLOUD_SQL_VERSION = /^POSTGRES_(9_6|1[0-9])$/;
const CLOUD_SQL_VERSION_PROBLEM = 'must be a Cloud SQL PostgreSQL version such as POSTGRES_15';
const CLOUD_SQL_TIER = /^db-(custom-\d{1,3}-\d{3,7}|perf-optimized-N-\d{1,3}|f1-micro|g1-small|n1-(standard|highmem)-\d{1,2})$/;
const CLOUD_SQL_TIER_PROBLEM = 'must be a Cloud SQL tier such as db-custom-2-7680 or db-g1-small';
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIME_OF_DAY_PROBLEM = 'must be a time of day HH:MM in UTC, such as 03:00';
const CHECK_NAME_PROBLEM = 'must be a DNS-1123 label of at most 63 characters, such as orders-rows';

/** GCS bucket name components: lower-case letters, digits, "-" and "_", starting and ending with a letter or digit. */
const BUCKET_COMPONENT = /^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/;

/**
 * The problem with a Cloud Storage bucket name by its naming rules, or undefined.
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */
export function bucketNameProblem(bucket: string): string | undefined {
  const rules = 'must be a Cloud Storage bucket name: 3-63 lower-case letters, digits, "-", "_" or "." (up to 222 with dots, 63 between dots), starting and ending with a letter or digit';
  if (bucket.length < 3 || bucket.length > 222 || !bucket.split('.').every((c) => c.length <= 63 && BUCKET_COMPONENT.test(c))) return rules;
  if (!bucket.includes('.') && bucket.length > 63) return rules;
  if (IPV4.test(bucket)) return 'must not be an IP address in dotted-decimal notation (Cloud Storage refuses it as a bucket name)';
  if (bucket.startsWith('goog') || /g[o0]{2}gle/.test(bucket)) return 'must not start with "goog" nor contain "google" or a misspelling of it (Cloud Storage refuses it as a bucket name)';
  return undefined;
}

/** A path of safe segments: letters, digits, ".", "_" and "-", never "." or "..". */
const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;

function segmentsProblem(path: string): boolean {
  return path.split('/').some((s) => !SAFE_SEGMENT.test(s) || s === '.' || s === '..');
}

/** Parses a destination into its normalized form, or returns the problem with it. */
export function parseDestination(destination: string): BackupDestination | string {
  if (destination.startsWith('gs://')) {
    const rest = destination.slice('gs://'.length).replace(/\/+$/, '');
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1);
    const problem = bucketNameProblem(bucket);
    if (problem !== undefined) return `${problem} (bucket ${JSON.stringify(bucket)})`;
    if (prefix !== '' && (segmentsProblem(prefix) || prefix.length > 512)) {
      return 'must have a prefix of "/"-separated segments of letters, digits, ".", "_" or "-", never "." or "..", at most 512 characters';
    }
    return { kind: 'gcs', url: prefix === '' ? `gs://${bucket}` : `gs://${bucket}/${prefix}`, bucket, prefix };
  }
  if (destination.startsWith('/')) {
    const path = destination.length > 1 ? destination.replace(/\/+$/, '') : destination;
    if (path === '/' || segmentsProblem(path.slice(1)) || path.length > 1024) {
      return 'must be an absolute path of "/"-separated segments of letters, digits, ".", "_" or "-", never "." or "..", and not "/" itself';
    }
    return { kind: 'local', url: path, path };
  }
  return DESTINATION_PROBLEM;
}

const LEADING_KEYWORDS = ['select', 'with', 'values', 'table'];

/**
 * The problem with a restore check query, or undefined: it must be one read-only statement,
 * every quote and comment closed, a ";" at most at its end. Scans the query as PostgreSQL's
 * lexer does: '...' (with '' and, in E'...', backslash escapes), "...", $tag$...$tag$, -- and
 * nested block comments.
 * @see https://www.postgresql.org/docs/15/sql-syntax-lexical.html
 */
export function sqlQueryProblem(query: string): string | undefined {
  let i = 0;
  let endedAt = -1;
  let first = '';
  const n = query.length;
  const word = /[A-Za-z_]/;
  while (i < n) {
    const c = query[i];
    const next = query[i + 1];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && next === '-') {
      const end = query.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (query[i] === '/' && query[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (query[i] === '*' && query[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) return 'must be one SQL statement with every quote and comment closed';
      continue;
    }
    if (endedAt >= 0) return 'must be one SQL statement: nothing may follow the ";" that ends it';
    if (c === ';') {
      endedAt = i;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const escapes = c === "'" && i > 0 && /[Ee]/.test(query[i - 1]) && (i < 2 || !/[A-Za-z0-9_$]/.test(query[i - 2]));
      i++;
      let closed = false;
      while (i < n) {
        if (escapes && query[i] === '\\') {
          i += 2;
        } else if (query[i] === c) {
          if (query[i + 1] === c) i += 2;
          else {
            i++;
            closed = true;
            break;
          }
        } else i++;
      }
      if (!closed) return 'must be one SQL statement with every quote and comment closed';
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(query.slice(i));
      if (tag !== null && (i === 0 || !/[A-Za-z0-9_]/.test(query[i - 1]))) {
        const end = query.indexOf(tag[0], i + tag[0].length);
        if (end === -1) return 'must be one SQL statement with every quote and comment closed';
        i = end + tag[0].length;
        continue;
      }
    }
    if (first === '' && word.test(c)) {
      const match = /^[A-Za-z_]+/.exec(query.slice(i)) as RegExpExecArray;
      first = match[0].toLowerCase();
      i += match[0].length;
      continue;
    }
    if (first === '') first = c;
    i++;
  }
  if (first === '') return 'must be a SQL query, not only blanks, comments or ";"';
  if (!LEADING_KEYWORDS.includes(first)) return 'must be a read-only query starting with SELECT, WITH, VALUES or TABLE';
  return undefined;
}

/** What an environment may override in `database`: any field, objects merged key by key. */
export interface DatabaseOverride extends Partial<Omit<DatabaseInput, 'backup' | 'cloudSql'>> {
  readonly backup?: Partial<DatabaseBackupInput>;
  readonly cloudSql?: Partial<CloudSqlInput>;
}

const checkQuerySchema = obj({ name: str(CHECK_NAME_PROBLEM), query: str('must be a SQL query'), min: num() });

const backupSchema = obj({
  ...jobScheduleFields,
  destination: str(DESTINATION_PROBLEM),
  retentionDays: num().optional(),
  gcpServiceAccount: str(SERVICE_ACCOUNT_PROBLEM).optional(),
  restoreCheck: obj({ ...jobScheduleFields, checks: list(checkQuerySchema, 'must be a list of checks { name, query, min }').optional() }).optional(),
});

const cloudSqlSchema = obj({
  instance: str(CLOUD_SQL_INSTANCE_PROBLEM),
  databaseVersion: str(CLOUD_SQL_VERSION_PROBLEM).optional(),
  tier: str(CLOUD_SQL_TIER_PROBLEM).optional(),
  pointInTimeRecovery: bool().optional(),
  backupStartTime: str(TIME_OF_DAY_PROBLEM).optional(),
  retainedBackups: num().optional(),
  transactionLogRetentionDays: num().optional(),
});

/** Schema of a service's `database`. */
export const databaseSchema = obj({
  engine: oneOf(DATABASE_ENGINES as unknown as readonly [DatabaseEngine, ...DatabaseEngine[]]).optional(),
  host: str(HOST_PROBLEM),
  port: num(PORT_PROBLEM).optional(),
  name: str(DATABASE_NAME_PROBLEM),
  credentials: obj({ user: secretRefSchema, password: secretRefSchema }, 'must give the Secret keys of the user and the password as { user: { name, key }, password: { name, key } }'),
  backup: backupSchema.optional(),
  cloudSql: cloudSqlSchema.optional(),
  migration: obj({ strategy: oneOf(MIGRATION_STRATEGIES as unknown as readonly [MigrationStrategy, ...MigrationStrategy[]]) }).optional(),
});

/** Schema of `database` in an environment override: every field optional, objects merged. */
export const databaseOverrideSchema = databaseSchema.partial().extend({ backup: backupSchema.partial().optional(), cloudSql: cloudSqlSchema.partial().optional() });

/** Where one service backs up to in one environment, as the platform check reads it. */
export interface BackupPlacement {
  readonly service: string;
  readonly environment: string;
  readonly production: boolean;
  /** The field the destination is written in, relative to the service. */
  readonly field: string;
  readonly destination: string;
}

/** Where each service backs up to in each environment, its overrides applied. */
export function backupPlacements(
  services: readonly { readonly name: string; readonly input: { readonly database?: DatabaseInput; readonly environments?: Readonly<Record<string, { readonly database?: DatabaseOverride }>> } }[],
  environments: readonly { readonly name: string; readonly production: boolean }[],
): BackupPlacement[] {
  return services.flatMap((s) =>
    environments.flatMap((env) => {
      const override = Object.hasOwn(s.input.environments ?? {}, env.name) ? s.input.environments?.[env.name]?.database?.backup?.destination : undefined;
      const destination = override ?? s.input.database?.backup?.destination;
      const field = override !== undefined ? `environments.${env.name}.database.backup.destination` : 'database.backup.destination';
      return destination === undefined ? [] : [{ service: s.name, environment: env.name, production: env.production, field, destination }];
    }),
  );
}

/**
 * The platform's rules on backup destinations: a production environment backs up to
 * Cloud Storage (a local folder in a pod is gone with the pod), and each bucket belongs to one
 * service in one environment, as its lifecycle keeps that backup's retention.
 */
export function checkBackupPlacements(c: IssueCollector, placements: readonly BackupPlacement[]): void {
  const owners = new Map<string, BackupPlacement>();
  for (const p of placements) {
    const parsed = parseDestination(p.destination);
    if (typeof parsed === 'string') continue;
    const at = `${p.service}.${p.field}`;
    if (parsed.kind === 'local' && p.production) {
      c.add(at, `must be a gs:// URL in production environment ${p.environment}: a folder in the job's pod is gone with the pod`, p.destination);
    }
    if (parsed.kind !== 'gcs') continue;
    const owner = owners.get(parsed.bucket);
    if (owner === undefined) owners.set(parsed.bucket, p);
    else if (owner.service !== p.service || owner.environment !== p.environment) {
      c.add(at, `must name a bucket of its own: ${parsed.bucket} already holds the backups of ${owner.service} in ${owner.environment}, and a bucket's lifecycle keeps one retention`, p.destination);
    }
  }
}

function checkRestoreChecks(k: Checks, checks: readonly RestoreCheckQueryInput[]): void {
  const field = 'database.backup.restoreCheck.checks';
  if (checks.length > DATABASE_LIMITS.checks) {
    k.c.add(field, `must list at most ${DATABASE_LIMITS.checks} checks`, checks.length);
    return;
  }
  const seen = new Set<string>();
  checks.forEach((check, i) => {
    const at = `${field}[${i}]`;
    if (!DNS_LABEL.test(check.name) || check.name.length > 63) k.c.add(`${at}.name`, CHECK_NAME_PROBLEM, check.name);
    else if (seen.has(check.name)) k.c.add(`${at}.name`, 'must be unique among the restore checks', check.name);
    seen.add(check.name);
    if (k.text(`${at}.query`, check.query, DATABASE_LIMITS.queryLength)) {
      const problem = sqlQueryProblem(check.query);
      if (problem !== undefined) k.c.add(`${at}.query`, problem, check.query);
    }
    if (Math.abs(check.min) > DATABASE_LIMITS.minAbs) k.c.add(`${at}.min`, `must be a number from -${DATABASE_LIMITS.minAbs} to ${DATABASE_LIMITS.minAbs}`, check.min);
  });
}

/**
 * Checks a service's `database`.
 * @param hasGcpProject whether the service sets `gcp.project`, where a Cloud SQL instance lives
 */
export function checkDatabase(k: Checks, database: DatabaseInput | undefined, hasGcpProject: boolean): void {
  if (database === undefined) return;
  const c = k.c;
  const host = database.host;
  // A name of digits and dots only is meant as an address: it must be a valid one.
  if (host.length > 253 || !(/^[\d.]+$/.test(host) ? IPV4.test(host) : DNS_SUBDOMAIN.test(host))) c.add('database.host', HOST_PROBLEM, host);
  if (database.port !== undefined) k.port('database.port', database.port);
  if (!DATABASE_NAME.test(database.name)) c.add('database.name', DATABASE_NAME_PROBLEM, database.name);
  for (const key of ['user', 'password'] as const) k.secretRef(`database.credentials.${key}`, database.credentials[key]);
  const backup = database.backup;
  if (backup !== undefined) {
    checkJobSchedule(k, 'database.backup', backup);
    const destination = parseDestination(backup.destination);
    if (typeof destination === 'string') c.add('database.backup.destination', destination, backup.destination);
    if (backup.retentionDays !== undefined) k.int('database.backup.retentionDays', backup.retentionDays, 1, DATABASE_LIMITS.retentionDays);
    if (backup.gcpServiceAccount !== undefined && !SERVICE_ACCOUNT.test(backup.gcpServiceAccount)) c.add('database.backup.gcpServiceAccount', SERVICE_ACCOUNT_PROBLEM, backup.gcpServiceAccount);
    checkJobSchedule(k, 'database.backup.restoreCheck', backup.restoreCheck);
    checkRestoreChecks(k, backup.restoreCheck?.checks ?? []);
  }
  const sql = database.cloudSql;
  if (sql !== undefined) {
    if (!CLOUD_SQL_INSTANCE.test(sql.instance)) c.add('database.cloudSql.instance', CLOUD_SQL_INSTANCE_PROBLEM, sql.instance);
    else if (!hasGcpProject) c.add('database.cloudSql', 'needs gcp.project: the Cloud SQL instance is created in the service\'s Google Cloud project', sql.instance);
    if (sql.databaseVersion !== undefined && !CLOUD_SQL_VERSION.test(sql.databaseVersion)) c.add('database.cloudSql.databaseVersion', CLOUD_SQL_VERSION_PROBLEM, sql.databaseVersion);
    if (sql.tier !== undefined && !CLOUD_SQL_TIER.test(sql.tier)) c.add('database.cloudSql.tier', CLOUD_SQL_TIER_PROBLEM, sql.tier);
    if (sql.backupStartTime !== undefined && !TIME_OF_DAY.test(sql.backupStartTime)) c.add('database.cloudSql.backupStartTime', TIME_OF_DAY_PROBLEM, sql.backupStartTime);
    if (sql.retainedBackups !== undefined) k.int('database.cloudSql.retainedBackups', sql.retainedBackups, 1, 365);
    if (sql.transactionLogRetentionDays !== undefined) k.int('database.cloudSql.transactionLogRetentionDays', sql.transactionLogRetentionDays, 1, 7);
    const retained = sql.retainedBackups ?? DATABASE_DEFAULTS.cloudSql.retainedBackups;
    const logDays = sql.transactionLogRetentionDays ?? DATABASE_DEFAULTS.cloudSql.transactionLogRetentionDays;
    const inRange = Number.isInteger(retained) && retained >= 1 && retained <= 365 && Number.isInteger(logDays) && logDays >= 1 && logDays <= 7;
    if (inRange && logDays > retained && (sql.pointInTimeRecovery ?? true)) {
      c.add('database.cloudSql.transactionLogRetentionDays', `must be at most retainedBackups (${retained}): Cloud SQL keeps the log only as far back as the oldest backup`, logDays);
    }
  }
}

/** Fills the database defaults. */
export function normalizeDatabase(database: DatabaseInput | undefined): Database | undefined {
  if (database === undefined) return undefined;
  const backup = database.backup;
  const sql = database.cloudSql;
  const defaults = DATABASE_DEFAULTS.cloudSql;
  return compact({
    engine: database.engine ?? DATABASE_DEFAULTS.engine,
    host: database.host,
    port: database.port ?? DATABASE_DEFAULTS.port,
    name: database.name,
    credentials: { user: { ...database.credentials.user }, password: { ...database.credentials.password } },
    backup:
      backup === undefined
        ? undefined
        : compact({
            schedule: normalizeJobSchedule({ ...backup, activeDeadline: backup.activeDeadline ?? DATABASE_DEFAULTS.backupActiveDeadline }, DATABASE_DEFAULTS.backupSchedule),
            destination: parseDestination(backup.destination) as BackupDestination,
            retentionDays: backup.retentionDays ?? DATABASE_DEFAULTS.retentionDays,
            gcpServiceAccount: backup.gcpServiceAccount,
            restoreCheck: {
              schedule: normalizeJobSchedule({ ...backup.restoreCheck, activeDeadline: backup.restoreCheck?.activeDeadline ?? DATABASE_DEFAULTS.restoreCheckActiveDeadline }, DATABASE_DEFAULTS.restoreCheckSchedule),
              checks: (backup.restoreCheck?.checks ?? []).map((check) => ({ name: check.name, query: check.query, min: check.min })),
            },
          }),
    cloudSql:
      sql === undefined
        ? undefined
        : {
            instance: sql.instance,
            databaseVersion: sql.databaseVersion ?? defaults.databaseVersion,
            tier: sql.tier ?? defaults.tier,
            pointInTimeRecovery: sql.pointInTimeRecovery ?? defaults.pointInTimeRecovery,
            backupStartTime: sql.backupStartTime ?? defaults.backupStartTime,
            retainedBackups: sql.retainedBackups ?? defaults.retainedBackups,
            transactionLogRetentionDays: sql.transactionLogRetentionDays ?? defaults.transactionLogRetentionDays,
          },
    migration: database.migration === undefined ? undefined : { strategy: database.migration.strategy, phases: MIGRATION_PHASES[database.migration.strategy] },
  });
}
