/**
 * What an unmet checklist item counts as, per tier: the one table lib/readiness/README.md shows
 * (a test keeps the two the same). A partly met item (e.g. requests and limits left at the
 * library's defaults, a single replica behind the disruption budget) is always a `warn`.
 */
import type { ReadinessItem, Tier } from '../definition';
import type { ReadinessStatus } from './types';

/** A status per tier, most critical first. */
export type TierStatuses = Readonly<Record<Tier, ReadinessStatus>>;

const ALWAYS_FAIL: TierStatuses = { critical: 'fail', high: 'fail', medium: 'fail', low: 'fail' };
const FAIL_UP_TO_HIGH: TierStatuses = { critical: 'fail', high: 'fail', medium: 'warn', low: 'warn' };

/**
 * The status of an unmet item per tier. `pass` means the tier does not require the item; the
 * reason still says what is missing.
 */
export const UNMET_STATUS: Readonly<Record<ReadinessItem, TierStatuses>> = Object.freeze({
  'deployment.rollback': ALWAYS_FAIL,
  'deployment.progressive-delivery': { critical: 'fail', high: 'warn', medium: 'pass', low: 'pass' },
  'deployment.migration-strategy': FAIL_UP_TO_HIGH,
  'monitoring.dashboard': ALWAYS_FAIL,
  'monitoring.latency-percentiles': FAIL_UP_TO_HIGH,
  'monitoring.tracing': { critical: 'fail', high: 'warn', medium: 'warn', low: 'warn' },
  'monitoring.service-monitor': ALWAYS_FAIL,
  'monitoring.slos': FAIL_UP_TO_HIGH,
  'alerting.symptoms': FAIL_UP_TO_HIGH,
  'alerting.alert-links': ALWAYS_FAIL,
  'alerting.escalation': FAIL_UP_TO_HIGH,
  'operations.backups': { critical: 'fail', high: 'fail', medium: 'fail', low: 'warn' },
  'operations.certificate-renewal': { critical: 'fail', high: 'fail', medium: 'fail', low: 'warn' },
  'operations.requests-limits': ALWAYS_FAIL,
  'operations.disruption-budget': FAIL_UP_TO_HIGH,
  'operations.autoscaling': { critical: 'fail', high: 'warn', medium: 'warn', low: 'pass' },
});
