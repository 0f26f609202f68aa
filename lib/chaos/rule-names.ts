/**
 * The SLI queries and burn-rate tiers the game-day hypotheses share with the alerts. They live
 * in the Prometheus wing; this file is the only place the chaos folder reaches them.
 */
export { ERROR_BUDGET_REMAINING_RECORD, LOW_ERROR_BUDGET_REMAINING, burnRateAlertSpecs, scopeMatchers, sliErrorRatioQuery, sliTotalRateQuery, sloErrorBudget, sloSeries } from '../prometheus/sli';
