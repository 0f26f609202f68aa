import * as fs from 'fs';
import * as path from 'path';
import { READINESS_ITEMS, ServiceDefinitionInput, TIERS, normalizeJobSchedule } from '../../lib/definition';
import { scheduledJobPlan } from '../../lib/ops';
import { App } from 'cdk8s';
import { resolveEnvironment } from '../../lib/definition';
import { ServiceChart, serviceOutputs } from '../../lib/k8s';
import { CHECKS, GAME_DAY_MAX_AGE_DAYS, KubeObjectJson, ServiceBuild, UNMET_STATUS, readinessOfFindings, serviceBuild, serviceFindings } from '../../lib/readiness';
import { READY, TODAY, buildOf, itemOf, readinessOf, readinessPlatform, statuses } from './fixtures';

/** A critical HTTP service that skips most of the checklist: rolling, no SLOs, no contacts, one fixed replica, default resources. */
const LEDGER: ServiceDefinitionInput = { name: 'ledger', team: 'finance', tier: 'critical', image: 'registry.example.com/finance/ledger:3.1.0', port: 8080, replicas: 1, autoscaling: false };

/** A high-tier worker that skips as much: no SLOs, no contacts, a fixed two replicas, default resources. */
const RECONCILER: ServiceDefinitionInput = { name: 'reconciler', team: 'finance', tier: 'high', image: 'registry.example.com/finance/reconciler:3.1.0', metrics: { port: 9100 }, autoscaling: false };

/** What the checklist finds of LEDGER and of RECONCILER, item by item. */
const FLAGGED = {
  'deployment.rollback': ['pass', 'pass'],
  'deployment.progressive-delivery': ['fail', 'warn'],
  'deployment.migration-strategy': ['pass', 'pass'],
  'monitoring.dashboard': ['pass', 'pass'],
  'monitoring.latency-percentiles': ['pass', 'pass'],
  'monitoring.tracing': ['fail', 'warn'],
  'monitoring.service-monitor': ['pass', 'pass'],
  'monitoring.slos': ['fail', 'fail'],
  'alerting.symptoms': ['pass', 'fail'],
  'alerting.alert-links': ['pass', 'pass'],
  'alerting.escalation': ['fail', 'fail'],
  'operations.backups': ['pass', 'pass'],
  'operations.certificate-renewal': ['pass', 'pass'],
  'operations.requests-limits': ['warn', 'warn'],
  'operations.disruption-budget': ['warn', 'pass'],
  'operations.autoscaling': ['fail', 'warn'],
  'operations.game-day': ['fail', 'fail'],
  'operations.preview-cleanup': ['pass', 'pass'],
} as const;

/** The statuses expected of LEDGER (0) or RECONCILER (1). */
function expected(which: 0 | 1): Record<string, string> {
  return Object.fromEntries(Object.entries(FLAGGED).map(([item, both]) => [item, both[which]]));
}

/** Prod without an OpenTelemetry collector. */
const NO_COLLECTOR = [{ name: 'dev' }, { name: 'prod' }];

describe('the readiness checklist', () => {
  it('checks every item of the definition checklist, and each has a status for every tier', () => {
    expect(Object.keys(CHECKS)).toEqual([...READINESS_ITEMS]);
    expect(Object.keys(UNMET_STATUS)).toEqual([...READINESS_ITEMS]);
    for (const item of READINESS_ITEMS) expect(Object.keys(UNMET_STATUS[item])).toEqual([...TIERS]);
  });

  it('documents the status of every unmet item per tier as it counts it', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../lib/readiness/README.md'), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| `[a-z-]+\.[a-z-]+` \|/.test(line));
    const documented = Object.fromEntries(rows.map((row) => {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
      return [cells[0], Object.fromEntries(TIERS.map((tier, i) => [tier, cells[3 + i]]))];
    }));
    expect(documented).toEqual(UNMET_STATUS);
  });

  it('passes every item of a service that meets the checklist', () => {
    const platform = readinessPlatform([READY]);
    const readiness = readinessOf(platform, buildOf(platform, 'orders'));
    expect(readiness.items.filter((i) => i.status !== 'pass')).toEqual([]);
    expect(readiness).toMatchObject({ service: 'orders', environment: 'prod', production: true, tier: 'critical', team: 'shop', counts: { pass: READINESS_ITEMS.length, warn: 0, fail: 0 }, blocking: 0 });
  });

  it('flags a deliberately incomplete critical service item by item', () => {
    const platform = readinessPlatform([LEDGER], NO_COLLECTOR);
    const readiness = readinessOf(platform, buildOf(platform, 'ledger'));
    expect(statuses(readiness)).toEqual(expected(0));
    expect(readiness.items.filter((i) => i.status !== 'pass').map((i) => [i.item, i.field, i.reason])).toEqual([
      ['deployment.progressive-delivery', 'ledger.delivery.strategy', 'releases by rolling update: a bad version reaches every pod with no analysis to stop it; choose canary or blue-green'],
      ['monitoring.tracing', 'acme.environments[1].otlpEndpoint', 'the pods have no OTEL_EXPORTER_OTLP_ENDPOINT: environment prod names no OpenTelemetry collector'],
      ['monitoring.slos', 'ledger.slos', 'no SLOs: nothing measures what users get, and no error budget gates releases'],
      ['alerting.escalation', 'ledger.contacts.escalation', 'no escalation contacts: when on-call does not answer, nobody is next'],
      ['operations.requests-limits', 'ledger.resources', "every container has the library's default requests 100m CPU / 128Mi, limits 500m / 256Mi, not sized for this service"],
      ['operations.disruption-budget', 'ledger.replicas', 'PodDisruptionBudget ledger allows at most 1 unavailable, but the service runs a single pod: every drain takes it down'],
      ['operations.autoscaling', 'ledger.autoscaling', 'autoscaling is off: a fixed 1 replica whatever the load'],
      ['operations.game-day', 'ledger.gameDays.experiments', 'declares no chaos experiments and has never held a game day: nobody has seen the service survive a pod or network failure'],
    ]);
    expect(readiness).toMatchObject({ counts: { pass: 10, warn: 2, fail: 6 }, blocking: 6 });
  });

  it('flags a deliberately incomplete high-tier worker item by item, by its tier', () => {
    const platform = readinessPlatform([RECONCILER], NO_COLLECTOR);
    const readiness = readinessOf(platform, buildOf(platform, 'reconciler'));
    expect(statuses(readiness)).toEqual(expected(1));
    expect(itemOf(readiness, 'deployment.progressive-delivery').reason).toBe('releases by rolling update, as a worker without HTTP must: canary and blue/green analysis measure request SLOs, so a bad version reaches every pod');
    expect(itemOf(readiness, 'monitoring.latency-percentiles').reason).toBe('does not apply: the service serves no HTTP requests to time');
    expect(itemOf(readiness, 'operations.game-day')).toMatchObject({ status: 'fail', blocking: true, field: 'reconciler.gameDays.experiments', value: [] });
    expect(itemOf(readiness, 'operations.preview-cleanup').reason).toBe('does not apply: the platform has no preview environments');
    expect(itemOf(readiness, 'alerting.symptoms')).toMatchObject({
      field: 'reconciler.slos',
      reason: 'no alert pages on a symptom users feel (error budget burn, errors, latency, the public host down); declare an SLO, or an HTTP port for the error-rate alert',
    });
  });

  it('counts an unmet item by tier, and says when a tier does not require it', () => {
    const byTier = TIERS.map((tier) => {
      const platform = readinessPlatform([{ ...LEDGER, tier }], NO_COLLECTOR);
      return itemOf(readinessOf(platform, buildOf(platform, 'ledger')), 'deployment.progressive-delivery');
    });
    expect(byTier.map((i) => i.status)).toEqual(['fail', 'warn', 'pass', 'pass']);
    expect(byTier[2].reason).toBe('not required for the medium tier: releases by rolling update: a bad version reaches every pod with no analysis to stop it; choose canary or blue-green');
    expect(byTier.map((i) => i.blocking)).toEqual([true, false, false, false]);
  });

  it('never blocks outside production, whatever fails there', () => {
    const platform = readinessPlatform([LEDGER], NO_COLLECTOR);
    const readiness = readinessOf(platform, buildOf(platform, 'ledger', 'dev'));
    expect(readiness).toMatchObject({ environment: 'dev', production: false, blocking: 0 });
    expect(readiness.counts.fail).toBe(6);
  });

  it('names the field of the environment when the environment overrides it', () => {
    const platform = readinessPlatform([{ ...READY, environments: { prod: { autoscaling: false, replicas: 4 } } }]);
    const readiness = readinessOf(platform, buildOf(platform, 'orders'));
    expect(itemOf(readiness, 'operations.autoscaling')).toMatchObject({ status: 'fail', field: 'orders.environments.prod.autoscaling', reason: 'autoscaling is off: a fixed 4 replicas whatever the load', value: false });
    expect(itemOf(readiness, 'operations.disruption-budget')).toMatchObject({ status: 'pass', field: 'orders.environments.prod.replicas', value: 4 });
  });
});

/** A database of the service; Cloud Storage backups, as production requires. */
const DATABASE = {
  host: 'ledger-db.finance',
  name: 'ledger',
  credentials: { user: { name: 'ledger-db', key: 'user' }, password: { name: 'ledger-db', key: 'password' } },
};
const BACKUP = { destination: 'gs://acme-prod-ledger-backups/ledger', restoreCheck: { checks: [{ name: 'entries', query: 'SELECT count(*) FROM entries', min: 1 }] } };

describe('the database items', () => {
  // Production alone: each environment's backups need a bucket of their own.
  const PROD_ONLY = [{ name: 'prod', otlpEndpoint: 'http://collector.observability:4317' }];
  const ledger = (database: object, changes: Partial<ServiceDefinitionInput> = {}) => {
    const platform = readinessPlatform([{ ...READY, name: 'ledger', team: 'finance', database, ...changes } as ServiceDefinitionInput], PROD_ONLY);
    return readinessOf(platform, buildOf(platform, 'ledger'));
  };

  it('fail a critical service with a database that declares neither a migration strategy nor a backup', () => {
    const readiness = ledger(DATABASE);
    expect(itemOf(readiness, 'deployment.migration-strategy')).toMatchObject({
      status: 'fail',
      field: 'ledger.database.migration.strategy',
      reason: 'database ledger declares no migration strategy: nobody knows whether a rollback survives the next schema change',
    });
    expect(itemOf(readiness, 'operations.backups')).toMatchObject({ status: 'fail', field: 'ledger.database.backup', reason: 'database ledger has no backup: a lost volume or a bad migration loses its data for good' });
    const low = ledger(DATABASE, { tier: 'low', delivery: { strategy: 'rolling' } });
    expect([itemOf(low, 'deployment.migration-strategy').status, itemOf(low, 'operations.backups').status]).toEqual(['warn', 'warn']);
  });

  it('pass expand-contract and none, and warn on in-place', () => {
    expect(itemOf(ledger({ ...DATABASE, migration: { strategy: 'expand-contract' } }), 'deployment.migration-strategy')).toMatchObject({ status: 'pass', reason: 'expand-contract: expand, then migrate, then contract: every release can be rolled back' });
    expect(itemOf(ledger({ ...DATABASE, migration: { strategy: 'none' } }), 'deployment.migration-strategy')).toMatchObject({ status: 'pass', reason: 'none: the service changes no schema' });
    expect(itemOf(ledger({ ...DATABASE, migration: { strategy: 'in-place' } }), 'deployment.migration-strategy')).toMatchObject({
      status: 'warn',
      reason: 'in-place: schema and code change in one release, so a rollback needs its down migration; expand-contract keeps every release reversible',
    });
  });

  it('pass a backup whose restore test checks the data, from the jobs synthesized', () => {
    const readiness = ledger({ ...DATABASE, backup: BACKUP });
    expect(itemOf(readiness, 'operations.backups')).toMatchObject({
      status: 'pass',
      reason: 'CronJob ledger-db-backup dumps ledger (0 2 * * *) to gs://acme-prod-ledger-backups/ledger, kept 30 days; ledger-db-restore restores the latest (0 5 1 * *) and checks 1 query',
    });
  });

  it('warn on a restore test that checks no data, and on Cloud SQL backups that nothing restores', () => {
    expect(itemOf(ledger({ ...DATABASE, backup: { destination: BACKUP.destination } }), 'operations.backups')).toMatchObject({
      status: 'warn',
      field: 'ledger.database.backup.restoreCheck.checks',
      reason: 'CronJob ledger-db-backup dumps ledger (0 2 * * *) to gs://acme-prod-ledger-backups/ledger, kept 30 days; ledger-db-restore restores the latest (0 5 1 * *) but checks no data in it',
    });
    const cloudSql = ledger({ ...DATABASE, cloudSql: { instance: 'ledger-prod' } }, { gcp: { project: 'acme-prod-1234' } });
    expect(itemOf(cloudSql, 'operations.backups')).toMatchObject({
      status: 'warn',
      reason: 'no logical backup and no restore test; Cloud SQL ledger-prod keeps 14 automated backups with point-in-time recovery, which nothing restores on a schedule',
    });
  });

  it('fail a declared backup whose CronJob was not synthesized, and warn without its restore test', () => {
    const platform = readinessPlatform([{ ...READY, name: 'ledger', team: 'finance', database: { ...DATABASE, backup: BACKUP } }], PROD_ONLY);
    const build = buildOf(platform, 'ledger');
    expect(itemOf(readinessOf(platform, { ...build, jobs: [] }), 'operations.backups')).toMatchObject({
      status: 'fail',
      reason: 'database.backup is declared, but no backup CronJob ledger-db-backup with its alerts was synthesized',
    });
    expect(itemOf(readinessOf(platform, { ...build, jobs: build.jobs.filter((j) => j.name !== 'ledger-db-restore') }), 'operations.backups')).toMatchObject({
      status: 'warn',
      field: 'ledger.database.backup.restoreCheck',
      reason: 'CronJob ledger-db-backup dumps ledger (0 2 * * *) to gs://acme-prod-ledger-backups/ledger, kept 30 days, but no restore test ledger-db-restore proves the dumps restore',
    });
  });

  it('name the field in the environment only where the environment overrides it', () => {
    const overridden = ledger(DATABASE, { environments: { prod: { database: { migration: { strategy: 'in-place' } } } } });
    expect(itemOf(overridden, 'deployment.migration-strategy').field).toBe('ledger.environments.prod.database.migration.strategy');
    const elsewhere = ledger(DATABASE, { environments: { prod: { database: { backup: BACKUP } } } });
    expect(itemOf(elsewhere, 'deployment.migration-strategy').field).toBe('ledger.database.migration.strategy');
    expect(itemOf(elsewhere, 'operations.backups').status).toBe('pass');
  });
});

describe('the certificate item', () => {
  const GCP = { project: 'acme-prod-1234', publicHost: 'orders.acme.example.com' };
  const ISSUER = { kind: 'ClusterIssuer' as const, name: 'letsencrypt-prod' };
  const orders = (changes: Partial<ServiceDefinitionInput>) => readinessPlatform([{ ...READY, gcp: GCP, ...changes }]);

  it('passes a public host whose certificate renews itself and is checked where it is served', () => {
    const platform = orders({ certificates: [{ issuer: ISSUER }] });
    expect(itemOf(readinessOf(platform, buildOf(platform, 'orders')), 'operations.certificate-renewal')).toMatchObject({
      status: 'pass',
      field: 'orders.certificates',
      reason: 'Certificate orders-tls (ClusterIssuer letsencrypt-prod) renews 30d before expiry; CronJob orders-tls-check checks orders.acme.example.com (23 * * * *)',
    });
  });

  it('fails a public host without a certificate, or one on no certificate', () => {
    const none = orders({});
    expect(itemOf(readinessOf(none, buildOf(none, 'orders')), 'operations.certificate-renewal')).toMatchObject({
      status: 'fail',
      reason: 'public host orders.acme.example.com has no certificate: nothing renews it, and nothing warns before it expires',
    });
    const other = orders({ certificates: [{ issuer: ISSUER, hosts: ['api.acme.example.com'] }] });
    expect(itemOf(readinessOf(other, buildOf(other, 'orders')), 'operations.certificate-renewal')).toMatchObject({
      status: 'fail',
      reason: 'public host orders.acme.example.com is on none of the certificates (api.acme.example.com)',
    });
    const low = orders({ tier: 'low', delivery: { strategy: 'rolling' } });
    expect(itemOf(readinessOf(low, buildOf(low, 'orders')), 'operations.certificate-renewal').status).toBe('warn');
  });

  it('fails without the cert-manager Certificate synthesized, and warns without the check', () => {
    const platform = orders({ certificates: [{ issuer: ISSUER }] });
    const build = buildOf(platform, 'orders');
    expect(itemOf(readinessOf(platform, withObjects(build, (os) => os.filter((o) => o.kind !== 'Certificate'))), 'operations.certificate-renewal')).toMatchObject({
      status: 'fail',
      reason: 'certificate tls is declared, but no cert-manager Certificate orders-tls for orders.acme.example.com that renews itself was synthesized',
    });
    expect(itemOf(readinessOf(platform, { ...build, jobs: [] }), 'operations.certificate-renewal')).toMatchObject({
      status: 'warn',
      reason: 'Certificate orders-tls (ClusterIssuer letsencrypt-prod) renews 30d before expiry, but no check of the served certificate alerts when renewal fails',
    });
  });
});

/** A build with some of its objects replaced. */
function withObjects(build: ServiceBuild, change: (objects: readonly KubeObjectJson[]) => readonly KubeObjectJson[]): ServiceBuild {
  return { ...build, objects: change(build.objects) };
}

/** A copy of an object with a change at a path of its spec. */
function patched(object: KubeObjectJson, change: (copy: { spec: Record<string, unknown> }) => void): KubeObjectJson {
  const copy = JSON.parse(JSON.stringify(object)) as KubeObjectJson & { spec: Record<string, unknown> };
  change(copy);
  return copy;
}

describe('each check reads what was synthesized', () => {
  const platform = readinessPlatform([READY, { ...LEDGER, replicas: 2, contacts: READY.contacts }]);
  const ready = buildOf(platform, 'orders');
  const ledger = buildOf(platform, 'ledger');
  const check = (build: ServiceBuild, item: string) => itemOf(readinessOf(platform, build), item);

  it('fails the rollback without a workload, or with a Deployment that keeps no revision, and warns on a Rollout without analysis', () => {
    expect(check(withObjects(ledger, (os) => os.filter((o) => o.kind !== 'Deployment')), 'deployment.rollback')).toMatchObject({
      status: 'fail',
      reason: 'no Deployment or Rollout named ledger was synthesized: there is nothing to roll back',
    });
    const noHistory = withObjects(ledger, (os) => os.map((o) => (o.kind === 'Deployment' ? patched(o, (c) => (c.spec.revisionHistoryLimit = 0)) : o)));
    expect(check(noHistory, 'deployment.rollback')).toMatchObject({ status: 'fail', reason: 'the Deployment keeps no old ReplicaSet (revisionHistoryLimit 0): kubectl rollout undo has nothing to return to' });
    const unanalysed = withObjects(ready, (os) => os.map((o) => (o.kind === 'Rollout' ? patched(o, (c) => delete (c.spec.strategy as { canary: { analysis?: unknown } }).canary.analysis) : o)));
    expect(check(unanalysed, 'deployment.rollback')).toMatchObject({
      status: 'warn',
      reason: 'the Rollout has no analysis, so nothing aborts a bad release by itself; kubectl argo rollouts undo orders -n shop returns to the previous revision (the last 3 without analysis)',
    });
  });

  it('warns on progressive delivery shortened by an emergency patch or started on a spent budget', () => {
    const emergency = readinessPlatform([{ ...READY, delivery: { strategy: 'canary', trafficRouting: { nginx: { stableIngress: 'orders' } }, emergency: { reason: 'INC-7: payments declined' } } }]);
    expect(itemOf(readinessOf(emergency, buildOf(emergency, 'orders')), 'deployment.progressive-delivery')).toMatchObject({
      status: 'warn',
      field: 'orders.delivery.emergency',
      reason: 'an emergency patch shortens the canary to 10%, 50%, 100% (INC-7: payments declined); remove delivery.emergency once it is out',
    });
    const override = readinessPlatform([{ ...READY, delivery: { strategy: 'blue-green', budgetFreeze: { override: { reason: 'INC-8: fix must ship' } } } }]);
    expect(itemOf(readinessOf(override, buildOf(override, 'orders')), 'deployment.progressive-delivery')).toMatchObject({
      status: 'warn',
      field: 'orders.delivery.budgetFreeze.override',
      reason: 'releases start even on a spent error budget (INC-8: fix must ship); remove delivery.budgetFreeze.override once it is out',
    });
  });

  it('fails without the dashboard the alerts link to, or with another one', () => {
    const { dashboard, ...withoutDashboard } = ready;
    expect(check(withoutDashboard, 'monitoring.dashboard')).toMatchObject({ status: 'fail', reason: 'no dashboard was synthesized: the dashboard_url of its alerts (acme_prod_orders) leads nowhere' });
    expect(check(withoutDashboard, 'monitoring.latency-percentiles')).toMatchObject({ status: 'fail', reason: 'no dashboard was synthesized to draw latency on' });
    expect(check(withoutDashboard, 'alerting.alert-links')).toMatchObject({ status: 'fail', reason: 'the dashboard_url of every alert needs dashboard acme_prod_orders, which was not synthesized' });
    expect(check({ ...ready, dashboard: { ...dashboard!, uid: 'other' } }, 'monitoring.dashboard')).toMatchObject({ status: 'fail', reason: "the dashboard's UID is other, but its alerts link to acme_prod_orders" });
  });

  it('fails when no panel draws one of p50, p95 and p99', () => {
    const plan = ready.dashboard!;
    const without95 = { ...plan, rows: plan.rows.map((r) => ({ ...r, panels: r.panels.map((p) => ({ ...p, queries: p.queries.filter((q) => !q.expr.startsWith('histogram_quantile(0.95,')) })) })) };
    expect(check({ ...ready, dashboard: without95 }, 'monitoring.latency-percentiles')).toMatchObject({ status: 'fail', reason: 'no panel draws p95 of http_request_duration_seconds_bucket', field: 'orders.metrics.latencyMetric' });
  });

  it('warns when traces are exported but no tracing datasource links them', () => {
    const noTempo = readinessPlatform([READY]);
    const p = { ...noTempo, dashboards: { ...noTempo.dashboards, tracesDatasource: undefined } };
    expect(itemOf(readinessOf(p, buildOf(noTempo, 'orders')), 'monitoring.tracing')).toMatchObject({
      status: 'warn',
      field: 'acme.dashboards.tracesDatasource',
      reason: 'the pods export traces to http://collector.observability:4317, but no tracing datasource is declared, so the latency panels cannot link to them',
    });
  });

  it('fails without a ServiceMonitor on a port of the Service', () => {
    const failing = { status: 'fail', reason: 'no ServiceMonitor selects a Service port of the service: Prometheus does not scrape it, and every alert on its metrics stays silent' };
    expect(check(withObjects(ready, (os) => os.filter((o) => o.kind !== 'ServiceMonitor')), 'monitoring.service-monitor')).toMatchObject(failing);
    const wrongPort = withObjects(ready, (os) => os.map((o) => (o.kind === 'ServiceMonitor' ? patched(o, (c) => ((c.spec.endpoints as { port: string }[])[0].port = 'admin')) : o)));
    expect(check(wrongPort, 'monitoring.service-monitor')).toMatchObject(failing);
  });

  it('warns on an SLO without burn-rate alerts', () => {
    const groups = ready.ruleGroups.map((g) => ({ ...g, rules: g.rules.filter((r) => !('alert' in r && r.alert === 'SloErrorBudgetBurn' && r.labels.slo === 'latency')) }));
    expect(check({ ...ready, ruleGroups: groups }, 'monitoring.slos')).toMatchObject({ status: 'warn', reason: 'no burn-rate alert watches SLO latency' });
  });

  it('fails symptom alerts that the environment routes to none', () => {
    const silent = readinessPlatform([{ ...READY, environments: { prod: { alertRouting: { critical: 'none', high: 'none' } } } }]);
    expect(itemOf(readinessOf(silent, buildOf(silent, 'orders')), 'alerting.symptoms')).toMatchObject({
      status: 'fail',
      field: 'orders.environments.prod.alertRouting.critical',
      reason: 'the symptom alerts (ServiceErrorRateHigh, ServiceLatencyHigh, SloErrorBudgetBurn) are critical, high, which environment prod routes to none: they page nobody',
    });
  });

  it('fails an alert without a severity, its runbook or the dashboard link', () => {
    const broken = ready.ruleGroups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => (!('alert' in r) ? r : r.alert === 'ServiceDown' ? { ...r, labels: { ...r.labels, severity: 'urgent' } } : r.alert === 'ServicePodNotReady' ? { ...r, annotations: { ...r.annotations, runbook_url: 'https://wiki.example.com/x' } } : r)),
    }));
    expect(check({ ...ready, ruleGroups: broken }, 'alerting.alert-links')).toMatchObject({
      status: 'fail',
      reason: 'ServiceDown has no severity among critical, high, medium, low; ServicePodNotReady links no runbook at https://runbooks.example.com/prod/services/orders/alerts/service-pod-not-ready.md',
    });
    const unlinked = ready.ruleGroups.map((g) => ({ ...g, rules: g.rules.map((r) => ('alert' in r ? { ...r, annotations: { ...r.annotations, dashboard_url: 'https://grafana.example.com/d/x' } } : r)) }));
    const many = check({ ...ready, ruleGroups: unlinked }, 'alerting.alert-links');
    expect(many).toMatchObject({ status: 'fail', field: 'acme.dashboardBaseUrl' });
    const expected = 'links no dashboard at https://grafana.example.com/d/acme_prod_orders?var-environment=prod&var-namespace=shop';
    expect(many.reason).toBe(`SloErrorBudgetBurn ${expected}; SloErrorBudgetLow ${expected}; ServiceErrorRateHigh ${expected}; and 8 more`);
  });

  it('counts the alerts of the scheduled jobs, and fails one without its links', () => {
    const service = ready.service;
    const job = scheduledJobPlan(platform, {
      name: 'orders-report',
      owner: { kind: 'service', service },
      schedule: normalizeJobSchedule({}, '17 * * * *'),
      image: 'alpine/openssl:3.5.4@sha256:42c7389ef077aed0eb4e96d0abbd094083d701bbaff1313073b061c0c9cd8278',
      script: 'check-certificates.sh',
      alerts: { prefix: 'OrdersReport', purpose: 'mails the daily order report' },
    });
    const own = check(ready, 'alerting.alert-links').value as number;
    expect(check({ ...ready, jobs: [job] }, 'alerting.alert-links')).toMatchObject({ status: 'pass', value: own + 2 });
    const unlinked = { ...job, ruleGroup: { ...job.ruleGroup, rules: job.alerts.map((a) => ({ ...a, annotations: { summary: a.annotations.summary } })) } };
    expect(check({ ...ready, jobs: [unlinked] }, 'alerting.alert-links')).toMatchObject({
      status: 'fail',
      reason:
        'OrdersReportJobFailed links no runbook at https://runbooks.example.com/prod/services/orders/alerts/orders-report-job-failed.md; OrdersReportJobFailed links no dashboard at https://grafana.example.com/d/acme_prod_orders?var-environment=prod&var-namespace=shop; OrdersReportJobStale links no runbook at https://runbooks.example.com/prod/services/orders/alerts/orders-report-job-stale.md; and 1 more',
    });
  });

  it('reads the rule groups from the outputs when the platform delivers them as files only', () => {
    const files = readinessPlatform([READY], undefined, { prometheusRules: 'files' });
    const service = resolveEnvironment(files, 'orders', 'prod');
    const outputs = serviceOutputs(files, service);
    const chart = new ServiceChart(new App(), 'orders', { platform: files, service, ...outputs });
    expect(chart.sloAlertPolicy).toBeUndefined();
    const fromOutputs = itemOf(readinessOf(files, serviceBuild(chart, undefined, outputs)), 'alerting.alert-links');
    expect(fromOutputs).toMatchObject({ status: 'pass', value: check(ready, 'alerting.alert-links').value });
    expect(itemOf(readinessOf(files, serviceBuild(chart)), 'alerting.alert-links').value).toBe(fromOutputs.value);
  });

  it('warns on escalation contacts without owners', () => {
    const ownerless = readinessPlatform([{ ...READY, contacts: { escalation: ['shop-oncall@example.com'] } }]);
    expect(itemOf(readinessOf(ownerless, buildOf(ownerless, 'orders')), 'alerting.escalation')).toMatchObject({
      status: 'warn',
      field: 'orders.contacts.owners',
      reason: 'escalates to shop-oncall@example.com, but names no owners for the alerts to carry',
    });
  });

  it('fails a container without requests or limits', () => {
    const unbounded = withObjects(ready, (os) =>
      os.map((o) => (o.kind === 'Rollout' ? patched(o, (c) => delete ((c.spec.template as { spec: { containers: { resources: { limits?: unknown } }[] } }).spec.containers[0].resources.limits)) : o)),
    );
    expect(check(unbounded, 'operations.requests-limits')).toMatchObject({ status: 'fail', reason: 'missing orders: cpu limits, orders: memory limits', field: 'orders.resources' });
  });

  it('fails without a PodDisruptionBudget selecting the pods', () => {
    expect(check(withObjects(ready, (os) => os.filter((o) => o.kind !== 'PodDisruptionBudget')), 'operations.disruption-budget')).toMatchObject({
      status: 'fail',
      reason: 'no PodDisruptionBudget selects its pods: a node drain may evict them all at once',
    });
  });

  it('fails without an autoscaler on the workload, and warns on one that cannot scale', () => {
    expect(check(withObjects(ready, (os) => os.filter((o) => o.kind !== 'HorizontalPodAutoscaler')), 'operations.autoscaling')).toMatchObject({ status: 'fail' });
    const pinned = readinessPlatform([{ ...READY, autoscaling: { minReplicas: 4, maxReplicas: 4 } }]);
    expect(itemOf(readinessOf(pinned, buildOf(pinned, 'orders')), 'operations.autoscaling')).toMatchObject({
      status: 'warn',
      field: 'orders.autoscaling.maxReplicas',
      reason: "the autoscaler's minimum and maximum are both 4: it cannot scale",
    });
  });

  it('checks for the day given, and refuses a day that is no date', () => {
    expect(() => readinessOf(platform, ready, '02.12.2026')).toThrow('Invalid readiness options (1 problem):\n  - today: must be a calendar date written YYYY-MM-DD, such as 2027-03-31 (got "02.12.2026")');
    expect(readinessOf(platform, ready, TODAY).blocking).toBe(0);
  });
});

describe('the game-day item', () => {
  const PROD_ONLY = [{ name: 'prod', otlpEndpoint: 'http://collector.observability:4317' }];
  const KILL = { kind: 'pod-kill', name: 'kill-one-pod' } as const;
  const DELAY = { kind: 'network-delay', name: 'slow-network', latency: '100ms' } as const;
  const gameDay = (gameDays: ServiceDefinitionInput['gameDays'], today = TODAY, tier: ServiceDefinitionInput['tier'] = 'critical') => {
    const platform = readinessPlatform([{ ...READY, tier, gameDays }], PROD_ONLY);
    return itemOf(readinessOf(platform, buildOf(platform, 'orders'), today), 'operations.game-day');
  };

  it('passes a game day held within 92 days of the day of the check, with experiments declared', () => {
    expect(gameDay({ experiments: [KILL, DELAY], lastHeld: '2026-11-10' })).toMatchObject({
      status: 'pass',
      field: 'orders.gameDays.lastHeld',
      value: '2026-11-10',
      reason: 'the last game day was held on 2026-11-10, within 92 days; 2 experiments declared (kill-one-pod, slow-network)',
    });
    // The 92nd day still counts, and the day of the game day itself.
    expect(gameDay({ experiments: [KILL], lastHeld: '2026-09-01' }).status).toBe('pass');
    expect(gameDay({ experiments: [KILL], lastHeld: TODAY }).status).toBe('pass');
  });

  it('warns on a game day older than 92 days at every tier, stating its date and age, without blocking the release', () => {
    for (const tier of TIERS) expect(gameDay({ experiments: [KILL], lastHeld: '2026-08-31' }, TODAY, tier)).toMatchObject({ status: 'warn', blocking: false });
    expect(gameDay({ experiments: [KILL], lastHeld: '2026-08-31' })).toMatchObject({
      status: 'warn',
      blocking: false,
      field: 'orders.gameDays.lastHeld',
      value: '2026-08-31',
      reason: 'the last game day was held (1 experiment declared (kill-one-pod)) on 2026-08-31, 93 days before 2026-12-02: more than 92 days ago',
    });
    // The same definition passes on a day closer to it: only the day of the check moved.
    expect(gameDay({ experiments: [KILL], lastHeld: '2026-08-31' }, '2026-11-30').status).toBe('pass');
  });

  it('fails a service that declares experiments but never held a game day', () => {
    expect(gameDay({ experiments: [KILL] })).toMatchObject({
      status: 'fail',
      field: 'orders.gameDays.lastHeld',
      reason: 'never held a game day: 1 experiment declared (kill-one-pod), but gameDays.lastHeld is not set',
    });
  });

  it('fails a game day dated after the day of the check: one still to come is not held', () => {
    expect(gameDay({ experiments: [KILL], lastHeld: '2026-12-05' })).toMatchObject({
      status: 'fail',
      field: 'orders.gameDays.lastHeld',
      reason: 'the last game day was held (1 experiment declared (kill-one-pod)) on 2026-12-05, 3 days after the day of the check (2026-12-02): a day still to come does not count',
    });
  });

  it('fails a service with no experiments and no game day, and warns on a game day held with no experiments to repeat', () => {
    expect(gameDay(undefined)).toMatchObject({ status: 'fail', field: 'orders.gameDays.experiments', value: [] });
    expect(gameDay({ experiments: [] })).toMatchObject({ status: 'fail', field: 'orders.gameDays.experiments' });
    expect(gameDay({ lastHeld: '2026-11-10' })).toMatchObject({
      status: 'warn',
      field: 'orders.gameDays.experiments',
      reason: 'the last game day was held on 2026-11-10, but no chaos experiments are declared for the next one to repeat',
    });
    // Once that game day is too old, it is the date to change.
    expect(gameDay({ lastHeld: '2026-01-10' })).toMatchObject({
      status: 'warn',
      field: 'orders.gameDays.lastHeld',
      reason: 'the last game day was held, with no chaos experiments declared, on 2026-01-10, 326 days before 2026-12-02: more than 92 days ago',
    });
  });

  it('requires a game day of the critical and high tiers, and advises it to the others', () => {
    expect(TIERS.map((tier) => gameDay(undefined, TODAY, tier).status)).toEqual(['fail', 'fail', 'warn', 'warn']);
  });

  it('keeps the finding free of the day, so a cached service is judged again on each day', () => {
    const platform = readinessPlatform([READY], PROD_ONLY);
    const findings = serviceFindings(platform, buildOf(platform, 'orders'));
    const found = findings.items.find((i) => i.item === 'operations.game-day');
    expect(found).toMatchObject({ met: 'yes', since: { day: '2026-11-10', withinDays: GAME_DAY_MAX_AGE_DAYS } });
    const service = resolveEnvironment(platform, 'orders', 'prod');
    expect(itemOf(readinessOfFindings(platform, service, findings, { today: '2027-02-10' }), 'operations.game-day').status).toBe('pass');
    expect(itemOf(readinessOfFindings(platform, service, findings, { today: '2027-02-11' }), 'operations.game-day').status).toBe('warn');
  });
});

describe('the preview-cleanup item', () => {
  const ENVIRONMENTS = [{ name: 'dev' }, { name: 'prod', production: true, otlpEndpoint: 'http://collector.observability:4317' }];
  const previewCleanup = (previews: object | undefined, environment = 'prod') => {
    const platform = readinessPlatform([READY], ENVIRONMENTS, previews === undefined ? {} : { previews });
    return itemOf(readinessOf(platform, buildOf(platform, 'orders', environment)), 'operations.preview-cleanup');
  };

  it('does not apply when the platform has no previews, or none in the environment', () => {
    expect(previewCleanup(undefined)).toMatchObject({ status: 'pass', field: 'acme.previews', reason: 'does not apply: the platform has no preview environments' });
    expect(previewCleanup({ environments: ['dev'] })).toMatchObject({
      status: 'pass',
      field: 'acme.previews.environments',
      value: ['dev'],
      reason: 'does not apply: environment prod holds no previews (previews are in dev)',
    });
  });

  it('passes an environment holding previews whose cleanup job is synthesized and deletes', () => {
    expect(previewCleanup({ environments: ['dev', 'prod'], cleanup: { maxDeletions: 5 } })).toMatchObject({
      status: 'pass',
      field: 'acme.previews.cleanup',
      reason: 'CronJob monitoring/preview-cleanup (17 * * * * UTC) deletes expired previews, at most 5 a run',
    });
  });

  it('warns on a cleanup job in dry-run mode, which leaves expired previews in place', () => {
    expect(previewCleanup({ environments: ['dev', 'prod'], cleanup: { dryRun: true } })).toMatchObject({
      status: 'warn',
      field: 'acme.previews.cleanup.dryRun',
      value: true,
      reason: 'CronJob monitoring/preview-cleanup (17 * * * * UTC) runs in dry-run mode in prod: it only logs the expired previews, which stay',
    });
    // Outside production the job only logs by default.
    expect(previewCleanup({ environments: ['dev'] }, 'dev')).toMatchObject({ status: 'warn', field: 'acme.previews.cleanup.dryRun' });
  });
});
