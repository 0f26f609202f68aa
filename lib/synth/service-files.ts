/**
 * The files of one service in one environment, built in memory from its outputs (rule groups,
 * Loki groups, jobs) built once: what the cache stores and the shards divide.
 */
import { EffectiveService, PlatformDefinition } from '../definition';
import { renderServiceDashboard, serviceDashboardFile } from '../grafana/render-dashboards';
import { serviceOutputs } from '../k8s/service-outputs';
import { renderLokiRuleFile } from '../loki/render';
import { renderRuleFile } from '../prometheus/render';
import { renderRuleTests, serviceRuleTests } from '../prometheus/rule-tests';
import { CachedService } from './cache';
import { jobRuleFiles } from './job-rules';
import { countKinds, renderChart, serviceChartOf } from './k8s';

/** The output sides made of files per service; the others are written once per platform. */
export const SERVICE_SIDES: readonly string[] = ['k8s', 'prometheus', 'loki', 'grafana'];

/**
 * One service's files on the given sides, relative to the output folder:
 * `k8s/<env>/<service>.k8s.yaml`, `prometheus/<env>/<service>.rules.yaml` and `.test.yaml`,
 * `prometheus/<env>/jobs/<service>.*`, `loki/<env>/<service>.rules.yaml` and
 * `grafana/<env>/<service>.json`; with the objects of its chart per kind and its rule groups.
 */
export function serviceFiles(platform: PlatformDefinition, service: EffectiveService, sides: readonly string[]): CachedService {
  const outputs = serviceOutputs(platform, service);
  const files: { path: string; content: string }[] = [];
  const objectsPerKind: Record<string, number> = {};
  let dashboard: string | undefined;
  if (sides.includes('k8s')) {
    const built = serviceChartOf(platform, service, outputs);
    files.push({ path: `k8s/${built.file}`, content: renderChart(built.chart) });
    countKinds(built.chart, objectsPerKind);
    dashboard = built.serviceChart?.dashboard?.json;
  }
  if (sides.includes('prometheus') && platform.prometheusRules !== 'objects') {
    const base = `prometheus/${service.environment}/${service.name}`;
    files.push(...jobRuleFiles(`prometheus/${service.environment}/jobs/${service.name}`, outputs.jobs));
    files.push({ path: `${base}.rules.yaml`, content: renderRuleFile(outputs.ruleGroups) });
    files.push({ path: `${base}.test.yaml`, content: renderRuleTests(serviceRuleTests(platform, service, `${service.name}.rules.yaml`, outputs.ruleGroups)) });
  }
  if (sides.includes('loki') && outputs.logRuleGroups.length > 0) {
    files.push({ path: `loki/${service.environment}/${service.name}.rules.yaml`, content: renderLokiRuleFile(outputs.logRuleGroups) });
  }
  if (sides.includes('grafana')) {
    files.push({ path: serviceDashboardFile(service), content: dashboard ?? renderServiceDashboard(platform, service, outputs.ruleGroups) });
  }
  return { files, objectsPerKind, ruleGroups: outputs.ruleGroups };
}
