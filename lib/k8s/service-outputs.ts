/**
 * What one service in one environment is made of besides its workload, built once from the
 * definition: the Prometheus rule groups (SLO, symptom and uptime alerts) and the Loki rule
 * groups (log alerts), and its scheduled jobs with their alerts. The chart's PrometheusRule and ConfigMaps, the plain rule files and the
 * promtool tests all read these same groups.
 */
import { EffectiveService, PlatformDefinition } from '../definition';
import { LokiRuleGroup } from '../loki/rule-group';
import { serviceLogRuleGroups } from '../loki/log-rules';
import { RuleGroup } from '../prometheus/rule-group';
import { serviceRuleGroups } from '../prometheus/rules';
import { uptimeRuleGroups } from '../uptime/uptime-probe-plan';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import { serviceJobPlans } from '../ops/service-jobs';

/** The rule groups of one service in one environment. */
export interface ServiceOutputs {
  /** Prometheus rule groups: SLO recording and alerting rules, symptom alerts, the uptime alert. */
  readonly ruleGroups: readonly RuleGroup[];
  /** Loki rule groups: the service's log alerts; empty when it declares none. */
  readonly logRuleGroups: readonly LokiRuleGroup[];
  /** The service's scheduled jobs (certificate checks, backups, ...); each ships its own PrometheusRule. */
  readonly jobs: readonly ScheduledJobPlan[];
  /** The jobs' rule groups (`<cronjob>-job`: `<prefix>JobFailed`, `<prefix>JobStale`), one per job. */
  readonly jobRuleGroups: readonly RuleGroup[];
}

/**
 * Builds the rule groups of a service once.
 * @param where where messages say a problem is, e.g. `[prod/checkout]`
 */
export function serviceOutputs(platform: PlatformDefinition, service: EffectiveService, where = `[${service.environment}/${service.name}]`): ServiceOutputs {
  const jobs = serviceJobPlans(platform, service);
  return {
    ruleGroups: [...serviceRuleGroups(platform, service, { where }), ...uptimeRuleGroups(platform, service, { where })],
    logRuleGroups: serviceLogRuleGroups(platform, service, { scope: `${service.environment}/${service.name}` }),
    jobs,
    jobRuleGroups: jobs.map((job) => job.ruleGroup),
  };
}
