/**
 * The two scheduled jobs of a service's database, as plans for `ScheduledJob`: the backup
 * (`pg_dump --format=custom`, then the dump copied to its destination) and the monthly restore
 * test (the latest dump fetched, restored into a PostgreSQL server of the pod's own, and the
 * definition's check queries run on the copy). Both run scripts of `lib/ops/scripts/` with
 * pinned public images; for a `gs://` destination a first step runs in the image holding the
 * tool it needs (the PostgreSQL client, or gcloud), sharing the work folder with the second.
 * @see https://www.postgresql.org/docs/15/app-pgdump.html
 * @see https://cloud.google.com/storage/docs/gsutil-transition-to-gcloud
 */
import { Database, DatabaseBackup, EffectiveService, PlatformDefinition, Resources, databaseJobNames } from '../definition';
import { restoreCheckFiles } from './restore-check-files';
import { JobEgress, ScheduledJobPlan, scheduledJobPlan } from './scheduled-job-plan';

/**
 * The PostgreSQL image: the official `postgres` 17.11 on Debian bookworm, by the digest of its
 * multi-platform index as docker-library/repo-info publishes it
 * (repos/postgres/remote/17.11-bookworm.md). pg_dump and pg_restore 17 read servers from 9.2 on,
 * and the restore test's own server is this one. Its `postgres` user is uid 999.
 * @see https://github.com/docker-library/repo-info/blob/master/repos/postgres/remote/17.11-bookworm.md
 */
export const POSTGRES_IMAGE = 'docker.io/library/postgres:17.11-bookworm@sha256:639ab7ceb90e13123085b741fb31ef493fba25463002f6da665352e7b534b652';

/**
 * The Google Cloud CLI image (`gcloud storage`), slim Debian variant 562.0.0, by the digest
 * public build files pin it with. Check with `crane digest` before a first deployment.
 * @see https://github.com/GoogleCloudPlatform/cloud-sdk-docker
 */
export const GCLOUD_IMAGE = 'gcr.io/google.com/cloudsdktool/google-cloud-cli:562.0.0-slim@sha256:0da2de42ae51cd6092b5caf7c96d25003659fd15548760eb4c50c2623e7bf9c2';

/** Settings of the database jobs the definition does not state. */
export const DATABASE_JOB_DEFAULTS = Object.freeze({
  /** The `postgres` user of `POSTGRES_IMAGE`, which initdb needs to find in /etc/passwd. */
  runAsUser: 999,
  /** How long a backup may run, and a restore test (it restores the whole database). */
  backupActiveDeadline: '1h',
  restoreActiveDeadline: '3h',
  /** Room for the dump (and, for the restore test, the restored copy) in the pod's `/tmp`. */
  backupWorkMebibytes: 10240,
  restoreWorkMebibytes: 30720,
  /** Where the restore test's check files are mounted. */
  checksDirectory: '/checks',
  /** The annotation that binds a Kubernetes ServiceAccount to a Google one (GKE Workload Identity). */
  workloadIdentityAnnotation: 'iam.gke.io/gcp-service-account',
});

/** Requests and limits of the backup pod: pg_dump streams, so memory stays small. */
export const BACKUP_RESOURCES: Resources = Object.freeze({
  requests: Object.freeze({ cpu: '100m', memory: '256Mi' }),
  limits: Object.freeze({ cpu: '1', memory: '1Gi' }),
});

/** Requests and limits of the restore test: a PostgreSQL server restoring and indexing the copy. */
export const RESTORE_RESOURCES: Resources = Object.freeze({
  requests: Object.freeze({ cpu: '250m', memory: '512Mi' }),
  limits: Object.freeze({ cpu: '2', memory: '2Gi' }),
});

/** What a pod reaching Cloud Storage with Workload Identity needs: HTTPS, and the GKE metadata server. */
const GCS_EGRESS: readonly JobEgress[] = Object.freeze([{ ports: [443] }, { ports: [80, 988], cidrs: ['169.254.169.254/32'] }]);

function workloadIdentity(backup: DatabaseBackup): Readonly<Record<string, string>> | undefined {
  return backup.destination.kind === 'gcs' && backup.gcpServiceAccount !== undefined ? { [DATABASE_JOB_DEFAULTS.workloadIdentityAnnotation]: backup.gcpServiceAccount } : undefined;
}

/** The backup job of a service's database. */
function backupPlan(platform: PlatformDefinition, service: EffectiveService, database: Database, backup: DatabaseBackup): ScheduledJobPlan {
  const gcs = backup.destination.kind === 'gcs';
  const name = databaseJobNames(service.name).backup;
  return scheduledJobPlan(platform, {
    name,
    owner: { kind: 'service', service },
    schedule: backup.schedule,
    image: gcs ? GCLOUD_IMAGE : POSTGRES_IMAGE,
    script: 'backup.sh',
    args: [gcs ? 'upload' : 'all'],
    initSteps: gcs ? [{ name: 'dump', image: POSTGRES_IMAGE, args: ['dump'] }] : [],
    env: {
      PGHOST: database.host,
      PGPORT: String(database.port),
      PGDATABASE: database.name,
      PGCONNECT_TIMEOUT: '30',
      BACKUP_DESTINATION: backup.destination.url,
      BACKUP_WORKDIR: '/tmp/backup',
      ...(gcs ? { CLOUDSDK_CONFIG: '/tmp/gcloud' } : {}),
    },
    secretEnv: { PGUSER: database.credentials.user, PGPASSWORD: database.credentials.password },
    resources: BACKUP_RESOURCES,
    runAsUser: DATABASE_JOB_DEFAULTS.runAsUser,
    tmpSizeMebibytes: DATABASE_JOB_DEFAULTS.backupWorkMebibytes,
    serviceAccountAnnotations: workloadIdentity(backup),
    egress: [{ ports: [database.port] }, ...(gcs ? GCS_EGRESS : [])],
    alerts: { prefix: 'DatabaseBackup', purpose: `dumps the database ${database.name} with pg_dump to ${backup.destination.url}`, failedSeverity: 'high', staleSeverity: 'high' },
  });
}

/** The restore test of a service's database: no credentials, no connection to the database itself. */
function restorePlan(platform: PlatformDefinition, service: EffectiveService, database: Database, backup: DatabaseBackup): ScheduledJobPlan {
  const gcs = backup.destination.kind === 'gcs';
  const name = databaseJobNames(service.name).restoreCheck;
  const check = backup.restoreCheck;
  const floors = check.checks.length === 0 ? 'restores it' : `restores it and checks ${check.checks.map((c) => c.name).join(', ')}`;
  return scheduledJobPlan(platform, {
    name,
    owner: { kind: 'service', service },
    schedule: check.schedule,
    image: POSTGRES_IMAGE,
    script: 'restore-check.sh',
    args: [gcs ? 'verify' : 'all'],
    initSteps: gcs ? [{ name: 'fetch', image: GCLOUD_IMAGE, args: ['fetch'] }] : [],
    env: {
      BACKUP_DESTINATION: backup.destination.url,
      BACKUP_NAME: database.name,
      RESTORE_WORKDIR: '/tmp/restore',
      RESTORE_SERVER: 'ephemeral',
      RESTORE_CHECKS_DIR: DATABASE_JOB_DEFAULTS.checksDirectory,
      ...(gcs ? { CLOUDSDK_CONFIG: '/tmp/gcloud' } : {}),
    },
    files: { directory: DATABASE_JOB_DEFAULTS.checksDirectory, data: restoreCheckFiles(check.checks) },
    resources: RESTORE_RESOURCES,
    runAsUser: DATABASE_JOB_DEFAULTS.runAsUser,
    tmpSizeMebibytes: DATABASE_JOB_DEFAULTS.restoreWorkMebibytes,
    serviceAccountAnnotations: workloadIdentity(backup),
    egress: gcs ? GCS_EGRESS : [],
    alerts: { prefix: 'DatabaseRestoreCheck', purpose: `fetches the latest backup of ${database.name} from ${backup.destination.url}, ${floors}`, failedSeverity: 'high', staleSeverity: 'medium' },
  });
}

/**
 * The backup and restore-test jobs of a service in one environment, sorted by name; none
 * without `database.backup`.
 * @example
 * const [backup, restore] = databaseJobPlans(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 */
export function databaseJobPlans(platform: PlatformDefinition, service: EffectiveService): ScheduledJobPlan[] {
  const database = service.database;
  const backup = database?.backup;
  if (database === undefined || backup === undefined) return [];
  return [backupPlan(platform, service, database, backup), restorePlan(platform, service, database, backup)];
}
