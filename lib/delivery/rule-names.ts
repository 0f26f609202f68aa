/**
 * The SLO recording-rule names and selectors the delivery analysis shares with the alerts. They
 * live in the Prometheus wing today; this file is the only place the delivery folder reaches
 * them, so that moving them down to a shared folder changes one import.
 */
export { ERROR_BUDGET_REMAINING_RECORD, bucketMatcher, scopeMatchers, sloErrorBudget } from '../prometheus/sli';
