/**
 * The example platform: a shop run by three teams across dev, staging and prod.
 * Every output (Kubernetes manifests, Prometheus rules, Alertmanager routing) is
 * synthesized from this one definition.
 */
import { defineService, definePlatform } from '../lib';

/** Customer-facing checkout API: critical tier, canary delivery, two SLOs. */
export const checkout = defineService({
  name: 'checkout',
  description: 'Takes orders and payments from the web shop and mobile apps.',
  team: 'payments',
  contacts: {
    owners: ['payments-team@example.com'],
    escalation: ['payments-oncall@example.com', 'head-of-payments@example.com'],
    chat: '#payments',
  },
  tier: 'critical',
  component: 'api',
  image: 'registry.example.com/payments/checkout:1.14.2',
  port: 8080,
  metrics: { port: 9090, latencyBuckets: [0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5] },
  replicas: 3,
  resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
  health: {
    liveness: { path: '/healthz' },
    readiness: { path: '/ready', periodSeconds: 5 },
    startup: { path: '/healthz', failureThreshold: 30, periodSeconds: 2 },
  },
  autoscaling: { minReplicas: 3, maxReplicas: 20 },
  env: { LOG_LEVEL: 'info', PAYMENT_PROVIDER_URL: 'https://payments.example.net' },
  secretEnv: { DATABASE_PASSWORD: { name: 'checkout-db', key: 'password' } },
  dependsOn: ['catalog'],
  slos: [
    { kind: 'availability', name: 'availability', objective: 99.9, minRequestRate: 1 },
    { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.3 },
  ],
  delivery: { strategy: 'canary', stepDuration: '10m', trafficRouting: { nginx: { stableIngress: 'checkout' } } },
  gcp: { project: 'shop-prod-4821', region: 'europe-west1', publicHost: 'checkout.shop.example.com' },
  logAlerts: [
    {
      alert: 'CheckoutPaymentErrorsInLogs',
      expr: 'sum(rate({namespace="payments", app="checkout"} |= "payment declined" [5m])) > 5',
      for: '5m',
      severity: 'medium',
      summary: 'Checkout logs more than 5 declined payments a second',
    },
  ],
  gameDays: {
    experiments: [
      { kind: 'pod-kill', name: 'kill-one-pod' },
      { kind: 'network-delay', name: 'slow-network', latency: '100ms', jitter: '20ms', duration: '10m', slos: ['latency'] },
    ],
    lastHeld: '2025-10-14',
  },
  // The public host's certificate from cert-manager, renewed 30 days before expiry and checked hourly as served.
  certificates: [{ issuer: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } }],
  database: {
    host: 'checkout-db.payments',
    name: 'checkout',
    credentials: { user: { name: 'checkout-db', key: 'user' }, password: { name: 'checkout-db', key: 'password' } },
    backup: {
      destination: 'gs://shop-prod-4821-checkout-backups/checkout',
      retentionDays: 35,
      gcpServiceAccount: 'checkout-backup@shop-prod-4821.iam.gserviceaccount.com',
      restoreCheck: {
        checks: [
          { name: 'orders-rows', query: 'SELECT count(*) FROM orders', min: 1000 },
          { name: 'recent-orders', query: "SELECT count(*) FROM orders WHERE created_at > now() - interval '2 days'", min: 1 },
        ],
      },
    },
    cloudSql: { instance: 'checkout-prod', tier: 'db-custom-2-7680' },
    migration: { strategy: 'expand-contract' },
  },
  environments: {
    dev: {
      image: 'registry.example.com/payments/checkout:latest',
      replicas: 1,
      autoscaling: false,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      env: { LOG_LEVEL: 'debug' },
      alertRouting: { critical: 'payments-chat', high: 'payments-chat' },
      gcp: { project: 'shop-dev-4821', publicHost: 'checkout.dev.shop.example.com' },
      database: {
        backup: { destination: 'gs://shop-dev-4821-checkout-backups/checkout', retentionDays: 7, gcpServiceAccount: 'checkout-backup@shop-dev-4821.iam.gserviceaccount.com' },
        cloudSql: { instance: 'checkout-dev', tier: 'db-g1-small', retainedBackups: 7 },
      },
      // One replica with debug logging says little about what production needs.
      rightSizing: { enabled: false },
    },
    staging: {
      replicas: 2,
      autoscaling: { minReplicas: 2, maxReplicas: 4 },
      alertRouting: { critical: 'payments-chat' },
      gcp: { project: 'shop-staging-4821', publicHost: 'checkout.staging.shop.example.com' },
      database: {
        backup: { destination: 'gs://shop-staging-4821-checkout-backups/checkout', retentionDays: 14, gcpServiceAccount: 'checkout-backup@shop-staging-4821.iam.gserviceaccount.com' },
        cloudSql: { instance: 'checkout-staging' },
      },
    },
  },
});

/** Internal catalog service: medium tier, blue/green delivery. */
export const catalog = defineService({
  name: 'catalog',
  description: 'Serves product data to other services; not reachable from the internet.',
  team: 'merchandising',
  contacts: { owners: ['merch-team@example.com'], escalation: ['merch-oncall@example.com'] },
  tier: 'medium',
  component: 'api',
  image: 'registry.example.com/merchandising/catalog@sha256:4f1c5e8e3c1b2a7d9e0f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
  version: '2.3.0',
  port: 8080,
  health: { liveness: { path: '/livez' }, readiness: { path: '/readyz' } },
  autoscaling: { maxReplicas: 6, cpuTargetPercent: 75 },
  slos: [
    { kind: 'availability', name: 'availability', objective: 99.5, period: '28d' },
    { kind: 'latency', name: 'latency', objective: 95, thresholdSeconds: 0.25, period: '28d' },
  ],
  delivery: { strategy: 'blue-green', scaleDownDelaySeconds: 600, smokeTraffic: { path: '/v1/products?limit=1' } },
  alertRouting: { critical: 'merch-pager', high: 'merch-pager', highOutsideBusinessHours: 'merch-chat', medium: 'merch-tickets' },
  environments: {
    dev: { replicas: 1, autoscaling: false },
  },
});

/** Background worker: sends e-mails from a queue; no HTTP ingress, metrics only. */
export const notifier = defineService({
  name: 'notifier',
  description: 'Consumes order events and sends customer e-mails.',
  team: 'payments',
  contacts: { owners: ['payments-team@example.com'], escalation: ['payments-oncall@example.com'] },
  tier: 'high',
  component: 'worker',
  image: 'registry.example.com/payments/notifier:0.9.7',
  metrics: { port: 9100 },
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
  health: { liveness: { path: '/healthz', port: 9100 } },
  autoscaling: { minReplicas: 2, maxReplicas: 8, cpuTargetPercent: 80 },
  secretEnv: { SMTP_PASSWORD: { name: 'notifier-smtp', key: 'password' } },
  slos: [
    {
      kind: 'custom',
      name: 'delivery',
      objective: 99,
      description: '99% of e-mails are handed to the mail provider without error',
      goodQuery: 'sum(rate(notifier_emails_sent_total[{{window}}]))',
      totalQuery: 'sum(rate(notifier_emails_attempted_total[{{window}}]))',
    },
  ],
  delivery: { strategy: 'rolling', maxSurge: '1', maxUnavailable: '0' },
  environments: {
    dev: { replicas: 1, autoscaling: false },
  },
});

/** The platform: environments, receivers and links shared by every service. */
export const platform = definePlatform({
  name: 'shop',
  environments: [
    { name: 'dev', otlpEndpoint: 'http://otel-collector.observability:4317' },
    { name: 'staging', otlpEndpoint: 'http://otel-collector.observability:4317' },
    { name: 'prod', production: true, otlpEndpoint: 'http://otel-collector.observability:4317', logRetentionDays: 90 },
  ],
  runbookBaseUrl: 'https://runbooks.example.com/shop',
  dashboardBaseUrl: 'https://grafana.example.com',
  prometheusUrl: 'http://prometheus-operated.monitoring:9090',
  receivers: {
    'payments-pager': { type: 'pagerduty', routingKeySecret: { name: 'pagerduty-payments', key: 'routing-key' } },
    'payments-chat': { type: 'slack', channel: '#payments-alerts', apiUrlSecret: { name: 'slack-webhooks', key: 'payments' } },
    'merch-pager': { type: 'pagerduty', routingKeySecret: { name: 'pagerduty-merchandising', key: 'routing-key' } },
    'merch-chat': { type: 'slack', channel: '#merch-alerts', apiUrlSecret: { name: 'slack-webhooks', key: 'merchandising' } },
    'merch-tickets': { type: 'webhook', url: 'https://tickets.example.com/hooks/merchandising' },
    'platform-tickets': { type: 'webhook', url: 'https://tickets.example.com/hooks/platform' },
  },
  defaultAlertRouting: {
    critical: 'payments-pager',
    high: 'payments-pager',
    highOutsideBusinessHours: 'payments-chat',
    medium: 'platform-tickets',
    low: 'none',
  },
  businessHours: { timezone: 'Europe/Berlin', weekdays: ['monday:friday'], start: '09:00', end: '18:00' },
  dashboards: { prometheusDatasource: 'prometheus', tracesDatasource: 'tempo' },
  loki: { datasource: 'loki' },
  // A namespace per pull request in dev, deleted by the cleanup job once expired.
  previews: {
    environments: ['dev', 'staging'],
    protectedNamespaces: ['argocd'],
    cleanup: { maxDeletions: 5 },
    instances: [{ environment: 'dev', pullRequest: 1234, owner: 'payments', createdAt: '2026-12-01T09:00:00Z', ttl: '72h' }],
  },
  gitops: { repoURL: 'https://git.example.com/shop/platform.git', targetRevision: 'main', environments: { prod: { server: 'https://prod.k8s.example.com' } } },
  services: [checkout, catalog, notifier],
});
