/**
 * The readiness of a whole platform: each service of each environment checked, from the charts
 * synthesis builds, and the items that fail a production synthesis as one `DefinitionError`.
 */
import { ApiObject, App } from 'cdk8s';
import { DefinitionError, DefinitionIssue, EffectiveService, PlatformDefinition, effectiveServices } from '../definition';
import { ServiceChart } from '../k8s/service-chart';
import { ServiceOutputs, serviceOutputs } from '../k8s/service-outputs';
import { constructId } from '../private/construct-id';
import { todayUtc } from '../private/iso-date';
import { ReadinessOptions, ServiceFindings, readinessOfFindings, serviceFindings, todayOf } from './evaluate';
import { KubeObjectJson, ReadinessReport, ServiceBuild, ServiceReadiness } from './types';

/**
 * What a `ServiceChart` synthesized, for the readiness check: its rule groups, Loki groups,
 * jobs and dashboard plan, and its objects as JSON.
 * @param objects the chart's objects as already rendered (synthesis passes those it wrote);
 *   without them, each of the chart's ApiObjects is resolved again
 * @param outputs the service's outputs the chart was built from (`serviceOutputs`), which hold its
 *   rule groups also when the platform delivers them as files only; without them, those the
 *   chart holds
 */
export function serviceBuild(chart: ServiceChart, objects: readonly unknown[] = chartObjectsOf(chart), outputs?: Pick<ServiceOutputs, 'ruleGroups' | 'logRuleGroups' | 'jobs'>): ServiceBuild {
  return {
    service: chart.service,
    ruleGroups: outputs?.ruleGroups ?? chart.sloAlertPolicy?.groups ?? serviceOutputs(chart.monitoredService.platform, chart.service).ruleGroups,
    logRuleGroups: outputs?.logRuleGroups ?? chart.lokiRules?.groups ?? [],
    jobs: outputs?.jobs ?? chart.operations.jobs.map((job) => job.plan),
    ...(chart.dashboard !== undefined ? { dashboard: chart.dashboard.plan } : {}),
    objects: objects.filter(isKubeObject),
  };
}

/** The objects of a chart as JSON, each resolved on its own. */
function chartObjectsOf(chart: ServiceChart): unknown[] {
  return chart.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => o.toJson() as unknown);
}

function isKubeObject(value: unknown): value is KubeObjectJson {
  const v = value as Partial<KubeObjectJson> | null;
  return typeof v === 'object' && v !== null && typeof v.kind === 'string' && typeof v.apiVersion === 'string' && typeof v.metadata === 'object' && v.metadata !== null;
}

/** Options of `readinessReport`. */
export interface ReadinessReportOptions {
  /**
   * The day to check for, an ISO date (`2026-12-02`).
   * @default the current date in UTC
   */
  readonly today?: string;
  /**
   * The environments to check, by name.
   * @default the platform's production environments
   */
  readonly environments?: readonly string[];
}

/** The environments a report covers: those named, else the production ones, in platform order. */
export function reportEnvironments(platform: PlatformDefinition, environments?: readonly string[]): string[] {
  if (environments === undefined) return platform.environments.filter((e) => e.production).map((e) => e.name);
  const known = platform.environments.map((e) => e.name);
  const unknown = environments.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    throw new DefinitionError('readiness report', unknown.map((e) => ({ path: `${platform.name}.environment`, problem: `is not an environment of platform ${platform.name} (${known.join(', ')})`, value: e })));
  }
  return known.filter((e) => environments.includes(e));
}

/**
 * Collects the readiness of services as synthesis builds them, one at a time, keeping only the
 * results: from their charts, or from findings kept with a service's cached output.
 */
export class ReadinessCollector {
  private readonly results: ServiceReadiness[] = [];
  private readonly environments: ReadonlySet<string>;
  private readonly options: ReadinessOptions;

  /** Checks the environments of `options` (by default the production ones) for `options.today`. */
  constructor(
    private readonly platform: PlatformDefinition,
    options: ReadinessReportOptions = {},
  ) {
    this.options = { today: options.today ?? todayUtc() };
    todayOf(this.options);
    this.environments = new Set(reportEnvironments(platform, options.environments));
  }

  /** Whether services of an environment are checked. */
  public covers(environment: string): boolean {
    return this.environments.has(environment);
  }

  /**
   * Checks one service chart, when its environment is covered.
   * @param objects the chart's objects as already rendered, if they were
   * @param outputs the service's outputs the chart was built from, if at hand
   */
  public add(chart: ServiceChart, objects?: readonly unknown[], outputs?: Pick<ServiceOutputs, 'ruleGroups' | 'logRuleGroups' | 'jobs'>): void {
    if (this.covers(chart.service.environment)) this.addFindings(chart.service, serviceFindings(this.platform, serviceBuild(chart, objects, outputs)));
  }

  /** The day checked for, an ISO date. */
  public get today(): string {
    return this.options.today;
  }

  /** Adds the findings of one service, when its environment is covered; returns its readiness then. */
  public addFindings(service: EffectiveService, findings: ServiceFindings): ServiceReadiness | undefined {
    if (!this.covers(service.environment)) return undefined;
    const result = readinessOfFindings(this.platform, service, findings, this.options);
    this.results.push(result);
    return result;
  }

  /**
   * Adds the readiness of a service made before from the same inputs (its effective definition,
   * its overrides and waivers as written, the platform's settings, the library) for the same day.
   */
  public addReadiness(result: ServiceReadiness): void {
    if (this.covers(result.environment)) this.results.push(result);
  }

  /** The report of every service added, by environment (platform order), then name. */
  public report(): ReadinessReport {
    const order = this.platform.environments.map((e) => e.name);
    const services = [...this.results].sort((a, b) => order.indexOf(a.environment) - order.indexOf(b.environment) || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
    return { platform: this.platform.name, today: this.options.today, services };
  }
}

/**
 * The readiness of a platform: every service of the covered environments built as synthesis
 * builds it (`serviceOutputs`, then its `ServiceChart`) and checked item by item.
 * @example
 * const report = readinessReport(platform, { today: '2026-12-02' });
 * process.stdout.write(renderReadinessText(report));
 * process.exitCode = readinessIssues(report).length > 0 ? 1 : 0;
 */
export function readinessReport(platform: PlatformDefinition, options: ReadinessReportOptions = {}): ReadinessReport {
  const collector = new ReadinessCollector(platform, options);
  for (const environment of reportEnvironments(platform, options.environments)) {
    for (const service of effectiveServices(platform, environment)) {
      const outputs = serviceOutputs(platform, service);
      const { ruleGroups, logRuleGroups, jobs } = outputs;
      collector.add(new ServiceChart(new App(), constructId(service.name), { platform, service, ruleGroups, logRuleGroups, jobs }), undefined, outputs);
    }
  }
  return collector.report();
}

/**
 * The items that fail a production synthesis, one issue each: the field to change, the item,
 * its environment and why. Empty when production is ready.
 */
export function readinessIssues(report: ReadinessReport): DefinitionIssue[] {
  return report.services.flatMap((s) =>
    s.items
      .filter((i) => i.blocking)
      .map((i) => {
        const hint = i.field.startsWith(`${s.service}.readiness.waivers[`)
          ? ''
          : i.waiver !== undefined
            ? '; fix it, or renew the waiver with a new expiry date'
            : `; fix it, or waive it in ${s.service}.readiness.waivers with a reason and an expiry date`;
        return { path: i.field, problem: `fails readiness item ${i.item} (${i.title}) in ${s.environment}: ${i.reason}${hint}`, value: i.value };
      }),
  );
}

/** Throws one `DefinitionError` listing every item that fails a production synthesis. */
export function assertReady(report: ReadinessReport): void {
  const issues = readinessIssues(report);
  if (issues.length > 0) throw new DefinitionError(`production readiness of platform "${report.platform}"`, issues);
}
