import * as fs from 'fs';
import * as path from 'path';
import { FileWriter } from '../private/file-writer';
import { ApiObject, App, Chart } from 'cdk8s';
import { DefinitionError, EffectiveService, Environment, PlatformDefinition, effectiveServices } from '../definition';
import { NamespaceChart } from '../k8s/namespace-chart';
import { ServiceChart } from '../k8s/service-chart';
import { constructId } from '../private/construct-id';
import { toYamlDocuments } from '../private/yaml';
import { AlertRouting } from '../alertmanager/alert-routing';
import { RuleGroup, isAlertingRule } from '../prometheus/rule-group';
import { LokiRuleGroup } from '../loki/rule-group';
import { ServiceOutputs, serviceOutputs } from '../k8s/service-outputs';
import type { PassedChecks } from '../dashboards/consistency';
import { FleetDashboard } from '../grafana/service-dashboard';
import { PreviewEnvironment, previewProps } from '../ops/preview-environment';
import { CLEANUP_JOB, CleanupCronJob } from '../ops/cleanup-cron-job';
import { ScheduledJob } from '../ops/scheduled-job';
import { platformOutputs } from '../k8s/platform-outputs';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';

/** One chart of a platform: what it is for, and the file it is written to. */
export interface PlatformChart {
  /** Environment name. */
  readonly environment: string;
  /**
   * The file, relative to the Kubernetes output folder: `<env>/<service>.k8s.yaml` for a
   * service, `<env>/namespaces/<namespace>.k8s.yaml` for a namespace and
   * `<env>/alert-routing/<namespace>.k8s.yaml` for its routing, `<env>/dashboards/fleet.k8s.yaml`
   * for the environment's fleet dashboard, `<env>/platform/<job>.k8s.yaml` for a platform job
   * (the preview cleanup), `<env>/previews/<namespace>.k8s.yaml` for a preview environment.
   * Each kind has its own folder, so no name can make one overwrite another.
   */
  readonly file: string;
  /** The app holding just this chart. */
  readonly app: App;
  /** The chart. */
  readonly chart: Chart;
  /** The same chart when it holds one service. */
  readonly serviceChart?: ServiceChart;
  /** The service's rule groups, built once for its PrometheusRule, rule file and tests. */
  readonly ruleGroups?: readonly RuleGroup[];
  /** The service's Loki rule groups, built once for its ConfigMap and rule file. */
  readonly logRuleGroups?: readonly LokiRuleGroup[];
  /** The service's scheduled jobs, built once for their objects, rule file and tests. */
  readonly jobs?: readonly ScheduledJobPlan[];
  /** The environment's fleet dashboard, when the chart holds it. */
  readonly fleetDashboard?: FleetDashboard;
}

/**
 * The largest object written, in bytes of JSON: the API server's limit for a ConfigMap or
 * Secret, and well inside etcd's request limit for every other kind.
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#motivation
 */
export const MAX_OBJECT_BYTES = 1024 * 1024;

/**
 * Builds the Kubernetes side of a platform: per environment, per service, a `ServiceChart`, the
 * fleet dashboard, and per namespace a `NamespaceChart` (restricted Pod Security, default-deny NetworkPolicy) and an
 * `AlertRouting` chart. Each chart gets an `App` of its own: cdk8s walks the
 * whole construct tree of an app for every chart when it validates and orders objects, so one
 * app per chart keeps synthesis linear in the number of services.
 */
export function buildPlatformCharts(platform: PlatformDefinition): PlatformChart[] {
  return [...platformCharts(platform)];
}

/**
 * The environments of a platform that `names` selects, in the platform's order; every
 * environment when `names` is undefined. Throws a `DefinitionError` naming each unknown one.
 */
export function selectEnvironments(platform: PlatformDefinition, names?: readonly string[]): readonly Environment[] {
  if (names === undefined) return platform.environments;
  const known = platform.environments.map((env) => env.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new DefinitionError(
      `selection of environments of platform "${platform.name}"`,
      unknown.map((name) => ({ path: `${platform.name}.environments`, problem: `has no environment of this name; it has ${known.join(', ')}`, value: name })),
    );
  }
  return platform.environments.filter((env) => names.includes(env.name));
}

/**
 * The same charts as `buildPlatformCharts`, built one at a time: write each and let it go, so
 * memory stays flat however large the fleet. Service by service, each in every environment
 * (see `servicesInTurn`), then the charts of each environment.
 * @param environments the environments to build, by name
 * @default every environment of the platform
 */
export function* platformCharts(platform: PlatformDefinition, environments?: readonly string[]): Generator<PlatformChart> {
  const selected = selectEnvironments(platform, environments).map((env) => env.name);
  const records = new Map<string, Record<string, readonly RuleGroup[]>>(selected.map((env) => [env, {}]));
  for (const service of servicesInTurn(platform, selected)) {
    const built = serviceChartOf(platform, service);
    const byService = records.get(service.environment);
    if (byService !== undefined) byService[service.name] = recordingRules(built.ruleGroups ?? []);
    yield built;
  }
  for (const env of selected) {
    yield* environmentCharts(platform, env, records.get(env) ?? {});
    records.delete(env);
  }
}

/**
 * Every service of a platform in every environment, service by service (each in the
 * environments' order): what a service's environments share (parsed queries, type checks,
 * dashboard findings, simulated scenarios) is still in the bounded caches when the next
 * environment asks, however many services there are.
 */
export function servicesInTurn(platform: PlatformDefinition, environments: readonly string[] = platform.environments.map((env) => env.name)): EffectiveService[] {
  const byEnvironment = environments.map((env) => new Map(effectiveServices(platform, env).map((s) => [s.name, s])));
  const names = [...new Set(byEnvironment.flatMap((services) => [...services.keys()]))];
  return names.flatMap((name) => byEnvironment.flatMap((services) => services.get(name) ?? []));
}

/** The part of rule groups a fleet dashboard reads: their recording rules, so the alerts can go. */
export function recordingRules(groups: readonly RuleGroup[]): RuleGroup[] {
  return groups.map((group) => ({ name: group.name, rules: group.rules.filter((rule) => !isAlertingRule(rule)) }));
}

/** The chart of one service in one environment, from its outputs when already built. */
export function serviceChartOf(platform: PlatformDefinition, service: EffectiveService, outputs: ServiceOutputs = serviceOutputs(platform, service)): PlatformChart {
  const app = new App();
  const { ruleGroups, logRuleGroups, jobs } = outputs;
  const serviceChart = new ServiceChart(app, constructId(service.name), { platform, service, ruleGroups, logRuleGroups, jobs });
  return { environment: service.environment, file: `${service.environment}/${service.name}.k8s.yaml`, app, chart: serviceChart, serviceChart, ruleGroups, logRuleGroups, jobs };
}

/**
 * The charts of one environment that belong to no service: the fleet dashboard (which reads
 * every service's rule groups), per namespace its `NamespaceChart` and `AlertRouting`, the
 * platform's scheduled jobs (the preview cleanup) and the previews the definition declares.
 */
export function* environmentCharts(platform: PlatformDefinition, environment: string, groupsByService: Readonly<Record<string, readonly RuleGroup[]>>, passedChecks?: PassedChecks): Generator<PlatformChart> {
  const services = effectiveServices(platform, environment);
  const fleetApp = new App();
  const fleetChart = new Chart(fleetApp, 'fleet', { disableResourceNameHashes: true });
  const fleetDashboard = new FleetDashboard(fleetChart, 'dashboard', { platform, environment, ruleGroups: groupsByService, ...(passedChecks !== undefined ? { passedChecks } : {}) });
  yield { environment, file: `${environment}/dashboards/fleet.k8s.yaml`, app: fleetApp, chart: fleetChart, fleetDashboard };
  for (const namespace of [...new Set(services.map((s) => s.namespace))].sort()) {
    const namespaceApp = new App();
    const namespaceChart = new NamespaceChart(namespaceApp, constructId(namespace), { platform, namespace });
    yield { environment, file: `${environment}/namespaces/${namespace}.k8s.yaml`, app: namespaceApp, chart: namespaceChart };
    const app = new App();
    const chart = new Chart(app, constructId(namespace), { disableResourceNameHashes: true });
    new AlertRouting(chart, 'routing', { platform, environment, namespace });
    yield { environment, file: `${environment}/alert-routing/${namespace}.k8s.yaml`, app, chart };
  }
  for (const plan of platformOutputs(platform, environment).jobs) {
    const app = new App();
    const chart = new Chart(app, constructId(plan.name), { disableResourceNameHashes: true });
    if (plan.name === CLEANUP_JOB.name) new CleanupCronJob(chart, 'cleanup', { platform, environment, plan });
    else new ScheduledJob(chart, plan.name, { plan, ruleLabels: platform.monitoringLabels });
    yield { environment, file: `${environment}/platform/${plan.name}.k8s.yaml`, app, chart };
  }
  for (const preview of (platform.previews?.instances ?? []).filter((p) => p.environment === environment)) {
    const app = new App();
    const chart = new Chart(app, constructId(preview.namespace), { disableResourceNameHashes: true });
    new PreviewEnvironment(chart, 'preview', { platform, ...previewProps(preview) });
    yield { environment, file: `${environment}/previews/${preview.namespace}.k8s.yaml`, app, chart };
  }
}

/**
 * A bound on the bytes of a value's JSON that is quick to compute: each character of a string
 * takes at most 6 bytes (`\u0000`), a number at most 24 characters, and every value its
 * punctuation. Only an object the bound puts above the limit is serialized to be measured.
 */
export function jsonBytesAtMost(value: unknown): number {
  if (typeof value === 'string') return 2 + 6 * value.length;
  if (typeof value !== 'object' || value === null) return 24;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += 1 + jsonBytesAtMost(item);
  } else {
    for (const [key, item] of Object.entries(value)) bytes += 2 + jsonBytesAtMost(key) + jsonBytesAtMost(item);
  }
  return bytes;
}

/**
 * A chart's objects as a YAML stream, in dependency order, after cdk8s validation. Throws a
 * `DefinitionError` naming the object when one is larger than the API server accepts.
 */
export function renderChart(chart: Chart): string {
  return toYamlDocuments(chartObjects(chart));
}

/** A chart's objects as JSON, in dependency order, after cdk8s validation and the size check of `renderChart`. */
export function chartObjects(chart: Chart): { kind?: string; metadata?: { name?: string } }[] {
  const objects = chart.toJson() as { kind?: string; metadata?: { name?: string } }[];
  for (const object of objects) {
    if (jsonBytesAtMost(object) <= MAX_OBJECT_BYTES) continue;
    const bytes = Buffer.byteLength(JSON.stringify(object));
    if (bytes > MAX_OBJECT_BYTES) {
      throw new DefinitionError(`Kubernetes object of ${chart.node.path}`, [
        { path: `${chart.node.path}.${object.kind}/${object.metadata?.name}`, problem: `is ${bytes} bytes of JSON, above the ${MAX_OBJECT_BYTES} the API server accepts; give the service fewer SLOs or smaller env values`, value: `<${bytes} bytes>` },
      ]);
    }
  }
  return objects;
}

/**
 * Writes every chart of `platformCharts` to `<outdir>/<file>`, as a cdk8s app of the platform
 * does, each handed to a background writer as soon as it is built (see `FileWriter`), so the
 * next chart is built while the last is written. Returns the files written, in order.
 * @example
 * // the cdk8s app `cdk8s.yaml` names:
 * writePlatformCharts(platform, process.env.CDK8S_OUTDIR ?? 'dist/k8s');
 */
export function writePlatformCharts(platform: PlatformDefinition, outdir: string, environments?: readonly string[]): string[] {
  const writer = new FileWriter();
  const files: string[] = [];
  try {
    for (const { chart, file } of platformCharts(platform, environments)) {
      writer.write(path.join(outdir, file), toYamlDocuments(chartObjects(chart)));
      files.push(file);
    }
    writer.close();
  } catch (error) {
    writer.dispose();
    throw error;
  }
  return files;
}

/** Writes a chart to `<outdir>/<file>`; returns the objects written, as JSON. */
export function writeChart(outdir: string, { chart, file }: Pick<PlatformChart, 'chart' | 'file'>): unknown[] {
  const target = path.join(outdir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const objects = chartObjects(chart);
  fs.writeFileSync(target, toYamlDocuments(objects));
  return objects;
}

/** Counts the API objects of a chart by kind, without rendering it. */
export function countKinds(chart: Chart, into: Record<string, number> = {}): Record<string, number> {
  for (const child of chart.node.findAll()) {
    if (child instanceof ApiObject) {
      into[child.kind] = (into[child.kind] ?? 0) + 1;
    }
  }
  return into;
}
