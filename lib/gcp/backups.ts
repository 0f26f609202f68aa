/**
 * Backups of a service's database on Google Cloud, from its `database` definition: the
 * Cloud Storage bucket the backup job writes its dumps to (uniform bucket-level access, public
 * access prevention enforced, versioning, dumps deleted after `retentionDays` and overwritten or
 * deleted versions a week later), the bucket roles and the Workload Identity binding of the
 * jobs' Google service account, and optionally a Cloud SQL instance with automated backups and
 * point-in-time recovery.
 *
 * The content is plain data (`gcpBackupPlan`); `GcpDatabaseBackups` writes it as resources.
 * @see https://cloud.google.com/storage/docs/lifecycle
 * @see https://cloud.google.com/storage/docs/public-access-prevention
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
 * @see https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr
 */
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import { CloudSql, DefinitionError, EffectiveService, databaseJobNames } from '../definition';
import { gcpUserLabels, hasGcp } from './policies';

/** Bucket settings the definition does not state. */
export const BACKUP_BUCKET_DEFAULTS = Object.freeze({
  /** Days an overwritten or deleted version stays, so a mistaken deletion can be undone. */
  noncurrentVersionDays: 7,
  storageClass: 'STANDARD',
});

/**
 * The roles the jobs' Google service account gets on the bucket: create objects (the backup
 * job, which never overwrites: `--no-clobber`) and list and read them (the restore test). Not
 * delete: only the lifecycle deletes dumps.
 */
export const BACKUP_BUCKET_ROLES: readonly string[] = Object.freeze(['roles/storage.objectCreator', 'roles/storage.objectViewer']);

/** The backup bucket of a service in one environment, as plain data. */
export interface GcpBackupBucket {
  readonly name: string;
  readonly project: string;
  readonly location: string;
  readonly storageClass: string;
  readonly retentionDays: number;
  readonly noncurrentVersionDays: number;
  readonly labels: Readonly<Record<string, string>>;
  /** IAM members per role on the bucket. */
  readonly members: readonly { readonly role: string; readonly member: string }[];
}

/** The Workload Identity binding: the jobs' Kubernetes ServiceAccounts may act as the Google one. */
export interface GcpWorkloadIdentity {
  /** `projects/<project>/serviceAccounts/<email>`. */
  readonly serviceAccountId: string;
  readonly members: readonly string[];
}

/** The Cloud SQL instance of a service in one environment, as plain data. */
export interface GcpCloudSqlInstance extends CloudSql {
  readonly project: string;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Everything a service's database backups need on Google Cloud in one environment. */
export interface GcpBackupPlan {
  readonly bucket?: GcpBackupBucket;
  readonly workloadIdentity?: GcpWorkloadIdentity;
  readonly cloudSql?: GcpCloudSqlInstance;
}

/** Whether a service has anything to back up on Google Cloud. */
export function hasGcpBackups(service: EffectiveService): boolean {
  return hasGcp(service) && (service.database?.backup?.destination.kind === 'gcs' || service.database?.cloudSql !== undefined);
}

/**
 * The backup resources of a service in one environment: the bucket of a `gs://` destination,
 * in the service's project and region; the bucket roles and Workload Identity binding of
 * `backup.gcpServiceAccount` (the cluster's workload pool is `<project>.svc.id.goog`, the
 * service's project); the Cloud SQL instance of `cloudSql`.
 * @throws DefinitionError when the service has no `gcp` settings
 */
export function gcpBackupPlan(service: EffectiveService): GcpBackupPlan {
  if (!hasGcp(service)) {
    throw new DefinitionError(`database backups of ${service.name}`, [{ path: `${service.name}.gcp`, problem: 'must be set for backups on Google Cloud (project, region)', value: undefined }]);
  }
  const { project, region } = service.gcp;
  const labels = gcpUserLabels(service);
  const backup = service.database?.backup;
  const account = backup?.gcpServiceAccount;
  const names = databaseJobNames(service.name);
  const workloadIdentity =
    account === undefined || backup?.destination.kind !== 'gcs'
      ? undefined
      : {
          serviceAccountId: `projects/${account.slice(account.indexOf('@') + 1, -'.iam.gserviceaccount.com'.length)}/serviceAccounts/${account}`,
          members: [names.backup, names.restoreCheck].sort().map((ksa) => `serviceAccount:${project}.svc.id.goog[${service.namespace}/${ksa}]`),
        };
  const bucket =
    backup?.destination.kind !== 'gcs'
      ? undefined
      : {
          name: backup.destination.bucket,
          project,
          location: region.toUpperCase(),
          storageClass: BACKUP_BUCKET_DEFAULTS.storageClass,
          retentionDays: backup.retentionDays,
          noncurrentVersionDays: BACKUP_BUCKET_DEFAULTS.noncurrentVersionDays,
          labels: { ...labels, purpose: 'database-backups' },
          members: account === undefined ? [] : BACKUP_BUCKET_ROLES.map((role) => ({ role, member: `serviceAccount:${account}` })),
        };
  const sql = service.database?.cloudSql;
  return {
    ...(bucket === undefined ? {} : { bucket }),
    ...(workloadIdentity === undefined ? {} : { workloadIdentity }),
    ...(sql === undefined ? {} : { cloudSql: { ...sql, project, region, labels } }),
  };
}

/** Props of `GcpDatabaseBackups`. */
export interface GcpDatabaseBackupsProps {
  /** The effective service, with `gcp` settings and a `database`. */
  readonly service: EffectiveService;
}

/**
 * Writes a service's `gcpBackupPlan` as resources: `google_storage_bucket` (`bucket`),
 * `google_storage_bucket_iam_member` per role, `google_service_account_iam_member` for Workload
 * Identity, `google_sql_database_instance` (`cloud_sql`).
 * @example
 * new GcpDatabaseBackups(stack, 'orders_backups', { service: resolveEnvironment(platform, 'orders', 'prod') });
 */
export class GcpDatabaseBackups extends Construct {
  /** The plan written. */
  public readonly plan: GcpBackupPlan;
  /** The backup bucket, for a `gs://` destination. */
  public readonly bucket?: StorageBucket;
  /** The Cloud SQL instance, for `cloudSql`. */
  public readonly cloudSql?: SqlDatabaseInstance;

  constructor(scope: Construct, id: string, props: GcpDatabaseBackupsProps) {
    super(scope, id);
    this.plan = gcpBackupPlan(props.service);
    const { bucket, workloadIdentity, cloudSql } = this.plan;
    if (bucket !== undefined) {
      this.bucket = new StorageBucket(this, 'bucket', {
        name: bucket.name,
        project: bucket.project,
        location: bucket.location,
        storageClass: bucket.storageClass,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        versioning: { enabled: true },
        forceDestroy: false,
        labels: bucket.labels,
        lifecycleRule: [
          { action: { type: 'Delete' }, condition: { age: bucket.retentionDays, withState: 'LIVE' } },
          { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: bucket.noncurrentVersionDays, withState: 'ARCHIVED' } },
        ],
      });
      for (const { role, member } of bucket.members) {
        new StorageBucketIamMember(this, `bucket_${role.replace(/^roles\/storage\./, '')}`, { bucket: this.bucket.name, role, member });
      }
    }
    for (const member of workloadIdentity?.members ?? []) {
      // Named by the Kubernetes ServiceAccount: `workload_identity_<service>-db-backup`.
      const ksa = member.slice(member.indexOf('/') + 1, -1);
      new ServiceAccountIamMember(this, `workload_identity_${ksa}`, { serviceAccountId: (workloadIdentity as GcpWorkloadIdentity).serviceAccountId, role: 'roles/iam.workloadIdentityUser', member });
    }
    if (cloudSql !== undefined) {
      this.cloudSql = new SqlDatabaseInstance(this, 'cloud_sql', {
        name: cloudSql.instance,
        project: cloudSql.project,
        region: cloudSql.region,
        databaseVersion: cloudSql.databaseVersion,
        deletionProtection: true,
        settings: {
          tier: cloudSql.tier,
          edition: 'ENTERPRISE',
          deletionProtectionEnabled: true,
          retainBackupsOnDelete: true,
          userLabels: cloudSql.labels,
          ipConfiguration: { sslMode: 'ENCRYPTED_ONLY' },
          backupConfiguration: {
            enabled: true,
            startTime: cloudSql.backupStartTime,
            pointInTimeRecoveryEnabled: cloudSql.pointInTimeRecovery,
            ...(cloudSql.pointInTimeRecovery ? { transactionLogRetentionDays: cloudSql.transactionLogRetentionDays } : {}),
            backupRetentionSettings: { retainedBackups: cloudSql.retainedBackups, retentionUnit: 'COUNT' },
          },
        },
      });
    }
  }
}
