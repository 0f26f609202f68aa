/**
 * The runbook of one alert of one service in one environment, after the playbook's template:
 * Trigger (the expression, threshold and `for`, in words and as written), Impact (which SLO and
 * how much budget), Diagnosis (this service's commands, queries, dashboard and recent deploys),
 * Remediation (by its delivery strategy, then the generic steps) and Escalation (its contacts
 * and who is notified). Pure: the same definition gives the same bytes.
 */
import { EffectiveService, PLATFORM_SCOPE, PlatformDefinition, SEVERITIES, Severity, fleetDashboardUrl } from '../definition';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import { formatNumber } from '../promql/build';
import { mdCode, mdCodeBlock, mdDocument, mdHeading, mdLink, mdList, mdNumberedList, mdTable, mdText } from '../private/markdown';
import { AlertEvaluator, AlertPage, RunbookAlert } from './alerts';
import { RunbookStep, configRollbackSteps, recentDeploySteps, renderStep, restartSteps, rollbackSteps, scaleSteps, stateSteps } from './delivery';
import { CommonRemedy, GuideContext } from './guide';
import { guideOf } from './guides';
import { environmentIndexPath, relativeLink, servicePagePath } from './layout';
import { jobDiagnosis, jobRemediation, jobsOf, scheduleWords } from './job-guides';
import { contactLines, dashboardLink, factsTable, receiverWords, routingWords } from './service-facts';
import { Comparison, comparisons } from './thresholds';

const EVALUATOR_NAMES: Readonly<Record<AlertEvaluator, string>> = { prometheus: 'Prometheus', loki: 'Loki ruler', 'cloud-monitoring': 'Cloud Monitoring' };

/** Labels that say which instance of an alert this is, besides the service's own. */
const INSTANCE_LABELS = ['slo', 'slo_kind', 'long_window', 'windows'];

function comparisonWords(list: readonly Comparison[]): string {
  if (list.length === 0) return 'fires for every series the expression returns';
  return list.map((c) => (c.threshold !== undefined ? mdCode(`${c.operator} ${formatNumber(c.threshold)}`) : `${mdCode(c.operator)} ${mdCode(c.against ?? '')}`)).join(' and ');
}

/** One alert's trigger: what it is, in words, its threshold and `for`, and the expression. */
function trigger(alert: RunbookAlert, index: number): string {
  const instance = INSTANCE_LABELS.filter((l) => alert.labels[l] !== undefined).map((l) => `${l} ${alert.labels[l]}`);
  const title = [`${index + 1}. ${alert.severity}`, EVALUATOR_NAMES[alert.evaluator], ...instance].join(' · ');
  const words = (alert.annotations.description ?? alert.annotations.summary ?? '').split('\n\nRunbook:')[0];
  const language = alert.evaluator === 'loki' ? 'logql' : 'promql';
  const facts =
    alert.evaluator === 'cloud-monitoring'
      ? [`Policy: ${mdText(alert.group)}, conditions combined with ${mdCode(alert.policy?.combiner ?? 'OR')}.`, `Each condition must hold for its duration (${alert.policy?.conditions.map((c) => mdCode(c.duration)).join(', ')}).`]
      : [
          `${alert.evaluator === 'loki' ? 'Loki' : 'Prometheus'} rule group ${mdCode(alert.group)}, alert ${mdCode(alert.alert)}.`,
          `Threshold: ${comparisonWords(comparisons(alert.expr, language))}.`,
          alert.for === undefined ? 'Fires as soon as the condition is true.' : `For: ${mdCode(alert.for)}: the condition must hold that long before the alert fires.`,
          ...(alert.keepFiringFor === undefined ? [] : [`Keeps firing for ${mdCode(alert.keepFiringFor)} after the condition clears, so a value hovering at the threshold does not flap.`]),
        ];
  return mdDocument([mdHeading(3, title), mdText(words), mdList(facts), mdCodeBlock(alert.expr, alert.evaluator === 'cloud-monitoring' ? 'text' : language)]).trimEnd();
}

/** The common remediation steps a guide asks for, from the service's delivery. */
function commonSteps(service: EffectiveService, remedy: CommonRemedy): RunbookStep[] {
  switch (remedy) {
    case 'rollback':
      return rollbackSteps(service);
    case 'scale':
      return scaleSteps(service);
    case 'restart':
      return restartSteps(service);
    case 'config':
      return configRollbackSteps(service);
  }
}

/** A silence of the page's alerts while someone works on them (Prometheus and Loki alerts go through Alertmanager). */
function silenceStep(serviceLabel: string, namespace: string, alerts: readonly RunbookAlert[]): RunbookStep[] {
  const names = [...new Set(alerts.filter((a) => a.evaluator !== 'cloud-monitoring').map((a) => a.alert))].sort();
  if (names.length === 0) return [];
  const alertname = names.length === 1 ? `alertname=${names[0]}` : `alertname=~"${names.join('|')}"`;
  return [
    {
      title: 'Silence the alert while you work on it, never longer.',
      detail: 'A silence names who set it and why; it ends by itself. Remove it once the incident is over.',
      code: { language: 'sh', content: `amtool silence add ${alertname} service=${serviceLabel} namespace=${namespace} --duration=2h --comment="<your name>: <incident>" --alertmanager.url=<Alertmanager URL>` },
    },
  ];
}

/** What an alert page is built from. */
export interface AlertPageContext {
  readonly platform: PlatformDefinition;
  /** The service the alerts belong to. */
  readonly service: EffectiveService;
  readonly page: AlertPage;
  /** The service's scheduled jobs, which job alerts are about. @default none */
  readonly jobs?: readonly ScheduledJobPlan[];
}

/** A relative Markdown link from a page to another, both relative to the runbook root. */
function linker(from: string): (path: string, text: string) => string {
  return (path, text) => mdLink(text, relativeLink(from, path));
}

/** The trigger section: one block per alerting rule or policy. */
function triggerSection(page: AlertPage): string[] {
  const n = page.alerts.length;
  return [mdHeading(2, 'Trigger'), n === 1 ? 'One rule fires this alert:' : `${n} rules fire this alert, each with its own severity and threshold:`, ...page.alerts.map(trigger)];
}

function severitiesOf(page: AlertPage): Severity[] {
  return SEVERITIES.filter((s) => page.alerts.some((a) => a.severity === s));
}

/**
 * The Markdown of the page of a service's alert. Links to other runbook pages are relative, so
 * the folder reads the same served at `runbookBaseUrl`, browsed in a repository, or opened from
 * disk.
 */
export function renderAlertPage({ platform, service, page, jobs = [] }: AlertPageContext): string {
  const linkTo = linker(page.path);
  const ctx: GuideContext = { platform, service, page, jobs, linkTo };
  const guide = guideOf(page);
  const severities = severitiesOf(page);
  const evaluators = [...new Set(page.alerts.map((a) => EVALUATOR_NAMES[a.evaluator]))];
  const incident = linkTo(servicePagePath(service, 'incident'), 'incident communication template');
  const postMortem = linkTo(servicePagePath(service, 'post-mortem'), 'post-mortem template');
  const diagnosis: string[] = [
    `**Open the dashboard** ${dashboardLink(platform, service)}: SLOs, traffic, errors and latency, saturation, deployments and logs of this environment, its variables set.`,
    ...guide.diagnosis(ctx).map(renderStep),
    ...(guide.workload === false ? [] : [...stateSteps(service), ...recentDeploySteps(service)].map(renderStep)),
  ];
  const remediation: string[] = [
    ...guide.remediation(ctx).map(renderStep),
    ...guide.remedies.flatMap((r) => commonSteps(service, r)).map(renderStep),
    ...silenceStep(service.name, service.namespace, page.alerts).map(renderStep),
    `**Keep people informed.** Post an update when the alert pages and at least every 30 minutes, with the ${incident}.`,
  ];
  const callers = service.callers.map((c) => linkTo(servicePagePath({ environment: service.environment, name: c.name }, 'index'), c.name));
  return mdDocument([
    mdHeading(1, `${page.names.join(' / ')}: ${service.name} in ${service.environment}`),
    guide.meaning(ctx),
    factsTable(platform, service, [
      ['Severity', severities.join(', ')],
      ['Evaluated by', mdText(evaluators.join(', '))],
    ]),
    ...triggerSection(page),
    mdHeading(2, 'Impact'),
    mdList(guide.impact(ctx)),
    mdHeading(2, 'Diagnosis'),
    mdNumberedList(diagnosis),
    mdHeading(2, 'Remediation'),
    mdNumberedList(remediation),
    mdHeading(2, 'Escalation'),
    mdList([
      ...contactLines(service),
      `Notified of this alert: ${severities.map((s) => `${s}: ${routingWords(platform, service, s)}`).join('; ')}.`,
      ...(callers.length === 0 ? [] : [`Services that call ${mdCode(service.name)} and feel it: ${callers.join(', ')}.`]),
      `Afterwards: a blameless post-mortem for every page, with the ${postMortem}.`,
    ]),
    '---',
    `${linkTo(servicePagePath(service, 'index'), `All runbooks of ${service.name} in ${service.environment}`)} · ${linkTo(environmentIndexPath(service.environment), `All services in ${service.environment}`)}. Generated from the service definition by ops-constructs: change the definition, not this page.`,
  ]);
}

/** What the page of an alert of the platform itself is built from. */
export interface PlatformAlertPageContext {
  readonly platform: PlatformDefinition;
  readonly environment: string;
  readonly page: AlertPage;
  /** The platform's scheduled jobs in the environment. @default none */
  readonly jobs?: readonly ScheduledJobPlan[];
}

/** The Markdown of the page of an alert of the platform itself (a platform-scoped job's, for instance). */
export function renderPlatformAlertPage({ platform, environment, page, jobs = [] }: PlatformAlertPageContext): string {
  const linkTo = linker(page.path);
  const severities = severitiesOf(page);
  const namespaces = [...new Set(page.alerts.map((a) => a.labels.namespace).filter((n): n is string => n !== undefined))].sort();
  const teams = [...new Set(page.alerts.map((a) => a.labels.team).filter((n): n is string => n !== undefined))].sort();
  const refs = jobsOf(page.alerts, jobs);
  const summaries = [...new Set(page.alerts.map((a) => mdText(a.annotations.summary ?? a.alert)))];
  const diagnosis = [
    `**Open the fleet dashboard** ${mdLink(`fleet of ${environment}`, fleetDashboardUrl(platform, environment))}: every service of the environment, and the alerts that fire.`,
    ...refs.flatMap(jobDiagnosis).map(renderStep),
  ];
  const remediation = [...refs.flatMap(jobRemediation).map(renderStep), ...namespaces.flatMap((ns) => silenceStep(PLATFORM_SCOPE, ns, page.alerts)).map(renderStep)];
  return mdDocument([
    mdHeading(1, `${page.names.join(' / ')}: platform ${platform.name} in ${environment}`),
    `${summaries.join(' ')} ${refs.map(scheduleWords).join(' ')}`.trim(),
    mdTable(
      ['', ''],
      [
        ['Platform', mdCode(platform.name)],
        ['Environment', mdCode(environment)],
        ['Namespace', namespaces.map(mdCode).join(', ')],
        ['Team', teams.map(mdCode).join(', ')],
        ['Severity', severities.join(', ')],
      ],
    ),
    ...triggerSection(page),
    mdHeading(2, 'Impact'),
    mdList(['The alert belongs to the platform, not to one service: no SLO counts it. A platform job keeps the environment tidy or safe; nothing fails at once while it does not run.']),
    mdHeading(2, 'Diagnosis'),
    mdNumberedList(diagnosis),
    mdHeading(2, 'Remediation'),
    remediation.length === 0 ? 'Follow the description of the alert above.' : mdNumberedList(remediation),
    mdHeading(2, 'Escalation'),
    mdList([
      `The alert carries ${mdCode(`service=${PLATFORM_SCOPE}`)} and ${teams.map((t) => mdCode(`team=${t}`)).join(', ')}; Alertmanager routes it by those labels and its namespace.`,
      `The platform's default receivers: ${severities.map((s) => `${s}: ${receiverWords(platform, platform.defaultAlertRouting[s])}`).join('; ')}.`,
    ]),
    '---',
    `${linkTo(environmentIndexPath(environment), `All services in ${environment}`)}. Generated from the platform definition by ops-constructs: change the definition, not this page.`,
  ]);
}
