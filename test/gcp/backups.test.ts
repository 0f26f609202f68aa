import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Testing } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { DatabaseInput, DefinitionError, resolveEnvironment } from '../../lib/definition';
import { BACKUP_BUCKET_DEFAULTS, GcpDatabaseBackups, GcpPlatformStack, gcpBackupPlan, gcpStackName } from '../../lib/gcp';
import { gcpPlatform, gcpService, resourceCounts, resourcesOf } from '../fixtures/gcp';

setupJest();

const ACCOUNT = 'orders-backup@acme-prod-1234.iam.gserviceaccount.com';

/** The orders database, backed up to its own bucket per environment. */
function database(changes: Partial<DatabaseInput> = {}): DatabaseInput {
  return {
    host: 'orders-db.shop',
    name: 'orders',
    credentials: { user: { name: 'orders-db', key: 'user' }, password: { name: 'orders-db', key: 'password' } },
    backup: { destination: 'gs://acme-prod-orders-backups/orders', retentionDays: 35, gcpServiceAccount: ACCOUNT },
    ...changes,
  };
}

const DEV = { dev: { database: { backup: { destination: 'gs://acme-dev-orders-backups/orders', retentionDays: 7 } } } };

function synth(changes: Partial<DatabaseInput> = {}, environment = 'prod'): string {
  const { service } = gcpService({ database: database(changes), environments: DEV }, environment);
  return Testing.synthScope((scope) => new GcpDatabaseBackups(scope, 'orders_backups', { service }));
}

describe('the backup bucket', () => {
  it('has uniform access, enforced public access prevention and versioning, and deletes dumps after retentionDays', () => {
    expect(synth()).toHaveResourceWithProperties(StorageBucket, {
      name: 'acme-prod-orders-backups',
      project: 'acme-prod-1234',
      location: 'EUROPE-WEST1',
      storage_class: 'STANDARD',
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      versioning: { enabled: true },
      force_destroy: false,
      labels: { environment: 'prod', platform: 'acme', service: 'orders', team: 'shop', tier: 'critical', purpose: 'database-backups' },
      lifecycle_rule: [
        { action: { type: 'Delete' }, condition: { age: 35, with_state: 'LIVE' } },
        { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 7, with_state: 'ARCHIVED' } },
      ],
    });
    expect(BACKUP_BUCKET_DEFAULTS.noncurrentVersionDays).toBe(7);
  });

  it('takes the retention of the environment, and the default of 30 days', () => {
    const dev = resourcesOf<{ name: string; lifecycle_rule: { condition: { age?: number } }[] }>(synth({}, 'dev'), 'google_storage_bucket');
    expect(Object.values(dev).map((b) => [b.name, b.lifecycle_rule[0].condition.age])).toEqual([['acme-dev-orders-backups', 7]]);
    const plain = gcpBackupPlan(gcpService({ database: database({ backup: { destination: 'gs://acme-prod-orders-backups' } }), environments: DEV }).service);
    expect(plain.bucket?.retentionDays).toBe(30);
  });

  it('lets the jobs\' Google service account create and read dumps, not delete them, and their Kubernetes ServiceAccounts act as it', () => {
    const json = synth();
    const members = Object.values(resourcesOf<{ role: string; member: string }>(json, 'google_storage_bucket_iam_member')).map((m) => [m.role, m.member]);
    expect(members).toEqual([
      ['roles/storage.objectCreator', `serviceAccount:${ACCOUNT}`],
      ['roles/storage.objectViewer', `serviceAccount:${ACCOUNT}`],
    ]);
    // Each names the bucket resource, so Terraform creates the bucket first.
    expect(Object.values(resourcesOf<{ bucket: string }>(json, 'google_storage_bucket_iam_member')).map((m) => m.bucket)).toEqual([
      expect.stringMatching(/^\$\{google_storage_bucket\.orders_backups_bucket_[0-9A-F]{8}\.name\}$/),
      expect.stringMatching(/^\$\{google_storage_bucket\.orders_backups_bucket_[0-9A-F]{8}\.name\}$/),
    ]);
    expect(json).toHaveResource(StorageBucketIamMember);
    const bindings = Object.values(resourcesOf<{ service_account_id: string; role: string; member: string }>(json, 'google_service_account_iam_member'));
    expect(bindings).toEqual([
      { service_account_id: `projects/acme-prod-1234/serviceAccounts/${ACCOUNT}`, role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:acme-prod-1234.svc.id.goog[shop/orders-db-backup]' },
      { service_account_id: `projects/acme-prod-1234/serviceAccounts/${ACCOUNT}`, role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:acme-prod-1234.svc.id.goog[shop/orders-db-restore]' },
    ]);
    expect(json).toHaveResource(ServiceAccountIamMember);
  });

  it('grants nothing without a Google service account, and makes no bucket for a local destination', () => {
    const json = synth({ backup: { destination: 'gs://acme-prod-orders-backups/orders' } });
    expect(resourceCounts(json)).toEqual({ google_storage_bucket: 1 });
    const { service } = gcpService({ database: database({ backup: { destination: '/var/backups/orders' } }) }, 'dev', { environments: ['dev'] });
    expect(gcpBackupPlan(service)).toEqual({});
  });
});

describe('Cloud SQL automated backups', () => {
  it('keep 14 backups a day from 03:00 UTC with point-in-time recovery over 7 days of log by default, and protect the instance', () => {
    expect(synth({ cloudSql: { instance: 'orders-prod' } })).toHaveResourceWithProperties(SqlDatabaseInstance, {
      name: 'orders-prod',
      project: 'acme-prod-1234',
      region: 'europe-west1',
      database_version: 'POSTGRES_15',
      deletion_protection: true,
      settings: {
        tier: 'db-custom-1-3840',
        edition: 'ENTERPRISE',
        deletion_protection_enabled: true,
        retain_backups_on_delete: true,
        user_labels: { environment: 'prod', platform: 'acme', service: 'orders', team: 'shop', tier: 'critical' },
        ip_configuration: { ssl_mode: 'ENCRYPTED_ONLY' },
        backup_configuration: {
          enabled: true,
          start_time: '03:00',
          point_in_time_recovery_enabled: true,
          transaction_log_retention_days: 7,
          backup_retention_settings: { retained_backups: 14, retention_unit: 'COUNT' },
        },
      },
    });
  });

  it('follow the definition, without a log to keep when point-in-time recovery is off', () => {
    const json = synth({ cloudSql: { instance: 'orders-prod', pointInTimeRecovery: false, retainedBackups: 30, backupStartTime: '22:15', tier: 'db-custom-2-7680', databaseVersion: 'POSTGRES_16' } });
    const [instance] = Object.values(resourcesOf<{ database_version: string; settings: { tier: string; backup_configuration: Record<string, unknown> } }>(json, 'google_sql_database_instance'));
    expect(instance.database_version).toBe('POSTGRES_16');
    expect(instance.settings.tier).toBe('db-custom-2-7680');
    expect(instance.settings.backup_configuration).toEqual({ enabled: true, start_time: '22:15', point_in_time_recovery_enabled: false, backup_retention_settings: { retained_backups: 30, retention_unit: 'COUNT' } });
  });
});

describe('backups in the platform stack', () => {
  it('are written per service that has them, in each environment with its own bucket', () => {
    const platform = gcpPlatform({ database: database({ cloudSql: { instance: 'orders-prod' } }), environments: DEV });
    const prod = new GcpPlatformStack(Testing.app(), gcpStackName(platform, 'prod'), { platform, environment: 'prod' });
    expect(Object.keys(prod.backups)).toEqual(['orders']);
    const counts = resourceCounts(Testing.synth(prod));
    expect([counts.google_storage_bucket, counts.google_storage_bucket_iam_member, counts.google_service_account_iam_member, counts.google_sql_database_instance]).toEqual([1, 2, 2, 1]);
    const dev = Testing.synth(new GcpPlatformStack(Testing.app(), gcpStackName(platform, 'dev'), { platform, environment: 'dev' }));
    expect(Object.values(resourcesOf<{ name: string }>(dev, 'google_storage_bucket')).map((b) => b.name)).toEqual(['acme-dev-orders-backups']);
  });

  it('refuse a service without Google Cloud settings', () => {
    const platform = gcpPlatform({ gcp: undefined, database: database({ backup: { destination: '/var/backups/orders' } }) }, { environments: ['dev'] });
    expect(() => gcpBackupPlan(resolveEnvironment(platform, 'orders', 'dev'))).toThrow(DefinitionError);
    expect(() => gcpBackupPlan(resolveEnvironment(platform, 'orders', 'dev'))).toThrow('orders.gcp: must be set for backups on Google Cloud (project, region) (got undefined)');
  });
});
