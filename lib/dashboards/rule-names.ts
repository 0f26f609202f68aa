/**
 * The recording-rule names and SLI queries the dashboards share with the alerts. They live in
 * the Prometheus wing today; this file is the only place the dashboards reach them, so that
 * moving them down to a shared folder changes one import.
 */
export {
  BASE_WINDOW,
  ERROR_BUDGET_RECORD,
  ERROR_BUDGET_REMAINING_RECORD,
  LOW_ERROR_BUDGET_REMAINING,
  OBJECTIVE_RECORD,
  burnRateAlertSpecs,
  objectiveRatio,
  scopeMatchers,
  sliErrorRatioQuery,
  sliErrorRecord,
  sloErrorBudget,
  sloSeries,
} from '../prometheus/sli';
