import { ProbeProps, ProbeSpecProberScheme } from '../imports/monitoring-probes-monitoring.coreos.com';
import { sortedRecord } from '../private/data';
import { UptimeProbePlan } from './uptime-probe-plan';

/** Options of `probeProps`. */
export interface ProbePropsOptions {
  /**
   * Extra labels on the Probe, e.g. the label a Prometheus `probeSelector` matches (the
   * platform's `monitoringLabels`).
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The prometheus-operator `Probe` of a plan: a static target scraped through the blackbox
 * exporter with the plan's module, interval and timeout, its series labelled `job`,
 * `namespace`, `service` and `team`. The operator turns it into a scrape job that sets
 * `__param_target` and `instance` to the target and `__address__` to the exporter.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ProbeSpec
 */
export function probeProps(plan: UptimeProbePlan, options: ProbePropsOptions = {}): ProbeProps {
  return {
    metadata: {
      name: plan.name,
      namespace: plan.namespace,
      labels: sortedRecord({
        ...options.labels,
        'app.kubernetes.io/name': plan.targetLabels.service,
        'app.kubernetes.io/component': 'uptime-probe',
        'app.kubernetes.io/managed-by': 'ops-constructs',
        'app.kubernetes.io/part-of': plan.platform,
        team: plan.targetLabels.team,
      }),
    },
    spec: {
      jobName: plan.jobName,
      interval: plan.interval,
      scrapeTimeout: plan.scrapeTimeout,
      module: plan.blackbox.module,
      prober: { url: plan.blackbox.prober, scheme: ProbeSpecProberScheme.HTTP, path: plan.proberPath },
      targets: { staticConfig: { static: [plan.target], labels: sortedRecord(plan.targetLabels) } },
    },
  };
}
