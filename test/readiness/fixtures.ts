import { App } from 'cdk8s';
import { EnvironmentInput, PlatformDefinition, PlatformDefinitionInput, ServiceDefinitionInput, defineService, definePlatform, resolveEnvironment } from '../../lib/definition';
import { ServiceChart } from '../../lib/k8s';
import { ReadinessStatus, ServiceBuild, ServiceReadiness, serviceBuild, serviceReadiness } from '../../lib/readiness';
import { TEST_RECEIVERS, TEST_ROUTING } from '../fixtures/services';

/** The day the tests check for. */
export const TODAY = '2026-12-02';

/** A platform with dev and prod (an OTLP collector in prod unless `environments` say otherwise). */
export function readinessPlatform(
  inputs: readonly ServiceDefinitionInput[],
  environments: readonly EnvironmentInput[] = [{ name: 'dev' }, { name: 'prod', otlpEndpoint: 'http://collector.observability:4317' }],
  settings: Partial<PlatformDefinitionInput> = {},
): PlatformDefinition {
  return definePlatform({
    ...settings,
    name: 'acme',
    environments,
    runbookBaseUrl: 'https://runbooks.example.com',
    dashboardBaseUrl: 'https://grafana.example.com',
    prometheusUrl: 'http://prometheus.monitoring:9090',
    receivers: TEST_RECEIVERS,
    defaultAlertRouting: TEST_ROUTING,
    dashboards: { tracesDatasource: 'tempo' },
    services: inputs.map(defineService),
  });
}

/** A service the checklist passes on every item in production. */
export const READY: ServiceDefinitionInput = {
  name: 'orders',
  team: 'shop',
  contacts: { owners: ['shop-team@example.com'], escalation: ['shop-oncall@example.com'] },
  tier: 'critical',
  image: 'registry.example.com/shop/orders:2.0.1',
  port: 8080,
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  autoscaling: { minReplicas: 3, maxReplicas: 12 },
  slos: [
    { kind: 'availability', name: 'availability', objective: 99.9 },
    { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 },
  ],
  delivery: { strategy: 'canary', trafficRouting: { nginx: { stableIngress: 'orders' } } },
};

/** What synthesis builds for one service of a platform in one environment. */
export function buildOf(platform: PlatformDefinition, name: string, environment = 'prod'): ServiceBuild {
  const service = resolveEnvironment(platform, name, environment);
  return serviceBuild(new ServiceChart(new App(), name, { platform, service }));
}

/** The readiness of a build, for `TODAY` unless told. */
export function readinessOf(platform: PlatformDefinition, build: ServiceBuild, today = TODAY): ServiceReadiness {
  return serviceReadiness(platform, build, { today });
}

/** The status of every item, by id. */
export function statuses(readiness: ServiceReadiness): Record<string, ReadinessStatus> {
  return Object.fromEntries(readiness.items.map((i) => [i.item, i.status]));
}

/** One item's result. */
export function itemOf(readiness: ServiceReadiness, item: string): ServiceReadiness['items'][number] {
  const found = readiness.items.find((i) => i.item === item);
  if (found === undefined) throw new Error(`no item ${item}`);
  return found;
}
