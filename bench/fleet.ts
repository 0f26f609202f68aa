/**
 * A generator of realistic fleets for benchmarks: N services with mixed tiers, SLOs,
 * delivery strategies and workloads, across dev, staging and prod. Deterministic: the same
 * N gives the same fleet.
 */
import { PlatformDefinition, ServiceDefinitionInput, SloInput, Tier, defineService, definePlatform } from '../lib';

const TIERS: readonly Tier[] = ['critical', 'high', 'medium', 'low'];
const TEAMS = ['payments', 'search', 'identity', 'logistics', 'growth', 'platform', 'media', 'support'];

/**
 * The day the fleet's production synthesis is checked for: its critical and high services held
 * their last game day shortly before, and a game day counts for a quarter.
 */
export const FLEET_DAY = '2026-12-02';

function slos(i: number, worker: boolean): SloInput[] {
  if (worker) {
    return [
      {
        kind: 'custom',
        name: 'processing',
        objective: 99,
        goodQuery: `sum(rate(jobs_succeeded_total{job="svc-${i}"}[{{window}}]))`,
        totalQuery: `sum(rate(jobs_total{job="svc-${i}"}[{{window}}]))`,
      },
    ];
  }
  const list: SloInput[] = [{ kind: 'availability', name: 'availability', objective: i % 3 === 0 ? 99.95 : 99.9, ...(i % 4 === 0 ? { minRequestRate: 0.5 } : {}) }];
  if (i % 2 === 0) {
    list.push({ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25, period: i % 6 === 0 ? '28d' : '30d' });
  }
  return list;
}

/** One generated service input; every fifth is a worker without HTTP. */
export function fleetService(i: number): ServiceDefinitionInput {
  const worker = i % 5 === 4;
  const tier = TIERS[i % TIERS.length];
  const strategies = [{ strategy: 'rolling' as const }, { strategy: 'canary' as const }, { strategy: 'blue-green' as const }];
  return {
    name: `svc-${String(i).padStart(4, '0')}`,
    team: TEAMS[i % TEAMS.length],
    contacts: { owners: [`${TEAMS[i % TEAMS.length]}@example.com`], escalation: [`${TEAMS[i % TEAMS.length]}-oncall@example.com`] },
    tier,
    component: worker ? 'worker' : 'api',
    image: `registry.example.com/fleet/svc-${i}:1.${i % 17}.${i % 5}`,
    ...(worker ? { metrics: { port: 9100 } } : { port: 8080 }),
    resources: { requests: { cpu: `${100 + (i % 4) * 100}m`, memory: `${128 * (1 + (i % 3))}Mi` }, limits: { cpu: '1', memory: '1Gi' } },
    health: worker ? { liveness: { path: '/healthz', port: 9100 } } : { liveness: { path: '/healthz' }, readiness: { path: '/ready' } },
    // Production readiness: critical services autoscale and release progressively.
    autoscaling: i % 7 === 0 && tier !== 'critical' ? false : { minReplicas: tier === 'critical' ? 3 : 2, maxReplicas: 10 },
    env: { LOG_LEVEL: 'info' },
    slos: slos(i, worker),
    // Canary and blue/green analyse availability or latency SLOs, which workers do not have.
    delivery: worker ? strategies[0] : tier === 'critical' && i % 3 === 0 ? strategies[1] : strategies[i % 3],
    // A public host is served with a certificate that renews itself, and a check of what is served.
    ...(i % 2 === 0 && !worker ? { gcp: { project: `fleet-prod-${1000 + (i % 50)}`, publicHost: `svc-${i}.fleet.example.com` }, certificates: [{ issuer: { name: 'letsencrypt-prod' } }] } : {}),
    // Production readiness: critical and high services hold a game day every quarter.
    ...(tier === 'critical' || tier === 'high' ? { gameDays: { experiments: [{ kind: 'pod-kill' as const, name: 'kill-one-pod' }], lastHeld: '2026-11-17' } } : {}),
    environments: { dev: { replicas: 1, autoscaling: false } },
  };
}

/**
 * A platform of `n` generated services across dev, staging and prod. With `edited`, that
 * service is changed by `edit` (by default, it runs 7 replicas): one service changed, as in a
 * pull request.
 */
export function fleetPlatform(n: number, edited?: number, edit: (service: ServiceDefinitionInput) => ServiceDefinitionInput = (service) => ({ ...service, replicas: 7 })): PlatformDefinition {
  return definePlatform({
    name: 'fleet',
    environments: ['dev', 'staging', { name: 'prod', production: true, otlpEndpoint: 'http://otel-collector.observability:4317' }],
    runbookBaseUrl: 'https://runbooks.example.com/fleet',
    dashboardBaseUrl: 'https://grafana.example.com',
    prometheusUrl: 'http://prometheus-operated.monitoring:9090',
    receivers: {
      pager: { type: 'pagerduty', routingKeySecret: { name: 'pagerduty', key: 'routing-key' } },
      chat: { type: 'slack', channel: '#fleet-alerts', apiUrlSecret: { name: 'slack', key: 'url' } },
      tickets: { type: 'webhook', url: 'https://tickets.example.com/hooks/fleet' },
    },
    defaultAlertRouting: { critical: 'pager', high: 'pager', highOutsideBusinessHours: 'chat', medium: 'tickets', low: 'none' },
    services: Array.from({ length: n }, (_, i) => defineService(i === edited ? edit(fleetService(i)) : fleetService(i))),
  });
}
