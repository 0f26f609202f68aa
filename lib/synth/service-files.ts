/**
 * The files of one service in one environment, built in memory from its outputs (rule groups,
 * Loki groups, jobs) built once: what the cache stores and the shards divide.
 */
import { EffectiveService, PlatformDefinition } from '../definition';
import { renderServiceDashboard, serviceDashboardFile } from '../grafana/render-dashboards';
import { serviceOutputs } from '../k8s/service-outputs';
import { renderLokiRuleFile } from '../loki/render';
import { renderRuleFile } from '../prometheus/render';
import { renderRuleTests, rightSizingRuleTests, serviceRuleTests } from '../prometheus/rule-tests';
import { RUNBOOKS_FOLDER, RunbookFile, serviceRunbooks } from '../runbooks';
import { CachedService } from './cache';
import { jobRuleFiles } from './job-rules';
import { PlatformChart, chartObjects, countKinds, recordingRules, serviceChartOf } from './k8s';
import { toYamlDocuments } from '../private/yaml';
import { serviceBuild, serviceFindings } from '../readiness';
import { serviceGameDayFiles } from '../chaos/game-day-files';

/** A runbook file as an output file: its path under the runbooks folder. */
export function runbookOutputFile(file: RunbookFile): RunbookFile {
  return { path: `${RUNBOOKS_FOLDER}/${file.path}`, content: file.content };
}

/**
 * The output sides made per service: files, or (`readiness`) the findings of the readiness
 * check, which the platform-wide report reads. The others are written once per platform.
 */
export const SERVICE_SIDES: readonly string[] = ['k8s', 'prometheus', 'loki', 'grafana', 'runbooks', 'gamedays', 'readiness'];

/**
 * One service's files on the given sides, relative to the output folder:
 * `k8s/<env>/<service>.k8s.yaml`, `prometheus/<env>/<service>.rules.yaml`, `.test.yaml` and
 * `.right-sizing.test.yaml` (unless right-sizing is off),
 * `prometheus/<env>/jobs/<service>.*`, `loki/<env>/<service>.rules.yaml` and
 * `grafana/<env>/<service>.json`, `runbooks/<env>/services/<service>/...`,
 * `gamedays/<env>/<service>/<experiment>.k8s.yaml` and `.md`; with the objects of its
 * chart per kind, its recording rules (what the fleet dashboard reads), what the runbook indexes say of it, and on the readiness side
 * the findings of the readiness check over its chart and outputs.
 */
export function serviceFiles(platform: PlatformDefinition, service: EffectiveService, sides: readonly string[]): CachedService {
  const outputs = serviceOutputs(platform, service);
  const files: { path: string; content: string }[] = [];
  const objectsPerKind: Record<string, number> = {};
  let dashboard: string | undefined;
  let built: PlatformChart | undefined;
  let objects: unknown[] | undefined;
  if (sides.includes('k8s')) {
    built = serviceChartOf(platform, service, outputs);
    objects = chartObjects(built.chart);
    files.push({ path: `k8s/${built.file}`, content: toYamlDocuments(objects) });
    countKinds(built.chart, objectsPerKind);
    dashboard = built.serviceChart?.dashboard?.json;
  }
  // The readiness check reads the chart as written (or built for it alone, unwritten).
  const chart = sides.includes('readiness') ? (built ?? serviceChartOf(platform, service, outputs)).serviceChart : undefined;
  const readiness = chart !== undefined ? serviceFindings(platform, serviceBuild(chart, objects, outputs)) : undefined;
  if (sides.includes('prometheus') && platform.prometheusRules !== 'objects') {
    const base = `prometheus/${service.environment}/${service.name}`;
    files.push(...jobRuleFiles(`prometheus/${service.environment}/jobs/${service.name}`, outputs.jobs));
    files.push({ path: `${base}.rules.yaml`, content: renderRuleFile(outputs.ruleGroups) });
    files.push({ path: `${base}.test.yaml`, content: renderRuleTests(serviceRuleTests(platform, service, `${service.name}.rules.yaml`, outputs.ruleGroups)) });
    const rightSizing = rightSizingRuleTests(service, `${service.name}.rules.yaml`, outputs.ruleGroups);
    if (rightSizing !== undefined) files.push({ path: `${base}.right-sizing.test.yaml`, content: renderRuleTests(rightSizing) });
  }
  if (sides.includes('loki') && outputs.logRuleGroups.length > 0) {
    files.push({ path: `loki/${service.environment}/${service.name}.rules.yaml`, content: renderLokiRuleFile(outputs.logRuleGroups) });
  }
  if (sides.includes('grafana')) {
    files.push({ path: serviceDashboardFile(service), content: dashboard ?? renderServiceDashboard(platform, service, outputs.ruleGroups) });
  }
  if (sides.includes('gamedays')) files.push(...serviceGameDayFiles(platform, service));
  const runbooks = sides.includes('runbooks') ? serviceRunbooks(platform, service, outputs) : undefined;
  if (runbooks !== undefined) files.push(...runbooks.files.map(runbookOutputFile));
  return {
    files,
    objectsPerKind,
    ruleGroups: recordingRules(outputs.ruleGroups),
    ...(runbooks !== undefined ? { runbooks: runbooks.summary } : {}),
    ...(readiness !== undefined ? { readiness } : {}),
  };
}
