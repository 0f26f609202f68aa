import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { ServiceChart } from '../k8s/service-chart';
import { AlertRouting } from '../prometheus/alert-routing';
import { resolveEnvironment } from '../definition';
import { PlatformDefinition } from '../definition';

/** One chart of a platform: what it is for and the app that writes it. */
export interface PlatformChart {
  /** Environment name. */
  readonly environment: string;
  /** The app holding just this chart; `app.synth()` writes `<outdir>/<environment>/<chart id>.k8s.yaml`. */
  readonly app: App;
  /** The chart. */
  readonly chart: Chart;
  /** The same chart when it holds one service. */
  readonly serviceChart?: ServiceChart;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Builds the Kubernetes side of a platform: per environment, per service, a `ServiceChart`, and
 * per namespace an `AlertRouting` chart (`<namespace>-alert-routing.k8s.yaml`).
 * Each chart gets an `App` of its own: cdk8s walks the whole construct tree of an app for
 * every chart when it validates and orders objects, so one app per chart keeps synthesis
 * linear in the number of services (one app for 200 services is several times slower).
 */
export function buildPlatformCharts(platform: PlatformDefinition, outdir: string): PlatformChart[] {
  return [...platformCharts(platform, outdir)];
}

/**
 * The same charts as `buildPlatformCharts`, built one at a time: synthesize each and let it go,
 * so memory stays flat however large the fleet.
 */
export function* platformCharts(platform: PlatformDefinition, outdir: string): Generator<PlatformChart> {
  for (const env of platform.environments) {
    for (const definition of [...platform.services].sort(byName)) {
      const app = new App({ outdir: path.join(outdir, env.name), yamlOutputType: YamlOutputType.FILE_PER_CHART });
      const service = resolveEnvironment(platform, definition, env.name);
      const serviceChart = new ServiceChart(app, service.name, { platform, service });
      yield { environment: env.name, app, chart: serviceChart, serviceChart };
    }
    const namespaces = [...new Set(platform.services.map((s) => resolveEnvironment(platform, s, env.name).namespace))].sort();
    for (const namespace of namespaces) {
      const app = new App({ outdir: path.join(outdir, env.name), yamlOutputType: YamlOutputType.FILE_PER_CHART });
      const chart = new Chart(app, `${namespace}-alert-routing`, { disableResourceNameHashes: true });
      new AlertRouting(chart, 'routing', { platform, environment: env.name, namespace });
      yield { environment: env.name, app, chart };
    }
  }
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
