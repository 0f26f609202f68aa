import { DATABASE_DEFAULTS, DatabaseInput, MIGRATION_PHASES, bucketNameProblem, definePlatform, defineService, parseDestination, resolveEnvironment, sqlQueryProblem } from '../../lib/definition';
import { definitionErrorOf } from '../support/tools';
import { bad, platform, service } from '../fixtures/definitions';

const CREDENTIALS = { user: { name: 'checkout-db', key: 'user' }, password: { name: 'checkout-db', key: 'password' } };
const GCP = { project: 'shop-prod-1234' };

/** A checkout database with the given changes. */
function database(changes: Partial<DatabaseInput> | Record<string, unknown> = {}): DatabaseInput {
  return bad<DatabaseInput>({ host: 'checkout-db.payments', name: 'checkout', credentials: CREDENTIALS, ...changes });
}

/** The issue lines a service with this database is refused with. */
function refusal(db: DatabaseInput, changes: Record<string, unknown> = {}): string[] {
  return definitionErrorOf(() => defineService(service({ database: db, ...changes })))
    .split('\n')
    .slice(1)
    .map((l) => l.trim().replace(/^- /, ''));
}

describe('a service database', () => {
  it('defaults to PostgreSQL on port 5432, with no backup, no Cloud SQL and no migration strategy declared', () => {
    const s = defineService(service({ database: database() }));
    expect(s.database).toEqual({ engine: 'postgresql', host: 'checkout-db.payments', port: 5432, name: 'checkout', credentials: CREDENTIALS });
    expect(DATABASE_DEFAULTS.engine).toBe('postgresql');
    expect(DATABASE_DEFAULTS.port).toBe(5432);
    expect(defineService(service()).database).toBeUndefined();
  });

  it('backs up daily at 02:00, keeps dumps 30 days and tests a restore monthly on the 1st at 05:00 by default', () => {
    const s = defineService(service({ database: database({ backup: { destination: 'gs://shop-backups/checkout/' } }) }));
    const job = { timeZone: 'UTC', startingDeadlineSeconds: 300, backoffLimit: 2, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 };
    expect(s.database?.backup).toEqual({
      schedule: { ...job, schedule: '0 2 * * *', activeDeadlineSeconds: 3600 },
      destination: { kind: 'gcs', url: 'gs://shop-backups/checkout', bucket: 'shop-backups', prefix: 'checkout' },
      retentionDays: 30,
      restoreCheck: { schedule: { ...job, schedule: '0 5 1 * *', activeDeadlineSeconds: 10800 }, checks: [] },
    });
    expect([DATABASE_DEFAULTS.backupSchedule, DATABASE_DEFAULTS.retentionDays, DATABASE_DEFAULTS.restoreCheckSchedule]).toEqual(['0 2 * * *', 30, '0 5 1 * *']);
    // A dump or a restore of a whole database takes longer than the 10 minutes other jobs get.
    expect([DATABASE_DEFAULTS.backupActiveDeadline, DATABASE_DEFAULTS.restoreCheckActiveDeadline]).toEqual(['1h', '3h']);
  });

  it('takes the schedules, retention, service account and check queries given, and a local destination', () => {
    const checks = [{ name: 'orders-rows', query: 'SELECT count(*) FROM orders', min: 1000 }];
    const backup = {
      schedule: '30 1 * * *',
      timeZone: 'Europe/Berlin',
      activeDeadline: '2h',
      destination: '/var/backups/checkout',
      retentionDays: 90,
      gcpServiceAccount: 'checkout-backup@shop-prod-1234.iam.gserviceaccount.com',
      restoreCheck: { schedule: '@monthly', backoffLimit: 0, checks },
    };
    expect(defineService(service({ database: database({ port: 6432, backup }) })).database).toMatchObject({
      port: 6432,
      backup: {
        schedule: { schedule: '30 1 * * *', timeZone: 'Europe/Berlin', activeDeadlineSeconds: 7200 },
        destination: { kind: 'local', url: '/var/backups/checkout', path: '/var/backups/checkout' },
        retentionDays: 90,
        gcpServiceAccount: backup.gcpServiceAccount,
        restoreCheck: { schedule: { schedule: '@monthly', backoffLimit: 0, activeDeadlineSeconds: 10800 }, checks },
      },
    });
  });

  it('keeps Cloud SQL backups 14 days with point-in-time recovery over 7 days of log by default', () => {
    const s = defineService(service({ gcp: GCP, database: database({ cloudSql: { instance: 'checkout-prod' } }) }));
    expect(s.database?.cloudSql).toEqual({
      instance: 'checkout-prod',
      databaseVersion: 'POSTGRES_15',
      tier: 'db-custom-1-3840',
      pointInTimeRecovery: true,
      backupStartTime: '03:00',
      retainedBackups: 14,
      transactionLogRetentionDays: 7,
    });
    expect(DATABASE_DEFAULTS.cloudSql).toEqual(s.database?.cloudSql && { ...s.database.cloudSql, instance: undefined, ...DATABASE_DEFAULTS.cloudSql });
  });

  it('takes the Cloud SQL settings given', () => {
    const cloudSql = { instance: 'checkout-prod', databaseVersion: 'POSTGRES_16', tier: 'db-custom-2-7680', pointInTimeRecovery: false, backupStartTime: '22:30', retainedBackups: 30, transactionLogRetentionDays: 3 };
    expect(defineService(service({ gcp: GCP, database: database({ cloudSql }) })).database?.cloudSql).toEqual(cloudSql);
  });

  it('carries the phases of the declared migration strategy', () => {
    expect(defineService(service({ database: database({ migration: { strategy: 'expand-contract' } }) })).database?.migration).toEqual({
      strategy: 'expand-contract',
      phases: MIGRATION_PHASES['expand-contract'],
    });
    expect(MIGRATION_PHASES['expand-contract'].map((p) => p.name)).toEqual(['expand', 'migrate', 'contract']);
    expect(defineService(service({ database: database({ migration: { strategy: 'none' } }) })).database?.migration).toEqual({ strategy: 'none', phases: [] });
  });
});

describe('refused databases', () => {
  it('refuse a bad host, port and database name', () => {
    expect(refusal(database({ host: 'Checkout_DB', port: 70000, name: '1orders' }))).toEqual([
      'checkout.database.host: must be a host name (lower-case DNS subdomain) or an IPv4 address (got "Checkout_DB")',
      'checkout.database.port: must be an integer from 1 to 65535 (got 70000)',
      'checkout.database.name: must be a PostgreSQL database name: 1-63 letters, digits, "_" or "-", starting with a letter or "_" (got "1orders")',
    ]);
    expect(refusal(database({ host: '999.1.1.1' }))).toEqual(['checkout.database.host: must be a host name (lower-case DNS subdomain) or an IPv4 address (got "999.1.1.1")']);
    expect(defineService(service({ database: database({ host: '10.1.2.3' }) })).database?.host).toBe('10.1.2.3');
  });

  it('refuse an engine other than PostgreSQL', () => {
    expect(refusal(database({ engine: 'mysql' }))).toEqual(['checkout.database.engine: must be one of postgresql (got "mysql")']);
  });

  it('refuse credentials in plain text, and never show them', () => {
    expect(refusal(database({ credentials: { user: { name: 'checkout-db', key: 'user' }, password: 'hunter2' } }))).toEqual([
      'checkout.database.credentials.password: must reference a Secret key as { name, key }: name a DNS-1123 subdomain, key of letters, digits, "-", "_" or "." (got "<redacted>")',
    ]);
    expect(refusal(database({ credentials: { user: { name: 'Checkout', key: 'user' }, password: { name: 'checkout-db', key: '..x' } } }))).toEqual([
      'checkout.database.credentials.user: must reference a Secret key as { name, key }: name a DNS-1123 subdomain, key of letters, digits, "-", "_" or "." (got {"name":"Checkout","key":"user"})',
      'checkout.database.credentials.password: must reference a Secret key as { name, key }: name a DNS-1123 subdomain, key of letters, digits, "-", "_" or "." (got {"name":"checkout-db","key":"..x"})',
    ]);
    expect(refusal(database({ credentials: undefined }))).toEqual([
      'checkout.database.credentials: must give the Secret keys of the user and the password as { user: { name, key }, password: { name, key } } (got undefined)',
    ]);
  });

  it('refuse schedule options Kubernetes cannot run, at the backup and the restore test', () => {
    const lines = refusal(database({ backup: { destination: '/b', schedule: '* * * * * *', timeZone: 'europe/berlin', restoreCheck: { schedule: '0 61 * * *', failedJobsHistoryLimit: 0 } } }));
    expect(lines).toEqual([
      'checkout.database.backup.timeZone: must be an IANA time zone such as UTC or Europe/Berlin (case-sensitive, as Go reads it) (got "europe/berlin")',
      expect.stringMatching(/^checkout\.database\.backup\.schedule: must be a cron expression of five fields .*; it has 6 fields \(got "\* \* \* \* \* \*"\)$/),
      expect.stringMatching(/^checkout\.database\.backup\.restoreCheck\.schedule: must be a cron expression of five fields .* \(got "0 61 \* \* \*"\)$/),
      'checkout.database.backup.restoreCheck.failedJobsHistoryLimit: must be at least 1: the failure alert reads the failed Job, which Kubernetes would delete at once (got 0)',
    ]);
  });

  it('refuse a retention outside 1 to 3650 days and a service account that is not one', () => {
    expect(refusal(database({ backup: { destination: '/b', retentionDays: 0, gcpServiceAccount: 'backup@shop.example.com' } }))).toEqual([
      'checkout.database.backup.retentionDays: must be an integer from 1 to 3650 (got 0)',
      'checkout.database.backup.gcpServiceAccount: must be a Google service account e-mail: <name>@<project>.iam.gserviceaccount.com (got "backup@shop.example.com")',
    ]);
    expect(refusal(database({ backup: { destination: '/b', retentionDays: 7.5 } }))).toEqual(['checkout.database.backup.retentionDays: must be an integer from 1 to 3650 (got 7.5)']);
  });
});

describe('backup destinations', () => {
  it('take gs://bucket and gs://bucket/prefix, dropping trailing slashes', () => {
    expect(parseDestination('gs://shop-backups')).toEqual({ kind: 'gcs', url: 'gs://shop-backups', bucket: 'shop-backups', prefix: '' });
    expect(parseDestination('gs://shop_backups.example.com/a/b.c/')).toEqual({ kind: 'gcs', url: 'gs://shop_backups.example.com/a/b.c', bucket: 'shop_backups.example.com', prefix: 'a/b.c' });
  });

  it('refuse what is neither gs:// nor an absolute path', () => {
    expect(refusal(database({ backup: { destination: 's3://bucket/x' } }))).toEqual([
      'checkout.database.backup.destination: must be gs://<bucket>/<prefix> or an absolute local path such as /var/backups/orders (got "s3://bucket/x")',
    ]);
    expect(parseDestination('backups/checkout')).toBe('must be gs://<bucket>/<prefix> or an absolute local path such as /var/backups/orders');
  });

  it('refuse bucket names Cloud Storage refuses', () => {
    const rules = 'must be a Cloud Storage bucket name: 3-63 lower-case letters, digits, "-", "_" or "." (up to 222 with dots, 63 between dots), starting and ending with a letter or digit';
    for (const bucket of ['ab', 'Shop', '-shop', 'shop-', 'a'.repeat(64), `${'a'.repeat(64)}.com`, 'shop..backups', 'shop backups', '']) {
      expect(bucketNameProblem(bucket)).toBe(rules);
    }
    expect(bucketNameProblem(`${'a'.repeat(63)}.${'b'.repeat(63)}`)).toBeUndefined();
    expect(bucketNameProblem('192.168.5.4')).toBe('must not be an IP address in dotted-decimal notation (Cloud Storage refuses it as a bucket name)');
    expect(bucketNameProblem('goog-backups')).toBe('must not start with "goog" nor contain "google" or a misspelling of it (Cloud Storage refuses it as a bucket name)');
    expect(bucketNameProblem('my-g00gle-backups')).toBeDefined();
    expect(refusal(database({ backup: { destination: 'gs://Shop/x' } }))).toEqual([`checkout.database.backup.destination: ${rules} (bucket "Shop") (got "gs://Shop/x")`]);
  });

  it('refuse prefixes and paths with unsafe segments', () => {
    const prefix = 'must have a prefix of "/"-separated segments of letters, digits, ".", "_" or "-", never "." or "..", at most 512 characters';
    expect(parseDestination('gs://shop-backups/a//b')).toBe(prefix);
    expect(parseDestination('gs://shop-backups/a/../b')).toBe(prefix);
    expect(parseDestination('gs://shop-backups/a b')).toBe(prefix);
    expect(parseDestination('gs://shop-backups/$(reboot)')).toBe(prefix);
    const path = 'must be an absolute path of "/"-separated segments of letters, digits, ".", "_" or "-", never "." or "..", and not "/" itself';
    expect(parseDestination('/')).toBe(path);
    expect(parseDestination('/var/../etc')).toBe(path);
    expect(parseDestination('/var/back ups')).toBe(path);
    expect(refusal(database({ backup: { destination: '/var/`id`' } }))).toEqual([`checkout.database.backup.destination: ${path} (got "/var/\`id\`")`]);
  });
});

describe('restore check queries', () => {
  const check = (query: string, changes: Record<string, unknown> = {}) => database({ backup: { destination: '/b', restoreCheck: { checks: [{ name: 'rows', query, min: 1, ...changes }] } } });

  it('accept one read-only statement, with a final ";", comments and quotes that hold ";"', () => {
    for (const query of [
      'SELECT count(*) FROM orders',
      'select count(*) from orders;',
      '  -- orders placed\n  SELECT count(*) FROM orders WHERE note <> \';\' ; -- done',
      '/* a /* nested */ comment; */ WITH x AS (SELECT 1) SELECT count(*) FROM x',
      'SELECT count(*) FROM "odd;table"',
      "SELECT count(*) FROM t WHERE a = E'it\\'s; fine'",
      'SELECT length($q$; DROP TABLE x; $q$)',
      'SELECT $$;$$ = $$;$$',
      'VALUES (1)',
      'TABLE orders_count',
    ]) {
      expect([query, sqlQueryProblem(query)]).toEqual([query, undefined]);
    }
    expect(defineService(service({ database: check('SELECT count(*) FROM orders') })).database?.backup?.restoreCheck.checks).toEqual([{ name: 'rows', query: 'SELECT count(*) FROM orders', min: 1 }]);
  });

  it('refuse a second statement, an unclosed quote or comment, and a query that writes', () => {
    expect(refusal(check('SELECT 1; DROP TABLE orders'))).toEqual(['checkout.database.backup.restoreCheck.checks[0].query: must be one SQL statement: nothing may follow the ";" that ends it (got "SELECT 1; DROP TABLE orders")']);
    expect(sqlQueryProblem("SELECT ';")).toBe('must be one SQL statement with every quote and comment closed');
    expect(sqlQueryProblem('SELECT 1 /* /* */')).toBe('must be one SQL statement with every quote and comment closed');
    expect(sqlQueryProblem('SELECT $a$ x $b$')).toBe('must be one SQL statement with every quote and comment closed');
    expect(sqlQueryProblem('SELECT "x')).toBe('must be one SQL statement with every quote and comment closed');
    expect(sqlQueryProblem("SELECT E'it\\'s'; x")).toBe('must be one SQL statement: nothing may follow the ";" that ends it');
    // Without E, a backslash escapes nothing (standard_conforming_strings): the quote closes there.
    expect(sqlQueryProblem("SELECT 'it\\'s'")).toBe('must be one SQL statement with every quote and comment closed');
    expect(sqlQueryProblem('SELECT 1;;')).toBe('must be one SQL statement: nothing may follow the ";" that ends it');
    expect(refusal(check('DELETE FROM orders'))).toEqual(['checkout.database.backup.restoreCheck.checks[0].query: must be a read-only query starting with SELECT, WITH, VALUES or TABLE (got "DELETE FROM orders")']);
    expect(sqlQueryProblem('\\! rm -rf /')).toBe('must be a read-only query starting with SELECT, WITH, VALUES or TABLE');
  });

  it('refuse an empty query, control characters and an overlong one', () => {
    expect(refusal(check(''))).toEqual(['checkout.database.backup.restoreCheck.checks[0].query: must be a SQL query, not only blanks, comments or ";" (got "")']);
    expect(sqlQueryProblem(' -- nothing\n ; ')).toBe('must be a SQL query, not only blanks, comments or ";"');
    expect(refusal(check('SELECT 1\u0000'))).toEqual(['checkout.database.backup.restoreCheck.checks[0].query: must not contain control characters (NUL, escape sequences and the like) (got "SELECT 1\\u0000")']);
    const [long] = refusal(check(`SELECT ${'1'.repeat(4090)}`));
    expect(long).toMatch(/^checkout\.database\.backup\.restoreCheck\.checks\[0\]\.query: must be at most 4096 characters long \(has 4097\) \(got "SELECT 1+\.\.\.\)$/);
  });

  it('refuse bad and repeated names, floors out of range, and too many checks', () => {
    const checks = [
      { name: 'Rows', query: 'SELECT 1', min: 1 },
      { name: 'rows', query: 'SELECT 1', min: 1e16 },
      { name: 'rows', query: 'SELECT 1', min: 0 },
    ];
    expect(refusal(database({ backup: { destination: '/b', restoreCheck: { checks } } }))).toEqual([
      'checkout.database.backup.restoreCheck.checks[0].name: must be a DNS-1123 label of at most 63 characters, such as orders-rows (got "Rows")',
      'checkout.database.backup.restoreCheck.checks[1].min: must be a number from -1000000000000000 to 1000000000000000 (got 10000000000000000)',
      'checkout.database.backup.restoreCheck.checks[2].name: must be unique among the restore checks (got "rows")',
    ]);
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `c${i}`, query: 'SELECT 1', min: 0 }));
    expect(refusal(database({ backup: { destination: '/b', restoreCheck: { checks: many } } }))).toEqual(['checkout.database.backup.restoreCheck.checks: must list at most 50 checks (got 51)']);
    expect(refusal(check('SELECT 1', { min: '5' }))).toEqual(['checkout.database.backup.restoreCheck.checks[0].min: must be a finite number (got "5")']);
  });
});

describe('refused Cloud SQL settings', () => {
  it('refuse an instance without a Google Cloud project', () => {
    expect(refusal(database({ cloudSql: { instance: 'checkout-prod' } }))).toEqual([
      'checkout.database.cloudSql: needs gcp.project: the Cloud SQL instance is created in the service\'s Google Cloud project (got "checkout-prod")',
    ]);
  });

  it('refuse names, versions, tiers, times and counts Cloud SQL refuses', () => {
    const cloudSql = { instance: 'Checkout', databaseVersion: 'MYSQL_8_0', tier: 'n1-standard-1', backupStartTime: '3:00', retainedBackups: 0, transactionLogRetentionDays: 8 };
    expect(refusal(database({ cloudSql }), { gcp: GCP })).toEqual([
      'checkout.database.cloudSql.instance: must be a Cloud SQL instance ID: at most 98 lower-case letters, digits or "-", starting with a letter and not ending with "-" (got "Checkout")',
      'checkout.database.cloudSql.databaseVersion: must be a Cloud SQL PostgreSQL version such as POSTGRES_15 (got "MYSQL_8_0")',
      'checkout.database.cloudSql.tier: must be a Cloud SQL tier such as db-custom-2-7680 or db-g1-small (got "n1-standard-1")',
      'checkout.database.cloudSql.backupStartTime: must be a time of day HH:MM in UTC, such as 03:00 (got "3:00")',
      'checkout.database.cloudSql.retainedBackups: must be an integer from 1 to 365 (got 0)',
      'checkout.database.cloudSql.transactionLogRetentionDays: must be an integer from 1 to 7 (got 8)',
    ]);
  });

  it('refuse more days of log than backups kept, as point-in-time recovery needs a base backup', () => {
    expect(refusal(database({ cloudSql: { instance: 'checkout-prod', retainedBackups: 3 } }), { gcp: GCP })).toEqual([
      'checkout.database.cloudSql.transactionLogRetentionDays: must be at most retainedBackups (3): Cloud SQL keeps the log only as far back as the oldest backup (got 7)',
    ]);
    expect(defineService(service({ gcp: GCP, database: database({ cloudSql: { instance: 'checkout-prod', retainedBackups: 3, pointInTimeRecovery: false } }) })).database?.cloudSql?.retainedBackups).toBe(3);
  });

  it('refuse a migration strategy the library does not know', () => {
    expect(refusal(database({ migration: { strategy: 'yolo' } }))).toEqual(['checkout.database.migration.strategy: must be one of expand-contract, in-place, none (got "yolo")']);
  });
});

describe('databases across environments', () => {
  const withBackups = (destination: string, environments: Record<string, unknown> = {}) =>
    defineService(service({ gcp: GCP, database: database({ backup: { destination } }), environments }));

  it('take overrides per environment, merged into the base', () => {
    const s = withBackups('gs://shop-prod-backups/checkout', { dev: { database: { host: 'checkout-db.dev', backup: { destination: '/var/backups/checkout', retentionDays: 3 } } } });
    const p = definePlatform(platform({ environments: ['dev', 'prod'], services: [s] }));
    expect(resolveEnvironment(p, s, 'dev').database).toMatchObject({ host: 'checkout-db.dev', backup: { destination: { kind: 'local', path: '/var/backups/checkout' }, retentionDays: 3, schedule: { schedule: '0 2 * * *' } } });
    expect(resolveEnvironment(p, s, 'prod').database).toMatchObject({ host: 'checkout-db.payments', backup: { destination: { kind: 'gcs', bucket: 'shop-prod-backups' }, retentionDays: 30 } });
  });

  it('refuse an override that leaves the merged database invalid', () => {
    expect(definitionErrorOf(() => withBackups('gs://shop-prod-backups/checkout', { dev: { database: { backup: { retentionDays: 0 } } } }))).toContain(
      'checkout.environments.dev.database.backup.retentionDays: must be an integer from 1 to 3650 (got 0)',
    );
  });

  it('refuse an unknown field in an override, with the field it most likely meant', () => {
    expect(definitionErrorOf(() => withBackups('gs://shop-prod-backups/checkout', { dev: { database: { backup: { retention: 3 } } } }))).toContain(
      'checkout.environments.dev.database.backup.retention: is not a known field; did you mean retentionDays? (got 3)',
    );
  });

  it('refuse a local folder in production', () => {
    const s = withBackups('/var/backups/checkout');
    expect(definitionErrorOf(() => definePlatform(platform({ environments: ['dev', 'prod'], services: [s] })))).toContain(
      'checkout.database.backup.destination: must be a gs:// URL in production environment prod: a folder in the job\'s pod is gone with the pod (got "/var/backups/checkout")',
    );
  });

  it('refuse one bucket for two environments or two services', () => {
    const s = withBackups('gs://shop-backups/checkout');
    expect(definitionErrorOf(() => definePlatform(platform({ environments: ['dev', 'prod'], services: [s] })))).toContain(
      'checkout.database.backup.destination: must name a bucket of its own: shop-backups already holds the backups of checkout in dev, and a bucket\'s lifecycle keeps one retention (got "gs://shop-backups/checkout")',
    );
    const other = defineService(service({ name: 'billing', database: database({ backup: { destination: 'gs://shop-backups/billing' } }) }));
    expect(definitionErrorOf(() => definePlatform(platform({ environments: ['prod'], services: [s, other] })))).toContain(
      'billing.database.backup.destination: must name a bucket of its own: shop-backups already holds the backups of checkout in prod, and a bucket\'s lifecycle keeps one retention (got "gs://shop-backups/billing")',
    );
    const split = withBackups('gs://shop-prod-backups/checkout', { dev: { database: { backup: { destination: 'gs://shop-dev-backups/checkout' } } } });
    expect(definePlatform(platform({ environments: ['dev', 'prod'], services: [split] })).services).toHaveLength(1);
  });
});
