/**
 * The services the dashboard tests look at, built on the valid definitions of
 * test/fixtures/definitions.ts: an HTTP API, a worker with a custom SLI, and a canary-delivered
 * API, on the shop platform.
 */
import { EffectiveService, PlatformDefinition, PlatformDefinitionInput, ServiceDefinitionInput, SloInput, definePlatform, defineService, resolveEnvironment } from '../../lib/definition';
import { serviceRuleGroups } from '../../lib/prometheus/rules';
import { RuleGroup } from '../../lib/prometheus/rule-group';
import { DashboardPlan, PanelPlan } from '../../lib/dashboards';
import { availability, platform, service, worker } from '../fixtures/definitions';

/** A latency SLO on the 250ms bucket. */
export const LATENCY: SloInput = { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 };

/** A custom SLO on two counters of the notifier. */
export const DELIVERY: SloInput = {
  kind: 'custom',
  name: 'delivery',
  objective: 99,
  goodQuery: 'sum(rate(notifier_emails_sent_total[{{window}}]))',
  totalQuery: 'sum(rate(notifier_emails_attempted_total[{{window}}]))',
};

/** The checkout HTTP API: availability and latency SLOs, autoscaling, rolling updates. */
export const API: ServiceDefinitionInput = service({ slos: [availability(), LATENCY], autoscaling: { minReplicas: 3, maxReplicas: 6 } });

/** The notifier worker: no HTTP port, a custom SLO, no autoscaling. */
export const WORKER: ServiceDefinitionInput = worker({ slos: [DELIVERY], autoscaling: false });

/** The cart API, delivered by canary. */
export const CANARY: ServiceDefinitionInput = service({
  name: 'cart',
  image: 'registry.example.com/payments/cart:3.1.0',
  slos: [availability({ objective: 99.5 }), LATENCY],
  delivery: { strategy: 'canary', steps: [25, 50, 100] },
});

/** The shop platform around the given services (default: the three above), with changes. */
export function shop(services: readonly ServiceDefinitionInput[] = [API, WORKER, CANARY], changes: Partial<PlatformDefinitionInput> = {}): PlatformDefinition {
  return definePlatform(platform({ ...changes, services: services.map(defineService) }));
}

/** A service of a platform in one environment. */
export function inEnv(p: PlatformDefinition, name: string, environment = 'prod'): EffectiveService {
  return resolveEnvironment(p, name, environment);
}

/** The generated rule groups of a service, as synthesis builds them. */
export function rulesOf(p: PlatformDefinition, s: EffectiveService): RuleGroup[] {
  return serviceRuleGroups(p, s);
}

/** The generated rule groups of every service of an environment, by name. */
export function fleetRules(p: PlatformDefinition, environment = 'prod'): Record<string, RuleGroup[]> {
  return Object.fromEntries(p.services.map((s) => [s.name, rulesOf(p, inEnv(p, s.name, environment))]));
}

/** Every panel of a plan, row by row. */
export function panelsOf(plan: DashboardPlan): PanelPlan[] {
  return plan.rows.flatMap((r) => r.panels);
}

/** The panel of a plan with that key; fails the test when there is none. */
export function panel(plan: DashboardPlan, key: string): PanelPlan {
  const found = panelsOf(plan).find((p) => p.key === key);
  if (found === undefined) throw new Error(`no panel ${key}; panels: ${panelsOf(plan).map((p) => p.key).join(', ')}`);
  return found;
}
