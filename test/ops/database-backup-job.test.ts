import { App, Chart, Testing } from 'cdk8s';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { DatabaseInput, resolveEnvironment, runbookUrl } from '../../lib/definition';
import { serviceOutputs } from '../../lib/k8s/service-outputs';
import { BACKUP_RESOURCES, DATABASE_JOB_DEFAULTS, DatabaseBackupJob, GCLOUD_IMAGE, POSTGRES_IMAGE, RESTORE_RESOURCES, databaseJobPlans, readScript, serviceJobPlans } from '../../lib/ops';
import { jobRuleFiles } from '../../lib/synth/job-rules';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { KubeObject, schemaProblems } from '../support/schema';
import { describeWithTool, runTool, scratchDir } from '../support/tools';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ACCOUNT = 'orders-backup@acme-prod-1234.iam.gserviceaccount.com';
const CHECKS = [
  { name: 'orders-rows', query: 'SELECT count(*) FROM orders', min: 1000 },
  { name: 'recent', query: "SELECT count(*) FROM orders WHERE created_at > now() - interval '2 days'", min: 1 },
];

/** The orders database: Cloud Storage in prod, a local folder in dev. */
const DATABASE: DatabaseInput = {
  host: 'orders-db.shop',
  name: 'orders',
  credentials: { user: { name: 'orders-db', key: 'username' }, password: { name: 'orders-db', key: 'password' } },
  backup: { destination: 'gs://acme-prod-orders-backups/orders', gcpServiceAccount: ACCOUNT, restoreCheck: { checks: CHECKS } },
};

function setup(database: DatabaseInput = DATABASE) {
  const platform = testPlatform({ ...BASE_SERVICE, database, environments: { dev: { database: { backup: { destination: '/tmp/backups/orders' } } } } });
  return { platform, prod: resolveEnvironment(platform, 'orders', 'prod'), dev: resolveEnvironment(platform, 'orders', 'dev') };
}

function synth(environment: 'prod' | 'dev' = 'prod'): KubeObject[] {
  const { platform, ...services } = setup();
  const chart = new Chart(new App(), 'orders', { disableResourceNameHashes: true });
  new DatabaseBackupJob(chart, 'database', { platform, service: services[environment] });
  return Testing.synth(chart) as KubeObject[];
}

const named = (objects: readonly KubeObject[], kind: string, name: string): Json => objects.find((o) => o.kind === kind && (o.metadata as Json).name === name);
const pod = (objects: readonly KubeObject[], name: string): Json => named(objects, 'CronJob', name).spec.jobTemplate.spec.template.spec;

describe('DatabaseBackupJob', () => {
  it('gives objects the Kubernetes and prometheus-operator schemas accept', () => {
    const objects = [...synth('prod'), ...synth('dev')];
    expect(objects.filter((o) => o.kind === 'CronJob').map((o) => (o.metadata as Json).name)).toEqual(['orders-db-backup', 'orders-db-restore', 'orders-db-backup', 'orders-db-restore']);
    for (const object of objects) expect([object.kind, schemaProblems(object)]).toEqual([object.kind, []]);
  });

  it('backs up daily at 02:00 UTC, never overlapping, within an hour; tests a restore monthly within three hours', () => {
    const objects = synth();
    const backup = named(objects, 'CronJob', 'orders-db-backup').spec;
    expect(backup).toMatchObject({ schedule: '0 2 * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { activeDeadlineSeconds: 3600 } } });
    const restore = named(objects, 'CronJob', 'orders-db-restore').spec;
    expect(restore).toMatchObject({ schedule: '0 5 1 * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { activeDeadlineSeconds: 10800 } } });
  });

  it('dumps with the pinned postgres image, then uploads with the pinned gcloud image, reading the credentials from their Secret keys', () => {
    const spec = pod(synth(), 'orders-db-backup');
    expect(spec.initContainers.map((c: Json) => [c.name, c.image, c.command])).toEqual([['dump', POSTGRES_IMAGE, ['/bin/sh', '/scripts/backup.sh', 'dump']]]);
    expect(spec.containers.map((c: Json) => [c.name, c.image, c.command])).toEqual([['job', GCLOUD_IMAGE, ['/bin/sh', '/scripts/backup.sh', 'upload']]]);
    for (const container of [...spec.initContainers, ...spec.containers]) {
      expect(container.env).toEqual([
        { name: 'BACKUP_DESTINATION', value: 'gs://acme-prod-orders-backups/orders' },
        { name: 'BACKUP_WORKDIR', value: '/tmp/backup' },
        { name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' },
        { name: 'HOME', value: '/tmp' },
        { name: 'PGCONNECT_TIMEOUT', value: '30' },
        { name: 'PGDATABASE', value: 'orders' },
        { name: 'PGHOST', value: 'orders-db.shop' },
        { name: 'PGPORT', value: '5432' },
        { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
        { name: 'PGUSER', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'username' } } },
      ]);
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(container.resources).toEqual(BACKUP_RESOURCES);
    }
    expect(spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: `${DATABASE_JOB_DEFAULTS.backupWorkMebibytes}Mi` } });
    expect(JSON.stringify(synth())).not.toContain('hunter');
  });

  it('restores in a server of its own pod, with no database credentials, the checks in their own ConfigMap', () => {
    const objects = synth();
    const spec = pod(objects, 'orders-db-restore');
    expect(spec.initContainers.map((c: Json) => [c.name, c.image, c.command])).toEqual([['fetch', GCLOUD_IMAGE, ['/bin/sh', '/scripts/restore-check.sh', 'fetch']]]);
    expect(spec.containers.map((c: Json) => [c.name, c.image, c.command])).toEqual([['job', POSTGRES_IMAGE, ['/bin/sh', '/scripts/restore-check.sh', 'verify']]]);
    const [container] = spec.containers;
    expect(container.env.map((e: Json) => e.name)).toEqual(['BACKUP_DESTINATION', 'BACKUP_NAME', 'CLOUDSDK_CONFIG', 'HOME', 'RESTORE_CHECKS_DIR', 'RESTORE_SERVER', 'RESTORE_WORKDIR']);
    expect(container.env.find((e: Json) => e.name === 'RESTORE_SERVER').value).toBe('ephemeral');
    expect(container.resources).toEqual(RESTORE_RESOURCES);
    expect(container.volumeMounts).toContainEqual({ name: 'files', mountPath: '/checks', readOnly: true });
    expect(named(objects, 'ConfigMap', 'orders-db-restore-files').data).toEqual({
      '01-orders-rows.min': '1000\n',
      '01-orders-rows.sql': 'SELECT count(*) FROM orders\n',
      '02-recent.min': '1\n',
      '02-recent.sql': "SELECT count(*) FROM orders WHERE created_at > now() - interval '2 days'\n",
    });
    expect(named(objects, 'ConfigMap', 'orders-db-restore-script').data).toEqual({ 'restore-check.sh': readScript('restore-check.sh') });
  });

  it('binds both ServiceAccounts to the Google service account for Workload Identity, with no API token', () => {
    const objects = synth();
    for (const name of ['orders-db-backup', 'orders-db-restore']) {
      const account = named(objects, 'ServiceAccount', name);
      expect(account.metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': ACCOUNT });
      expect(account.automountServiceAccountToken).toBe(false);
      expect(pod(objects, name).serviceAccountName).toBe(name);
    }
    expect(objects.some((o) => o.kind === 'Role' || o.kind === 'ClusterRole')).toBe(false);
  });

  it('lets the backup reach the database port and Cloud Storage, the restore test only Cloud Storage', () => {
    const objects = synth();
    const egress = (name: string): Json[] => named(objects, 'NetworkPolicy', name).spec.egress.slice(1);
    const anywhere = [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
    const metadataServer = { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ port: 80, protocol: 'TCP' }, { port: 988, protocol: 'TCP' }] };
    expect(egress('orders-db-backup')).toEqual([{ to: anywhere, ports: [{ port: 5432, protocol: 'TCP' }] }, { to: anywhere, ports: [{ port: 443, protocol: 'TCP' }] }, metadataServer]);
    expect(egress('orders-db-restore')).toEqual([{ to: anywhere, ports: [{ port: 443, protocol: 'TCP' }] }, metadataServer]);
  });

  it('runs each job in the postgres image alone for a local destination, without Workload Identity', () => {
    const objects = synth('dev');
    for (const [name, script] of [['orders-db-backup', 'backup.sh'], ['orders-db-restore', 'restore-check.sh']]) {
      const spec = pod(objects, name);
      expect(spec.initContainers).toBeUndefined();
      expect(spec.containers.map((c: Json) => [c.image, c.command])).toEqual([[POSTGRES_IMAGE, ['/bin/sh', `/scripts/${script}`, 'all']]]);
      expect(named(objects, 'ServiceAccount', name).metadata.annotations).toBeUndefined();
    }
    expect(named(objects, 'NetworkPolicy', 'orders-db-restore').spec.egress).toHaveLength(1);
  });

  it('alerts when a run fails or none succeeded for too long, with runbook and dashboard links, listed in serviceOutputs', () => {
    const { platform, prod } = setup();
    const rules = databaseJobPlans(platform, prod).flatMap((p) => p.alerts);
    expect(rules.map((r) => [r.alert, r.labels.severity, r.labels.cronjob])).toEqual([
      ['DatabaseBackupJobFailed', 'high', 'orders-db-backup'],
      ['DatabaseBackupJobStale', 'high', 'orders-db-backup'],
      ['DatabaseRestoreCheckJobFailed', 'high', 'orders-db-restore'],
      ['DatabaseRestoreCheckJobStale', 'medium', 'orders-db-restore'],
    ]);
    for (const rule of rules) expect(rule.annotations.runbook_url).toBe(runbookUrl(platform, prod, rule.alert));
    expect(rules[0].annotations.description).toContain('dumps the database orders with pg_dump to gs://acme-prod-orders-backups/orders');
    expect(rules[2].annotations.description).toContain('restores it and checks orders-rows, recent');
    const outputs = serviceOutputs(platform, prod);
    expect(outputs.jobRuleGroups.map((g) => g.name)).toEqual(['orders-db-backup-job', 'orders-db-restore-job']);
    expect(outputs.jobs.map((p) => p.name)).toEqual(['orders-db-backup', 'orders-db-restore']);
    expect(serviceJobPlans(platform, prod).map((p) => p.name)).toEqual(['orders-db-backup', 'orders-db-restore']);
  });

  it('has no jobs for a service without backups, and refuses to be built for one', () => {
    const { platform, prod } = setup({ ...DATABASE, backup: undefined });
    expect(databaseJobPlans(platform, prod)).toEqual([]);
    const chart = new Chart(new App(), 'orders');
    expect(() => new DatabaseBackupJob(chart, 'database', { platform, service: prod })).toThrow('[prod/orders] DatabaseBackupJob needs database.backup in the definition of orders');
  });
});

describeWithTool('promtool', 'the database jobs\' alerts under promtool', () => {
  const dir = scratchDir('database-job-alerts');

  it('pass promtool check rules and test rules', () => {
    const { platform, prod } = setup();
    for (const file of jobRuleFiles('database', databaseJobPlans(platform, prod))) writeFileSync(join(dir(), file.path), file.content);
    const check = runTool('promtool', ['check', 'rules', 'database.rules.yaml'], dir());
    expect(check.output).toContain('SUCCESS: 4 rules found');
    const test = runTool('promtool', ['test', 'rules', 'database.test.yaml'], dir());
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });
});
