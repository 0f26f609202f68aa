/**
 * The plan of a service's dashboard in one environment: Overview (SLOs and alerts), RED (or the
 * custom SLIs of a worker), USE, Right-sizing, Deployments and, with Loki, Logs. Every query is built from the
 * helpers the alerts are built from, on the same metrics and recording rules.
 * @see https://grafana.com/blog/2018/08/02/the-red-method-how-to-instrument-your-services/
 * @see https://www.brendangregg.com/usemethod.html
 */
import { matcher, selector, substituteWindow } from '../promql/build';
import { errorLogRate, serviceLogSelector } from '../logql/build';
import { dashboardUid, fleetDashboardUrl, serviceRunbooksUrl } from '../definition/naming';
import { AvailabilitySlo, CustomSlo, EffectiveService, LatencySlo, PlatformDefinition, SLO_DEFAULTS } from '../definition';
import { INTERVAL, RATE_INTERVAL, variableRef } from './macros';
import { badFrom, num, percent, queries, timeseries } from './panels';
import { scopeMatchers, sliErrorRatioQuery, sloErrorBudget } from './rule-names';
import { CONTAINER_SERIES, ContainerResource, containerMatchers as serviceContainerMatchers, containerResourceSeries, containerSeries } from '../prometheus/containers';
import { alertsPanel, sloPanels } from './slo-panels';
import { RIGHT_SIZING_ROW, rightSizingRow } from './right-sizing-panels';
import { selectorsOf } from './selectors';
import { DashboardPlan, PanelPlan, PlanLink, RowPlan, VariablePlan } from './types';

/** The label the delivery puts on the series of canary and stable pods. */
export const TRACK_LABEL = 'track';

/** The values of `TRACK_LABEL`. */
export const TRACKS = Object.freeze({ canary: 'canary', stable: 'stable' });

/** The quantiles latency panels draw. */
export const LATENCY_QUANTILES: readonly number[] = Object.freeze([0.5, 0.95, 0.99]);

/** Row titles of the service dashboard, the names `addPanels` takes. */
export const SERVICE_ROWS = Object.freeze({
  overview: 'Overview',
  red: 'RED: requests, errors, duration',
  sli: 'SLIs',
  use: 'USE: utilization, saturation, errors',
  rightSizing: RIGHT_SIZING_ROW,
  deployments: 'Deployments',
  logs: 'Logs',
});

/** Settings of the dashboards, apart from the definition. */
export const DASHBOARD_DEFAULTS = Object.freeze({ timeFrom: 'now-6h', refresh: '1m', tag: 'ops-constructs' });

/** The service seen through the dashboard's `namespace` variable, for scoping raw series. */
function scoped(service: EffectiveService): EffectiveService {
  return { ...service, namespace: variableRef('namespace') };
}

/** Matchers of the service's containers in the dashboard's namespace: cAdvisor and kube-state-metrics label them `namespace`, `pod`, `container`. */
function containerMatchers(service: EffectiveService): string {
  return serviceContainerMatchers(scoped(service));
}

function rate(series: string): string {
  return `rate(${series}[${RATE_INTERVAL}])`;
}

/** The raw metrics a service's definition declares: its request metrics (HTTP services) and those its custom SLIs read. */
export function declaredMetrics(service: EffectiveService): string[] {
  const names = new Set<string>();
  if (service.port !== undefined) {
    names.add(service.metrics.requestsMetric);
    for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${service.metrics.latencyMetric}${suffix}`);
  }
  for (const slo of service.slos) {
    if (slo.kind !== 'custom') continue;
    for (const query of [slo.goodQuery, slo.totalQuery]) {
      for (const use of selectorsOf(substituteWindow(query, '5m'))) if (use.metric !== undefined) names.add(use.metric);
    }
  }
  return [...names].sort();
}

/** An Explore link to the service's traces on the tracing datasource (TraceQL on `service.name`, as the pods' OTEL environment sets it). */
export function tracesLink(platform: PlatformDefinition, service: EffectiveService, datasource: string): PlanLink {
  const left = { datasource, queries: [{ refId: 'A', queryType: 'traceql', query: `{resource.service.name=${JSON.stringify(service.name)}}` }], range: { from: 'now-1h', to: 'now' } };
  return { title: `Traces of ${service.name}`, url: `${platform.dashboardBaseUrl}/explore?left=${encodeURIComponent(JSON.stringify(left))}` };
}

/** The bad and total request selectors of error ratios: the first availability SLO's, else 5xx of all requests. */
function errorSelectors(service: EffectiveService): { bad: string; total: string; slo?: AvailabilitySlo } {
  const slo = service.slos.find((s): s is AvailabilitySlo => s.kind === 'availability');
  return slo === undefined ? { bad: SLO_DEFAULTS.badSelector, total: SLO_DEFAULTS.totalSelector } : { bad: slo.badSelector, total: slo.totalSelector, slo };
}

function latencyPanel(platform: PlatformDefinition, service: EffectiveService, slo: LatencySlo | undefined): PanelPlan {
  const traces = platform.dashboards.tracesDatasource;
  const buckets = selector(`${service.metrics.latencyMetric}_bucket`, scopeMatchers(scoped(service)), slo?.selector ?? '');
  return timeseries({
    key: `red/latency${slo === undefined ? '' : `/${slo.name}`}`,
    title: slo === undefined ? 'Latency' : `Latency: ${slo.name}`,
    question:
      slo === undefined
        ? `How long do requests to ${service.name} take (p50, p95, p99)?`
        : `How long do the requests of SLO ${slo.name} take (p50, p95, p99)? The line is its ${num(slo.thresholdSeconds)}s threshold, which ${percent(slo.objective / 100)} of requests must meet.`,
    queries: queries(
      ...LATENCY_QUANTILES.map((q) => ({
        expr: `histogram_quantile(${num(q)}, sum by (le) (${rate(buckets)}))`,
        legend: `p${num(q * 100)}`,
        ...(traces !== undefined ? { exemplar: true } : {}),
      })),
    ),
    unit: 's',
    ...(slo !== undefined ? { thresholds: badFrom(slo.thresholdSeconds), thresholdLines: true } : {}),
    ...(traces !== undefined ? { links: [tracesLink(platform, service, traces)] } : {}),
    width: 8,
    height: 8,
  });
}

function errorRatioPanel(service: EffectiveService, slo: AvailabilitySlo | undefined): PanelPlan {
  const { bad, total } = errorSelectors(service);
  const scope = scopeMatchers(scoped(service));
  const metric = service.metrics.requestsMetric;
  const expr =
    slo === undefined
      ? `sum(${rate(selector(metric, scope, total, bad))})\n/\nsum(${rate(selector(metric, scope, total))})`
      : sliErrorRatioQuery(scoped(service), slo, RATE_INTERVAL);
  return timeseries({
    key: `red/errors${slo === undefined ? '' : `/${slo.name}`}`,
    title: slo === undefined ? 'Error ratio' : `Error ratio: ${slo.name}`,
    question:
      slo === undefined
        ? `What share of the requests to ${service.name} fail (${SLO_DEFAULTS.badSelector})?`
        : `What share of the requests of SLO ${slo.name} fail (${slo.badSelector})? The line is its error budget, ${percent(sloErrorBudget(slo))}.`,
    queries: queries({ expr, legend: slo?.name ?? 'errors' }),
    unit: 'percentunit',
    ...(slo !== undefined ? { thresholds: badFrom(sloErrorBudget(slo)), thresholdLines: true } : {}),
    width: 8,
    height: 8,
  });
}

/** The RED row of an HTTP service: request rate, error ratio per availability SLO, latency per latency SLO. */
function redRow(platform: PlatformDefinition, service: EffectiveService): RowPlan {
  const requests = selector(service.metrics.requestsMetric, scopeMatchers(scoped(service)));
  const availability = service.slos.filter((s): s is AvailabilitySlo => s.kind === 'availability');
  const latency = service.slos.filter((s): s is LatencySlo => s.kind === 'latency');
  return {
    title: SERVICE_ROWS.red,
    panels: [
      timeseries({
        key: 'red/requests',
        title: 'Request rate',
        question: `How many requests per second does ${service.name} serve, in all and by status code?`,
        queries: queries({ expr: `sum(${rate(requests)})`, legend: 'all' }, { expr: `sum by (code) (${rate(requests)})`, legend: '{{code}}' }),
        unit: 'reqps',
        width: 8,
        height: 8,
      }),
      ...(availability.length === 0 ? [errorRatioPanel(service, undefined)] : availability.map((slo) => errorRatioPanel(service, slo))),
      ...(latency.length === 0 ? [latencyPanel(platform, service, undefined)] : latency.map((slo) => latencyPanel(platform, service, slo))),
    ],
  };
}

/** The SLI row: events and error ratio of each custom SLO (a worker's RED). */
function sliRow(service: EffectiveService, slos: readonly CustomSlo[]): RowPlan {
  return {
    title: SERVICE_ROWS.sli,
    panels: slos.flatMap((slo) => [
      timeseries({
        key: `sli/${slo.name}/events`,
        title: `Events: ${slo.name}`,
        question: `How many events per second does SLO ${slo.name} count, and how many of them are good?`,
        queries: queries({ expr: substituteWindow(slo.totalQuery, RATE_INTERVAL), legend: 'all' }, { expr: substituteWindow(slo.goodQuery, RATE_INTERVAL), legend: 'good' }),
        unit: 'ops',
        width: 12,
        height: 8,
      }),
      timeseries({
        key: `sli/${slo.name}/errors`,
        title: `Error ratio: ${slo.name}`,
        question: `What share of the events of SLO ${slo.name} are bad? The line is its error budget, ${percent(sloErrorBudget(slo))}.`,
        queries: queries({ expr: sliErrorRatioQuery(service, slo, RATE_INTERVAL), legend: slo.name }),
        unit: 'percentunit',
        thresholds: badFrom(sloErrorBudget(slo)),
        thresholdLines: true,
        width: 12,
        height: 8,
      }),
    ]),
  };
}

/** Per-pod usage of a resource next to the containers' requests and limits (kube-state-metrics). */
function usageQueries(service: EffectiveService, usage: string, resource: ContainerResource): ReturnType<typeof queries> {
  return queries(
    { expr: usage, legend: '{{pod}}' },
    { expr: `max(${containerResourceSeries('requests', scoped(service), resource)})`, legend: 'request' },
    { expr: `max(${containerResourceSeries('limits', scoped(service), resource)})`, legend: 'limit' },
  );
}

function replicasPanel(service: EffectiveService): PanelPlan {
  const ns = matcher('namespace', '=', variableRef('namespace'));
  if (service.autoscaling === false) {
    const deployment = `${ns}, ${matcher('deployment', '=', service.name)}`;
    return timeseries({
      key: 'use/replicas',
      title: 'Replicas',
      question: `How many pods of ${service.name} are available, of the replicas asked for?`,
      queries: queries(
        { expr: `max(${selector('kube_deployment_status_replicas_available', deployment)})`, legend: 'available' },
        { expr: `max(${selector('kube_deployment_spec_replicas', deployment)})`, legend: 'desired' },
      ),
      unit: 'short',
      width: 8,
      height: 8,
    });
  }
  const hpa = `${ns}, ${matcher('horizontalpodautoscaler', '=', service.name)}`;
  return timeseries({
    key: 'use/replicas',
    title: 'Replicas',
    question: `How many pods does the autoscaler run, want, and allow at most (${service.autoscaling.maxReplicas})? Current at max means ${service.name} cannot scale further.`,
    queries: queries(
      { expr: `max(${selector('kube_horizontalpodautoscaler_status_current_replicas', hpa)})`, legend: 'current' },
      { expr: `max(${selector('kube_horizontalpodautoscaler_status_desired_replicas', hpa)})`, legend: 'desired' },
      { expr: `max(${selector('kube_horizontalpodautoscaler_spec_max_replicas', hpa)})`, legend: 'max' },
    ),
    unit: 'short',
    width: 8,
    height: 8,
  });
}

/** The USE row: CPU and memory against requests and limits, throttling, restarts and OOM kills, replicas. */
function useRow(service: EffectiveService): RowPlan {
  const c = containerMatchers(service);
  return {
    title: SERVICE_ROWS.use,
    panels: [
      timeseries({
        key: 'use/cpu',
        title: 'CPU',
        question: `How many CPU cores does each pod of ${service.name} use, against the request (${service.resources.requests.cpu}) and the limit (${service.resources.limits.cpu})?`,
        queries: usageQueries(service, `sum by (pod) (${rate(containerSeries(CONTAINER_SERIES.cpuUsage, scoped(service)))})`, 'cpu'),
        unit: 'short',
        width: 12,
        height: 8,
      }),
      timeseries({
        key: 'use/memory',
        title: 'Memory',
        question: `How much memory does each pod of ${service.name} hold (working set), against the request (${service.resources.requests.memory}) and the limit (${service.resources.limits.memory}), where it is OOM killed?`,
        queries: usageQueries(service, `sum by (pod) (${containerSeries(CONTAINER_SERIES.memoryWorkingSet, scoped(service))})`, 'memory'),
        unit: 'bytes',
        width: 12,
        height: 8,
      }),
      timeseries({
        key: 'use/throttling',
        title: 'CPU throttling',
        question: `In what share of CPU periods is ${service.name} throttled by its CPU limit?`,
        queries: queries({
          expr: `sum by (pod) (${rate(selector('container_cpu_cfs_throttled_periods_total', c))})\n/\nsum by (pod) (${rate(selector('container_cpu_cfs_periods_total', c))})`,
          legend: '{{pod}}',
        }),
        unit: 'percentunit',
        width: 8,
        height: 8,
      }),
      timeseries({
        key: 'use/restarts',
        title: 'Restarts and OOM kills',
        question: `Do containers of ${service.name} restart, and are they killed for running out of memory?`,
        queries: queries(
          { expr: `sum by (pod) (increase(${selector('kube_pod_container_status_restarts_total', c)}[${RATE_INTERVAL}]))`, legend: 'restarts {{pod}}' },
          { expr: `sum by (pod) (increase(${selector('container_oom_events_total', c)}[${RATE_INTERVAL}]))`, legend: 'OOM kills {{pod}}' },
        ),
        unit: 'short',
        width: 8,
        height: 8,
      }),
      replicasPanel(service),
    ],
  };
}

/** The images the service's containers run: one series per image. */
export function runningImagesQuery(service: EffectiveService, offset?: string): string {
  return `count by (image) (${selector('kube_pod_container_info', containerMatchers(service))}${offset === undefined ? '' : ` offset ${offset}`})`;
}

/** How long after a new image appears its annotation lasts. */
export const VERSION_CHANGE_WINDOW = '5m';

/** The canary panels: the canary's share of traffic, and error ratio and p99 latency per track. */
function canaryPanels(service: EffectiveService): PanelPlan[] {
  const scope = scopeMatchers(scoped(service));
  const metric = service.metrics.requestsMetric;
  const { bad, total, slo } = errorSelectors(service);
  const latency = service.slos.find((s): s is LatencySlo => s.kind === 'latency');
  const buckets = selector(`${service.metrics.latencyMetric}_bucket`, scope, latency?.selector ?? '');
  const track = `{{${TRACK_LABEL}}}`;
  return [
    timeseries({
      key: 'deployments/canary-weight',
      title: 'Canary weight',
      question: `What share of the requests does the canary of ${service.name} serve now?`,
      queries: queries({
        expr: `sum(${rate(selector(metric, scope, total, matcher(TRACK_LABEL, '=', TRACKS.canary)))})\n/\nsum(${rate(selector(metric, scope, total))})`,
        legend: TRACKS.canary,
      }),
      unit: 'percentunit',
      width: 8,
      height: 8,
    }),
    timeseries({
      key: 'deployments/track-errors',
      title: 'Error ratio per track',
      question: `Does the canary fail more requests than the stable version?`,
      queries: queries({
        expr: `sum by (${TRACK_LABEL}) (${rate(selector(metric, scope, total, bad))})\n/\nsum by (${TRACK_LABEL}) (${rate(selector(metric, scope, total))})`,
        legend: track,
      }),
      unit: 'percentunit',
      ...(slo !== undefined ? { thresholds: badFrom(sloErrorBudget(slo)), thresholdLines: true } : {}),
      width: 8,
      height: 8,
    }),
    timeseries({
      key: 'deployments/track-latency',
      title: 'p99 latency per track',
      question: `Is the canary slower than the stable version?`,
      queries: queries({ expr: `histogram_quantile(0.99, sum by (le, ${TRACK_LABEL}) (${rate(buckets)}))`, legend: track }),
      unit: 's',
      ...(latency !== undefined ? { thresholds: badFrom(latency.thresholdSeconds), thresholdLines: true } : {}),
      width: 8,
      height: 8,
    }),
  ];
}

function deploymentsRow(service: EffectiveService): RowPlan {
  const canary = service.delivery.strategy === 'canary' && service.port !== undefined;
  return {
    title: SERVICE_ROWS.deployments,
    panels: [
      timeseries({
        key: 'deployments/versions',
        title: 'Running versions',
        question: `Which images do the containers of ${service.name} run, and how many of each? Two at once is a rollout in progress.`,
        queries: queries({ expr: runningImagesQuery(service), legend: '{{image}}' }),
        unit: 'short',
        width: 24,
        height: 6,
      }),
      ...(canary ? canaryPanels(service) : []),
    ],
  };
}

function logsRow(platform: PlatformDefinition, service: EffectiveService): RowPlan | undefined {
  const loki = platform.loki;
  if (loki === undefined) return undefined;
  const target = { name: service.name, namespace: variableRef('namespace') };
  return {
    title: SERVICE_ROWS.logs,
    collapsed: true,
    panels: [
      timeseries({
        key: 'logs/error-rate',
        title: 'Error log lines',
        question: `How many error lines per second do the pods of ${service.name} log?`,
        language: 'logql',
        queries: queries({ expr: errorLogRate(loki.labels, target, INTERVAL), legend: 'error lines' }),
        unit: 'cps',
        width: 24,
        height: 6,
      }),
      {
        key: 'logs/lines',
        kind: 'logs',
        title: 'Logs',
        question: `What do the pods of ${service.name} log?`,
        language: 'logql',
        queries: queries({ expr: serviceLogSelector(loki.labels, target), legend: '' }),
        width: 24,
        height: 12,
      },
    ],
  };
}

function variables(platform: PlatformDefinition, service: EffectiveService): VariablePlan[] {
  return [
    { kind: 'datasource', name: 'datasource', label: 'Prometheus', pluginId: 'prometheus', current: platform.dashboards.prometheusDatasource },
    { kind: 'custom', name: 'environment', label: 'Environment', values: [service.environment], current: service.environment },
    { kind: 'query', name: 'namespace', label: 'Namespace', selector: selector('up', matcher('job', '=', service.name)), labelName: 'namespace', current: service.namespace },
  ];
}

/**
 * The plan of a service's dashboard in one environment. UID `dashboardUid(service)`, so the
 * `dashboard_url` of every alert of the service opens it with its `environment` and `namespace`
 * variables set.
 * @example
 * const plan = serviceDashboardPlan(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 */
export function serviceDashboardPlan(platform: PlatformDefinition, service: EffectiveService): DashboardPlan {
  const custom = service.slos.filter((s): s is CustomSlo => s.kind === 'custom');
  const rows: (RowPlan | undefined)[] = [
    { title: SERVICE_ROWS.overview, panels: [...service.slos.flatMap((slo) => sloPanels(platform, service, slo)), alertsPanel(service)] },
    service.port !== undefined ? redRow(platform, service) : undefined,
    custom.length > 0 ? sliRow(service, custom) : undefined,
    useRow(service),
    rightSizingRow(service),
    deploymentsRow(service),
    logsRow(platform, service),
  ];
  return {
    uid: dashboardUid(service),
    title: `${service.name} (${service.environment})`,
    description: service.description !== '' ? service.description : `Service ${service.name} of team ${service.team} in ${service.environment}: SLOs, RED, USE and deployments.`,
    tags: [...new Set([DASHBOARD_DEFAULTS.tag, service.platform, service.environment, service.team, service.name])].sort(),
    folder: service.team,
    variables: variables(platform, service),
    ...(platform.loki !== undefined ? { lokiDatasource: platform.loki.datasource } : {}),
    annotations: [
      {
        name: 'Version changes',
        question: `When did a new image of ${service.name} start running? A mark lasts ${VERSION_CHANGE_WINDOW} from the first pod of a new image.`,
        expr: `${runningImagesQuery(service)}\nunless\n${runningImagesQuery(service, VERSION_CHANGE_WINDOW)}`,
        color: 'blue',
      },
    ],
    links: [
      { title: `Fleet of ${service.environment}`, url: fleetDashboardUrl(platform, service.environment) },
      { title: `Runbooks of ${service.name}`, url: serviceRunbooksUrl(platform, service) },
    ],
    rows: rows.filter((r): r is RowPlan => r !== undefined),
    timeFrom: DASHBOARD_DEFAULTS.timeFrom,
    refresh: DASHBOARD_DEFAULTS.refresh,
    extraMetrics: [],
  };
}
