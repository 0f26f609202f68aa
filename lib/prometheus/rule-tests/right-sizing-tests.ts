/**
 * The tests of a service's right-sizing alerts: the cAdvisor and kube-state-metrics series of one
 * pod using a chosen share of its requests and limits, and what each alert must do on them.
 * The requests, limits and thresholds come from the definition; the alerts expected are the
 * rules of the group itself, so the tests check the very rules written next to them.
 */
import { EffectiveService } from '../../definition';
import { parseCpu, parseMemory } from '../../definition/quantities';
import { parseDuration } from '../../promql/duration';
import { CONTAINER_SERIES, ContainerResource } from '../containers';
import { RIGHT_SIZING_ALERTS, RIGHT_SIZING_FOR, RIGHT_SIZING_INTERVAL, RIGHT_SIZING_MIN_HISTORY, rightSizingRuleGroupName } from '../right-sizing-rules';
import { AlertingRule, RuleGroup, groupAlerts } from '../rule-group';
import { seriesText } from './synthetic-series';
import { AlertRuleTest, InputSeries, RuleTestFile, RuleTestGroup, TEST_STEP, at, constant, expectedAlert, growing } from './test-file';

/** A resource in the units the series carry: cores and bytes. */
type Amounts = Readonly<Record<ContainerResource, number>>;

/** What one pod uses: cores and bytes. */
interface Usage {
  readonly cpu: number;
  readonly memory: number;
}

function minutes(duration: string): number {
  return (parseDuration(duration) ?? 0) / 60;
}

/** The requests and limits of the definition, in cores and bytes. */
function amounts(service: EffectiveService, kind: 'requests' | 'limits'): Amounts {
  const q = service.resources[kind];
  return { cpu: (parseCpu(q.cpu) ?? 0) / 1000, memory: (parseMemory(q.memory) ?? 0) * 1024 };
}

/** The series of one pod of the service using `usage` (cores, bytes) for `length` minutes. */
function podSeries(service: EffectiveService, usage: Usage, length: number): InputSeries[] {
  const pod = { namespace: service.namespace, pod: `${service.name}-7d9f8c6b5-x2x4z`, container: service.name };
  const cadvisor = { ...pod, job: 'kubelet' };
  const ksm = { ...pod, job: 'kube-state-metrics' };
  const requests = amounts(service, 'requests');
  const limits = amounts(service, 'limits');
  const series = (metric: string, labels: Readonly<Record<string, string>>, values: string): InputSeries => ({ series: seriesText({ metric, labels }), values });
  return [
    series(CONTAINER_SERIES.cpuUsage, cadvisor, growing(usage.cpu * 60, length)),
    series(CONTAINER_SERIES.memoryWorkingSet, cadvisor, constant(Math.round(usage.memory), length)),
    ...(['cpu', 'memory'] as const).flatMap((resource) => {
      const unit = resource === 'cpu' ? 'core' : 'byte';
      return [
        series(CONTAINER_SERIES.requests, { ...ksm, resource, unit }, constant(requests[resource], length)),
        series(CONTAINER_SERIES.limits, { ...ksm, resource, unit }, constant(limits[resource], length)),
      ];
    }),
  ];
}

function evaluation(minute: number, alertname: string, firing: readonly AlertingRule[]): AlertRuleTest {
  return { eval_time: at(minute), alertname, exp_alerts: firing.map((rule) => expectedAlert(rule)) };
}

/**
 * The tests of the right-sizing group, as test groups:
 * - `ServiceOverProvisioned`: a pod using half of `request / factor` of CPU, and 1.25 ×
 *   `request / factor` of memory, fires for CPU (and not for memory) once a day of usage is
 *   recorded and the hour of `for` has passed, not after 23 hours; the same with the resources
 *   swapped;
 * - `ServiceMemoryNearLimit`: a pod halfway between the threshold and the limit fires after the
 *   15 minutes of `for`, not at 10; one at 90% of the threshold stays quiet.
 * Every evaluation time falls on the group's 5-minute grid.
 */
export function rightSizingTestGroups(groups: readonly RuleGroup[], service: EffectiveService): RuleTestGroup[] {
  const rules = groupAlerts(groups, rightSizingRuleGroupName(service));
  if (rules.length === 0) return [];
  const { factor, memoryNearLimitPercent } = service.rightSizing;
  const requests = amounts(service, 'requests');
  const limits = amounts(service, 'limits');
  const over = rules.filter((r) => r.alert === RIGHT_SIZING_ALERTS.overProvisioned);
  const near = rules.filter((r) => r.alert === RIGHT_SIZING_ALERTS.memoryNearLimit);

  // Usage recorded for a day, then the hour of `for`, then a little: the evaluation of the firing tests.
  const history = minutes(RIGHT_SIZING_MIN_HISTORY);
  const fires = history + minutes(RIGHT_SIZING_FOR.overProvisioned) + 10;
  const wellUsed = (resource: ContainerResource): number => (1.25 * requests[resource]) / factor;
  const idle = (resource: ContainerResource): number => requests[resource] / (2 * factor);
  const name = (rest: string): string => `${service.name} ${rest}`;
  const WHAT = { cpu: 'CPU', memory: 'memory' } as const;

  const overTests: RuleTestGroup[] = (['cpu', 'memory'] as const).map((resource) => {
    const other = resource === 'cpu' ? 'memory' : 'cpu';
    return {
      name: name(`${RIGHT_SIZING_ALERTS.overProvisioned} fires for ${WHAT[resource]} at half of request / ${factor}, not for ${WHAT[other]} at 1.25 × request / ${factor}, once a day of usage is recorded`),
      interval: TEST_STEP,
      input_series: podSeries(service, resource === 'cpu' ? { cpu: idle('cpu'), memory: wellUsed('memory') } : { cpu: wellUsed('cpu'), memory: idle('memory') }, fires),
      alert_rule_test: [
        evaluation(history - 60, RIGHT_SIZING_ALERTS.overProvisioned, []),
        evaluation(fires, RIGHT_SIZING_ALERTS.overProvisioned, over.filter((r) => r.labels.resource === resource)),
      ],
    };
  });

  const threshold = memoryNearLimitPercent / 100;
  const holds = minutes(RIGHT_SIZING_FOR.memoryNearLimit);
  const length = holds + 15;
  const memoryAt = (share: number): Usage => ({ cpu: wellUsed('cpu'), memory: share * limits.memory });
  const nearTests: RuleTestGroup[] =
    near.length === 0
      ? []
      : [
          {
            name: name(`${RIGHT_SIZING_ALERTS.memoryNearLimit} fires once memory has held above ${memoryNearLimitPercent}% of the limit for ${RIGHT_SIZING_FOR.memoryNearLimit}`),
            interval: TEST_STEP,
            input_series: podSeries(service, memoryAt((threshold + 1) / 2), length),
            alert_rule_test: [evaluation(holds - 5, RIGHT_SIZING_ALERTS.memoryNearLimit, []), evaluation(holds + 5, RIGHT_SIZING_ALERTS.memoryNearLimit, near)],
          },
          {
            name: name(`${RIGHT_SIZING_ALERTS.memoryNearLimit} stays quiet at 90% of the ${memoryNearLimitPercent}% threshold`),
            interval: TEST_STEP,
            input_series: podSeries(service, memoryAt(threshold * 0.9), length),
            alert_rule_test: [evaluation(holds + 5, RIGHT_SIZING_ALERTS.memoryNearLimit, [])],
          },
        ];
  return [...overTests, ...nearTests];
}

/**
 * The `promtool test rules` file of a service's right-sizing alerts, or undefined when the
 * service has no right-sizing group. It is a file of its own because it evaluates the rules
 * every 5 minutes, as Prometheus evaluates the group (`RIGHT_SIZING_INTERVAL`), where the
 * service's other tests step by the minute: promtool evaluates every group of a file at the
 * file's one interval, and the day of history `ServiceOverProvisioned` waits for would
 * otherwise cost 1 500 evaluations of every SLO rule per test.
 * @param ruleFileName the service's rule file, relative to the test file
 * @param groups the service's rule groups, as written to that file
 * @example
 * const tests = rightSizingRuleTests(service, 'checkout.rules.yaml', serviceRuleGroups(platform, service));
 * if (tests !== undefined) writeFileSync('checkout.right-sizing.test.yaml', renderRuleTests(tests));
 */
export function rightSizingRuleTests(service: EffectiveService, ruleFileName: string, groups: readonly RuleGroup[]): RuleTestFile | undefined {
  const tests = rightSizingTestGroups(groups, service);
  if (tests.length === 0) return undefined;
  return { rule_files: [ruleFileName], evaluation_interval: RIGHT_SIZING_INTERVAL, group_eval_order: groups.map((g) => g.name), tests };
}
