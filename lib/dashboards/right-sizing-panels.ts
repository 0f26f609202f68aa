/**
 * The Right-sizing row of a service dashboard: 7 days of CPU and memory usage of the busiest pod
 * against the requests and limits, and how far each request exceeds the 95th percentile. Every
 * query reads the series the right-sizing group records, the ones its alerts and the rightsize
 * command read.
 */
import { EffectiveService } from '../definition';
import { RIGHT_SIZING_ALERTS, RIGHT_SIZING_RECORDS, rightSizingSeries } from '../prometheus/right-sizing-rules';
import { ContainerResource } from '../prometheus/containers';
import { variableRef } from './macros';
import { badFrom, num, percent, queries, stat, timeseries } from './panels';
import { BURN_RATE_UNIT } from './slo-panels';
import { PanelPlan, RowPlan } from './types';

/** Title of the row, the name `addPanels` takes. */
export const RIGHT_SIZING_ROW = 'Right-sizing';

const ON = 'on (namespace, service, resource)';

/** The recorded series of the service in the dashboard's namespace. */
function series(record: string, service: EffectiveService, resource?: ContainerResource): string {
  return rightSizingSeries(record, { name: service.name, namespace: variableRef('namespace') }, resource);
}

function usagePanel(service: EffectiveService, resource: ContainerResource): PanelPlan {
  const r = RIGHT_SIZING_RECORDS;
  const cpu = resource === 'cpu';
  const { factor } = service.rightSizing;
  return timeseries({
    key: `right-sizing/${resource}`,
    title: cpu ? 'CPU over 7 days' : 'Memory over 7 days',
    question: cpu
      ? `How many cores does the busiest pod of ${service.name} use (5m rate), and what is the 95th percentile of that over 7 days, against the request (${service.resources.requests.cpu}) and the limit (${service.resources.limits.cpu})? A request above ${num(factor)} × the p95 is over-provisioned.`
      : `How much memory does the busiest pod of ${service.name} hold (5m peak of the working set), and what are the 95th percentile and the maximum over 7 days, against the request (${service.resources.requests.memory}) and the limit (${service.resources.limits.memory})?`,
    queries: queries(
      { expr: series(r.usage, service, resource), legend: cpu ? 'busiest pod' : 'busiest pod (5m peak)' },
      { expr: series(r.p95, service, resource), legend: 'p95 (7d)' },
      ...(cpu ? [] : [{ expr: series(r.max, service, resource), legend: 'max (7d)' }]),
      { expr: series(r.requests, service, resource), legend: 'request' },
      { expr: series(r.limits, service, resource), legend: 'limit' },
    ),
    unit: cpu ? 'short' : 'bytes',
    width: 8,
    height: 8,
  });
}

/** The row, or undefined when the service's right-sizing is turned off. */
export function rightSizingRow(service: EffectiveService): RowPlan | undefined {
  if (!service.rightSizing.enabled) return undefined;
  const r = RIGHT_SIZING_RECORDS;
  const { factor, memoryNearLimitPercent } = service.rightSizing;
  return {
    title: RIGHT_SIZING_ROW,
    panels: [
      usagePanel(service, 'cpu'),
      usagePanel(service, 'memory'),
      stat({
        key: 'right-sizing/over-provisioning',
        title: 'Requests over 7-day p95',
        question: `How many times the 95th percentile of 7 days of usage does each request of ${service.name} reserve? From ${num(factor)}× on, ${RIGHT_SIZING_ALERTS.overProvisioned} fires.`,
        queries: queries({ expr: `${series(r.requests, service)}\n/ ${ON}\n${series(r.p95, service)}`, legend: '{{resource}}' }),
        unit: BURN_RATE_UNIT,
        decimals: 1,
        thresholds: badFrom(factor),
        width: 4,
        height: 8,
      }),
      stat({
        key: 'right-sizing/memory-peak',
        title: 'Memory peak over limit',
        question: `How close did the memory of ${service.name} come to its limit in 7 days? From ${percent(memoryNearLimitPercent / 100)} on, ${RIGHT_SIZING_ALERTS.memoryNearLimit} fires.`,
        queries: queries({ expr: `${series(r.max, service, 'memory')}\n/ ${ON}\n${series(r.limits, service, 'memory')}`, legend: 'max (7d) / limit' }),
        unit: 'percentunit',
        decimals: 0,
        thresholds: badFrom(memoryNearLimitPercent / 100),
        width: 4,
        height: 8,
      }),
    ],
  };
}
