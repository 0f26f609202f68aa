import * as fs from 'fs';
import * as path from 'path';
import { GcpPlatformApp } from '../gcp/platform-app';
import { renderAlertmanagerYaml } from '../alertmanager/alertmanager-file';
import { renderRuleTests, serviceRuleTests } from '../prometheus/rule-tests';
import { renderRuleFile } from '../prometheus/render';
import { RuleGroup } from '../prometheus/rule-group';
import { renderLokiRuleFile } from '../loki/render';
import { LokiRuleGroup } from '../loki/rule-group';
import { serviceOutputs } from '../k8s/service-outputs';
import { jobRuleFiles } from './job-rules';
import { platformOutputs } from '../k8s/platform-outputs';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import { fleetDashboardFile, renderFleetDashboard, renderServiceDashboard, serviceDashboardFile } from '../grafana/render-dashboards';
import { effectiveServices } from '../definition';
import { EffectiveService, PlatformDefinition } from '../definition';
import { countKinds, platformCharts, writeChart } from './k8s';

/** What a synthesis wrote. */
export interface SynthSummary {
  /** Files written, relative to the output folder, sorted. */
  readonly files: readonly string[];
  /** Number of Kubernetes objects per kind, sorted by kind. */
  readonly objectsPerKind: Readonly<Record<string, number>>;
}

/** Options of `synthesizePlatform`. */
export interface SynthesizePlatformOptions {
  /**
   * Which outputs to write.
   * @default every side: ALL_SIDES
   */
  readonly sides?: readonly OutputSide[];
  /**
   * Remove the output folders this function owns before writing, so no stale file survives.
   * @default true
   */
  readonly clean?: boolean;
  /**
   * Called as work is done: after each service of each environment on the Kubernetes and
   * Prometheus sides, and when a side begins. For a progress line on a terminal.
   * @default no reports
   */
  readonly onProgress?: (progress: SynthProgress) => void;
}

/** How far a synthesis has come. */
export interface SynthProgress {
  /** The side being written. */
  readonly side: OutputSide;
  /** Services done on this side, over every environment. */
  readonly done: number;
  /** Services to do on this side, over every environment. */
  readonly total: number;
  /** The environment of the last service done. */
  readonly environment?: string;
}

/** A plain file to write, relative to the output folder. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

function listFiles(root: string, dir = root): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(root, path.join(dir, entry.name)) : [path.relative(root, path.join(dir, entry.name))]))
    .sort();
}

/** Writes plain files under `outdir`, creating folders. */
export function writeOutputFiles(outdir: string, files: readonly OutputFile[]): void {
  for (const file of files) {
    const target = path.join(outdir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
}

/** The outputs of a platform, each written to the folder of its name under the output folder. */
export type OutputSide = 'k8s' | 'prometheus' | 'loki' | 'grafana' | 'alertmanager' | 'gcp';

/** Every output side, in the order they are written. */
export const ALL_SIDES: readonly OutputSide[] = ['k8s', 'prometheus', 'loki', 'grafana', 'alertmanager', 'gcp'];

/**
 * Synthesizes everything the library produces for a platform into `outdir`:
 * - `k8s/<env>/<service>.k8s.yaml`: the service's Kubernetes objects;
 * - `k8s/<env>/alert-routing/<namespace>.k8s.yaml`: the AlertmanagerConfig of a namespace;
 * - `prometheus/<env>/<service>.rules.yaml` and `.test.yaml`: plain rules and their promtool tests;
 * - `prometheus/<env>/jobs/<service>.rules.yaml` and `.test.yaml`: the alerts of a service's
 *   scheduled jobs and their tests; `prometheus/<env>/platform/jobs.*` those of the platform's;
 * - `loki/<env>/<service>.rules.yaml`: the Loki ruler's rules, for services with log alerts;
 * - `grafana/<env>/<service>.json` and `grafana/<env>/fleet.json`: dashboards for file provisioning;
 * - `alertmanager/<env>/alertmanager.yml`: plain Alertmanager configuration;
 * - `gcp/stacks/<platform>-<env>/cdk.tf.json`: Terraform JSON for Cloud Monitoring.
 * The same platform gives byte-identical files, run after run.
 */
export function synthesizePlatform(platform: PlatformDefinition, outdir: string, options: SynthesizePlatformOptions = {}): SynthSummary {
  const sides = options.sides ?? ALL_SIDES;
  if (options.clean ?? true) {
    for (const folder of sides) {
      fs.rmSync(path.join(outdir, folder), { recursive: true, force: true });
    }
  }
  const objectsPerKind: Record<string, number> = {};
  // Paths are unique by construction (distinct folders per kind, names unique per platform);
  // this check keeps it so as outputs are added.
  const claimed = new Set<string>();
  const claim = (file: string): string => {
    if (claimed.has(file)) throw new Error(`two outputs of platform ${platform.name} would be written to ${file}`);
    claimed.add(file);
    return file;
  };
  // Each service's plain rules and tests are written as soon as its rule groups exist (reusing
  // those of the PrometheusRule when the Kubernetes side runs), so nothing piles up in memory.
  const writeDashboard = (file: string, json: string): void => {
    if (sides.includes('grafana')) writeOutputFiles(outdir, [{ path: claim(file), content: json }]);
  };
  const writeRules = (service: EffectiveService, groups: readonly RuleGroup[], logGroups: readonly LokiRuleGroup[], jobs: readonly ScheduledJobPlan[] = []): void => {
    if (sides.includes('prometheus')) {
      writeOutputFiles(outdir, jobRuleFiles(`prometheus/${service.environment}/jobs/${service.name}`, jobs).map((file) => ({ ...file, path: claim(file.path) })));
      const base = `prometheus/${service.environment}/${service.name}`;
      writeOutputFiles(outdir, [
        { path: claim(`${base}.rules.yaml`), content: renderRuleFile(groups) },
        { path: claim(`${base}.test.yaml`), content: renderRuleTests(serviceRuleTests(platform, service, `${service.name}.rules.yaml`, groups)) },
      ]);
    }
    if (sides.includes('loki') && logGroups.length > 0) {
      writeOutputFiles(outdir, [{ path: claim(`loki/${service.environment}/${service.name}.rules.yaml`), content: renderLokiRuleFile(logGroups) }]);
    }
  };
  const total = platform.services.length * platform.environments.length;
  const report = options.onProgress ?? ((): void => undefined);
  if (sides.includes('k8s')) {
    let done = 0;
    report({ side: 'k8s', done, total });
    for (const built of platformCharts(platform)) {
      const { chart, serviceChart, ruleGroups, logRuleGroups, fleetDashboard, jobs } = built;
      if (serviceChart !== undefined) report({ side: 'k8s', done: ++done, total, environment: built.environment });
      claim(`k8s/${built.file}`);
      writeChart(path.join(outdir, 'k8s'), built);
      countKinds(chart, objectsPerKind);
      if (serviceChart !== undefined && ruleGroups !== undefined) {
        writeRules(serviceChart.service, ruleGroups, logRuleGroups ?? [], jobs);
        if (serviceChart.dashboard !== undefined) writeDashboard(serviceDashboardFile(serviceChart.service), serviceChart.dashboard.json);
      }
      if (fleetDashboard !== undefined) writeDashboard(fleetDashboardFile(built.environment), fleetDashboard.json);
    }
  } else if (sides.some((side) => side === 'prometheus' || side === 'loki' || side === 'grafana')) {
    let done = 0;
    const side = sides.find((s) => s === 'prometheus' || s === 'loki' || s === 'grafana') as OutputSide;
    report({ side, done, total });
    for (const env of platform.environments) {
      const groupsByService: Record<string, readonly RuleGroup[]> = {};
      for (const service of effectiveServices(platform, env.name)) {
        const built = serviceOutputs(platform, service);
        groupsByService[service.name] = built.ruleGroups;
        writeRules(service, built.ruleGroups, built.logRuleGroups, built.jobs);
        writeDashboard(serviceDashboardFile(service), renderServiceDashboard(platform, service, built.ruleGroups));
        report({ side, done: ++done, total, environment: service.environment });
      }
      writeDashboard(fleetDashboardFile(env.name), renderFleetDashboard(platform, env.name, groupsByService));
    }
  }
  if (sides.includes('prometheus')) {
    for (const env of platform.environments) {
      const files = jobRuleFiles(`prometheus/${env.name}/platform/jobs`, platformOutputs(platform, env.name).jobs);
      writeOutputFiles(outdir, files.map((file) => ({ ...file, path: claim(file.path) })));
    }
  }
  if (sides.includes('alertmanager')) {
    report({ side: 'alertmanager', done: 0, total: platform.environments.length });
    writeOutputFiles(
      outdir,
      platform.environments.map((env) => ({ path: `alertmanager/${env.name}/alertmanager.yml`, content: renderAlertmanagerYaml(platform, env.name) })),
    );
  }
  if (sides.includes('gcp')) {
    report({ side: 'gcp', done: 0, total: platform.environments.length });
    new GcpPlatformApp({ platform, outdir: path.join(outdir, 'gcp') }).synth();
  }
  const files = sides.flatMap((folder) => listFiles(outdir, path.join(outdir, folder)));
  return {
    files,
    objectsPerKind: Object.fromEntries(Object.entries(objectsPerKind).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}
