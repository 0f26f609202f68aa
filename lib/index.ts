/**
 * ops-constructs: one declarative definition of a service, every output needed to run it.
 *
 * The front door: the definition, the constructs, the plan and render entry points of each
 * output, and the value types they exchange. Internals stay inside their folder or in
 * `lib/private`; a test can reach them by path, a platform repository should not need to.
 */

// The definition: write, check, resolve.
export {
  DefinitionError,
  formatIssue,
  defineService,
  definePlatform,
  resolveEnvironment,
  effectiveServices,
  applyOverride,
  isDefinedService,
  isDefinedPlatform,
  loadPlatform,
  parsePlatform,
  platformJsonSchema,
  serviceJsonSchema,
  JSON_SCHEMA_FILES,
  parseImage,
  runbookUrl,
  runbookPath,
  serviceRunbooksUrl,
  platformRunbookUrl,
  platformAlertLinks,
  dashboardUrl,
  fleetDashboardUrl,
  dashboardUid,
  fleetDashboardUid,
  DROP,
  ROUTING_KEYS,
  SEVERITIES,
  SLO_PERIODS,
  TIERS,
  OVERRIDABLE_FIELDS,
  SERVICE_DEFAULTS,
  PLATFORM_DEFAULTS,
  PROMETHEUS_RULES_OUTPUTS,
  RESOURCES_DEFAULTS,
  PROBE_DEFAULTS,
  METRICS_DEFAULTS,
  AUTOSCALING_DEFAULTS,
  DELIVERY_DEFAULTS,
  SLO_DEFAULTS,
  GCP_DEFAULTS,
  BUSINESS_HOURS_DEFAULTS,
  NETWORK_DEFAULTS,
  OBSERVABILITY_DEFAULTS,
  UPTIME_CHECK_PERIODS,
} from './definition';
export type {
  DefinitionIssue,
  DashboardsInput,
  Dashboards,
  LokiInput,
  Loki,
  UptimeCheckInput,
  UptimeCheck,
  UptimeCheckPeriod,
  LogAlertInput,
  LogAlert,
  ServiceDefinitionInput,
  ServiceDefinition,
  ServiceOverride,
  ContactsInput,
  Contacts,
  PlatformDefinitionInput,
  PrometheusRulesOutput,
  PlatformFileInput,
  PlatformDefinition,
  EnvironmentInput,
  Environment,
  EffectiveService,
  ServiceReference,
  ServiceEndpoint,
  Tier,
  Severity,
  SloPeriod,
  SloInput,
  AvailabilitySloInput,
  LatencySloInput,
  CustomSloInput,
  Slo,
  AvailabilitySlo,
  LatencySlo,
  CustomSlo,
  BurnRateTierInput,
  BurnRateTier,
  ResourcesInput,
  Resources,
  ResourceQuantities,
  ProbeInput,
  Probe,
  HealthInput,
  Health,
  MetricsInput,
  Metrics,
  AutoscalingInput,
  Autoscaling,
  DeliveryInput,
  RollingDeliveryInput,
  CanaryDeliveryInput,
  BlueGreenDeliveryInput,
  Delivery,
  GcpInput,
  Gcp,
  EgressRuleInput,
  EgressRule,
  ReceiverInput,
  PagerDutyReceiver,
  SlackReceiver,
  WebhookReceiver,
  EmailReceiver,
  SecretKeyRef,
  AlertRoutingInput,
  RoutingKey,
  BusinessHoursInput,
  BusinessHours,
  ImageReference,
} from './definition';

// SLO math.
export { DEFAULT_BURN_RATE_TIERS, burnFactor, burnThreshold, errorBudget, burnHoldSeconds } from './slo';

// PromQL.
export { PromqlError, assertPromql, promqlErrors } from './promql';

// Prometheus rules: plan, render, construct.
export { serviceRuleGroups, renderRuleFile, serviceRuleTests, renderRuleTests, isAlertingRule, SloAlertPolicy } from './prometheus';
export type { RuleGroup, Rule, AlertingRule, RecordingRule, RuleTestFile, SloAlertPolicyProps } from './prometheus';

// Alertmanager routing: plan, renderers, construct.
export { routingPlan, planOf, alertmanagerConfig, renderAlertmanagerYaml, alertmanagerConfigSpec, AlertRouting, SEVERITY_TIMING, ROOT_TIMING } from './alertmanager';
export type { RoutingPlan, SeverityRoute, ServiceRouting, AlertmanagerConfigFile, AlertRoutingProps } from './alertmanager';

// Uptime from outside: the blackbox Probe of a public host and its alert.
export { UptimeProbe, uptimeProbePlan, uptimeRuleGroups, probeProps, blackboxSettings, blackboxConfig, renderBlackboxConfig, UPTIME_PROBE_ALERT, BLACKBOX_DEFAULTS } from './uptime';
export type { UptimeProbeProps, UptimeProbePlan, UptimeRuleGroup, Blackbox, BlackboxInput } from './uptime';

// Loki rules: log alerts for the Loki ruler.
export { serviceLogRuleGroups, renderLokiRuleFile, LokiRules, errorLogBurstAlert, lokiRuleGroupIssues, ERROR_LOG_BURST_ALERT } from './loki';
export type { LokiRuleGroup, LokiAlertingRule, LokiRulesProps, ErrorLogBurstOptions } from './loki';

// LogQL.
export { parseLogql, serviceLogSelector, errorLogRate, ERROR_LINE_FILTER } from './logql';

// Dashboards: the panel plan, rendered for Grafana (and read by the Cloud Monitoring twin).
export { serviceDashboardPlan, fleetDashboardPlan, extendPlan, SERVICE_ROWS, STANDARD_METRICS, TRACK_LABEL } from './dashboards';
export type { DashboardPlan, PanelPlan, RowPlan, PanelQuery, DashboardHook, DashboardExtension } from './dashboards';
export { renderServiceDashboard, renderFleetDashboard, renderDashboard, ServiceDashboard, FleetDashboard, DashboardConfigMap, serviceDashboardFile, fleetDashboardFile, CONFIG_MAP_LIMIT_BYTES } from './grafana';
export type { ServiceDashboardProps, FleetDashboardProps, DashboardConfigMapProps } from './grafana';

// Kubernetes constructs.
export { MonitoredService, MONITORED_SERVICE_DEFAULTS, DISRUPTION_BUDGET_DEFAULTS, DNS_DEFAULTS, ServiceChart, NamespaceChart, serviceOutputs, CanaryDeployment, CANARY_DEPLOYMENT_DEFAULTS, ROLLOUT_ANNOTATIONS } from './k8s';
export type { MonitoredServiceProps, ServiceChartProps, NamespaceChartProps, DisruptionBudgetOptions, DnsEndpoint, ServiceOutputs, CanaryDeploymentProps, RolloutServiceNames } from './k8s';

// Routine operations: scheduled jobs with safe defaults and their own alerts.
export { ScheduledJob, ServiceOperations, CertRenewalJob, certificateProps, certificateCheckPlan, scheduledJobPlan, serviceJobPlans, platformJobPlans, longestGapSeconds, jobRuleTests, JOB_RESOURCES, JOB_ALERT_DEFAULTS, CERTIFICATE_ALERTS, CERT_CHECK_IMAGE } from './ops';
export type { ScheduledJobProps, ServiceOperationsProps, CertRenewalJobProps, ScheduledJobPlan, ScheduledJobPlanInput, JobOwner, JobPermissions, JobPermission, JobEgress, JobAlertsInput } from './ops';
export { PreviewEnvironment, CleanupCronJob, cleanupJobPlan, cleanupAdmissionPolicy, previewSettings, CLEANUP_IMAGE, CLEANUP_JOB, CLEANUP_RESOURCES } from './ops';
export type { PreviewEnvironmentProps, CleanupCronJobProps, CleanupAdmissionInput } from './ops';
export { JOB_DEFAULTS, MAX_CRONJOB_NAME, CERTIFICATE_DEFAULTS, normalizeJobSchedule, jobScheduleIssues } from './definition';
export type { JobScheduleInput, JobSchedule, CertificateInput, CertificateIssuerInput, CertificateVerificationInput, Certificate } from './definition';
export { platformOutputs } from './k8s';
export type { PlatformOutputs } from './k8s';

// Game days: Chaos Mesh experiments with steady-state hypotheses from the SLOs, and their runbooks.
export { GameDayExperiment, gameDayPlans, gameDayRunbook, gameDayFiles, steadyStateHypotheses, GAME_DAY_COMPONENT } from './chaos';
export type { GameDayExperimentProps, GameDayPlan, BlastRadius, SteadyStateHypothesis, AbortCondition, GameDayFile } from './chaos';
export { GAME_DAYS_DEFAULTS, GITOPS_DEFAULTS, ANALYSIS_DEFAULTS, gitopsTarget } from './definition';
export type { GameDaysInput, GameDayExperimentInput, GameDays, GameDayExperiment as GameDayExperimentDefinition, GitOpsInput, GitOps, GitOpsTarget, DeliveryAnalysisInput, SmokeTrafficInput } from './definition';

// GitOps hand-off: Argo CD Applications and AppProjects.
export { ArgoCdApplication, ArgoCdAppProject, gitopsPlan, gitopsFiles, APPLICATION_SYNC_OPTIONS } from './gitops';
export type { ArgoCdApplicationProps, ArgoCdAppProjectProps, GitOpsPlan, ApplicationPlan, AppProjectPlan, GitOpsFile } from './gitops';

// Google Cloud constructs.
export {
  gcpMonitoringPlan,
  gcpServiceDashboard,
  gcpErrorLogPlan,
  gcpLogBuckets,
  GCP_SEVERITY,
  ERROR_LOG_ALERT,
  ERROR_LOG_DEFAULTS,
  GcpServiceMonitoring,
  GcpServiceDashboard,
  GcpServiceLogs,
  GcpLogBuckets,
  GcpServiceCertificates,
  gcpCertificatePlan,
  GcpNotificationChannels,
  GcpPlatformStack,
  GcpPlatformApp,
  gcpStackName,
} from './gcp';
export type {
  GcpMonitoringPlan,
  GcpAlertPolicy,
  GcpCondition,
  GcpSlo,
  GcpUptimeCheck,
  GcpErrorLogPlan,
  GcpLogBucket,
  GcpDashboardPanel,
  GcpServiceMonitoringProps,
  GcpServiceDashboardProps,
  GcpServiceLogsProps,
  GcpLogBucketsProps,
  GcpPlatformStackProps,
  GcpPlatformAppProps,
} from './gcp';

// Runbooks: a Markdown page per alert, each service's index and templates, the indexes.
export { platformRunbooks, serviceRunbooks, environmentRunbooks, platformIndex, RUNBOOKS_FOLDER } from './runbooks';
export type { RunbookFile, ServiceRunbooks, ServiceRunbookSummary } from './runbooks';

// Right-sizing: the service's rules and their tests, and the rightsize command.
export { RIGHT_SIZING_DEFAULTS } from './definition';
export type { RightSizingInput, RightSizing } from './definition';
export { rightSizingRuleGroup, rightSizingRuleTests, RIGHT_SIZING_ALERTS, RIGHT_SIZING_RECORDS } from './prometheus';
export { rightsize, readRightSizing, suggestResources, renderSuggestion, PrometheusQueryError, RIGHTSIZE_DEFAULTS, RIGHTSIZE_FORMATS } from './ops';
export type { RightsizeOptions, RightsizeResult, RightsizeFormat, RightSizingSuggestion, RightSizingReadings } from './ops';

// Production readiness: the checklist over what was synthesized, waivers, reports.
export { READINESS_CATEGORIES, READINESS_CHECKLIST, READINESS_ITEMS, READINESS_DEFAULTS } from './definition';
export type { ReadinessCategory, ReadinessItem, ReadinessInput, ReadinessWaiverInput, Readiness, ReadinessWaiver } from './definition';
export {
  readinessReport,
  serviceReadiness,
  serviceBuild,
  readinessIssues,
  assertReady,
  renderReadinessMarkdown,
  renderReadinessJson,
  renderReadinessText,
  readinessFiles,
  ReadinessCollector,
  READINESS_FILES,
  READINESS_STATUSES,
  UNMET_STATUS,
} from './readiness';
export type { ReadinessReport, ServiceReadiness, ReadinessResult, ReadinessStatus, ReadinessOptions, ReadinessReportOptions, ServiceBuild, KubeObjectJson, AppliedWaiver } from './readiness';

// Synthesis: every output of a platform, written to files.
export { synthesizePlatform, parseShard, shardOf, inShard, parseJobs, MAX_JOBS, SynthCache, DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, ALL_SIDES, platformCharts, buildPlatformCharts, selectEnvironments, renderChart, writeChart, writePlatformCharts, writeOutputFiles } from './synth';
export type { Shard, SynthSummary, SynthesizePlatformOptions, SynthProgress, OutputSide, OutputFile, PlatformChart } from './synth';

// Review and checks of a synthesized output (what `ops-constructs diff` and `validate` run).
export { diffOutputs, renderDiffText, renderDiffMarkdown, readOutputFiles, outputObjects, HIGHLIGHT_TOPICS } from './diff';
export type { OutputDiff, ObjectChange, Highlight, HighlightTopic, OutputObject, OutputFileText, RenderDiffOptions } from './diff';
export { validateOutput, schemaProblems, crdProblems, CHECKS } from './validate';
export type { CheckResult, CheckName, CheckStatus, ValidateOutputOptions, KubeObject } from './validate';
