/**
 * The pages of a service in one environment besides its alerts: its runbook index, the incident
 * communication template (initial, update, resolved) and the blameless post-mortem template,
 * pre-filled with its SLOs, owners, dashboards and alerts.
 */
import { EffectiveService, PlatformDefinition, SEVERITIES, dashboardUrl, fleetDashboardUrl } from '../definition';
import { mdCode, mdCodeBlock, mdDocument, mdHeading, mdLink, mdList, mdTable, mdText } from '../private/markdown';
import { ERROR_BUDGET_REMAINING_RECORD, sloSeries } from '../prometheus/sli';
import { AlertPage } from './alerts';
import { environmentIndexPath, relativeLink, servicePagePath } from './layout';
import { contactLines, dashboardLink, factsTable, routingWords, sloTable } from './service-facts';
import { sloPromise } from './impact';
import { RUNBOOK_REFERENCES } from './references';

/** What the pages of a service are built from. */
export interface ServicePagesInput {
  readonly platform: PlatformDefinition;
  readonly service: EffectiveService;
  /** The service's alert pages, sorted by path. */
  readonly pages: readonly AlertPage[];
}

function linker(from: string): (path: string, text: string) => string {
  return (path, text) => mdLink(text, relativeLink(from, path));
}

/** The alert pages as a table: alert, severities, evaluators, what it says. */
function alertTable(from: string, pages: readonly AlertPage[]): string {
  const link = linker(from);
  return mdTable(
    ['alert', 'severity', 'summary'],
    pages.map((page) => [
      link(page.path, page.names.join(' / ')),
      SEVERITIES.filter((s) => page.alerts.some((a) => a.severity === s)).join(', '),
      mdText([...new Set(page.alerts.map((a) => a.annotations.summary ?? ''))][0] ?? ''),
    ]),
  );
}

function footer(from: string, service: EffectiveService): string {
  const link = linker(from);
  return `${link(servicePagePath(service, 'index'), `All runbooks of ${service.name} in ${service.environment}`)} · ${link(environmentIndexPath(service.environment), `All services in ${service.environment}`)}. Generated from the service definition by ops-constructs: change the definition, not this page.`;
}

/** The runbook index of a service in one environment: facts, SLOs, alerts, contacts, templates. */
export function renderServiceIndex({ platform, service, pages }: ServicePagesInput): string {
  const from = servicePagePath(service, 'index');
  const link = linker(from);
  return mdDocument([
    mdHeading(1, `Runbooks of ${service.name} in ${service.environment}`),
    factsTable(platform, service),
    mdHeading(2, 'SLOs'),
    sloTable(service),
    mdHeading(2, 'Alerts'),
    pages.length === 0 ? 'The service has no alerts.' : alertTable(from, pages),
    mdHeading(2, 'Who is notified'),
    mdList(SEVERITIES.map((s) => `${s}: ${routingWords(platform, service, s)}`)),
    mdHeading(2, 'Contacts'),
    mdList(contactLines(service)),
    mdHeading(2, 'Incidents'),
    mdList([`${link(servicePagePath(service, 'incident'), 'Incident communication template')}: the initial message, updates and the resolution.`, `${link(servicePagePath(service, 'post-mortem'), 'Post-mortem template')}: blameless, pre-filled with this service's SLOs and owners.`]),
    '---',
    `${link(environmentIndexPath(service.environment), `All services in ${service.environment}`)}. Generated from the service definition by ops-constructs: change the definition, not this page.`,
  ]);
}

/** Who should hear of an incident of the service: its owners, its chat, the teams that call it. */
function audience(service: EffectiveService): string {
  const callers = service.callers.map((c) => c.name);
  const parts = [
    ...service.contacts.owners,
    ...(service.contacts.chat === undefined ? [] : [service.contacts.chat]),
    ...(callers.length === 0 ? [] : [`the owners of ${callers.join(', ')} (they call ${service.name})`]),
  ];
  return parts.length === 0 ? `team ${service.team}` : parts.join(', ');
}

/** The incident communication template: initial message, update and resolution, ready to fill in. */
export function renderIncidentTemplate({ platform, service }: ServicePagesInput): string {
  const from = servicePagePath(service, 'incident');
  const link = linker(from);
  const slos = service.slos.map((s) => `${s.name} (${s.objective}% over ${s.period})`).join(', ') || 'none declared';
  const where = `${service.name} (${service.environment})`;
  const initial = [
    `[INVESTIGATING] ${where}: <what users see, in one line>`,
    '',
    `Impact: <who is affected and how>. SLOs at risk: ${slos}.`,
    'Started: <time, UTC>. Detected by: <alert or report>.',
    'Incident lead: <name>. Communications: <name>.',
    `We are investigating. Dashboard: ${dashboardUrl(platform, service)}`,
    `Next update: <time, UTC, within 30 minutes>. Chat: ${service.contacts.chat ?? `<channel of team ${service.team}>`}`,
  ].join('\n');
  const update = [
    `[IDENTIFIED | MONITORING] ${where}: <what changed since the last update>`,
    '',
    'Impact now: <better, same, worse; who is still affected>.',
    'What we know: <cause as far as known; no blame>.',
    'What we are doing: <mitigation in progress, e.g. rolling back the last deploy>.',
    'Next update: <time, UTC>.',
  ].join('\n');
  const resolved = [
    `[RESOLVED] ${where}: <what users saw> from <start> to <end> UTC (<duration>)`,
    '',
    'Impact: <requests or users affected>; error budget spent: <from the dashboard>.',
    'Cause: <one or two sentences, no blame>.',
    'Fix: <what ended it>. Follow-up: a post-mortem by <date>.',
  ].join('\n');
  return mdDocument([
    mdHeading(1, `Incident communication: ${service.name} in ${service.environment}`),
    `Copy a block, replace every ${mdCode('<...>')}, and post it where ${mdText(audience(service))} will read it. Post the first message within 15 minutes of a page, an update at least every 30 minutes, and the resolution when the alert has resolved and the dashboard shows the SLOs recovering.`,
    factsTable(platform, service),
    mdHeading(2, 'Initial'),
    mdCodeBlock(initial, 'text'),
    mdHeading(2, 'Update'),
    mdCodeBlock(update, 'text'),
    mdHeading(2, 'Resolved'),
    mdCodeBlock(resolved, 'text'),
    mdHeading(2, 'Who to reach'),
    mdList(contactLines(service)),
    `After the incident: the ${link(servicePagePath(service, 'post-mortem'), 'post-mortem template')}.`,
    '---',
    footer(from, service),
  ]);
}

/** The blameless post-mortem template, pre-filled with the service's SLOs, owners, dashboards and alerts. */
export function renderPostMortemTemplate({ platform, service, pages }: ServicePagesInput): string {
  const from = servicePagePath(service, 'post-mortem');
  const link = linker(from);
  const fill = mdText('(fill in)');
  const budgetQueries = service.slos.map((slo) => `${slo.name}: 1 - ${sloSeries(ERROR_BUDGET_REMAINING_RECORD, service, slo)}`).join('\n');
  return mdDocument([
    mdHeading(1, `Post-mortem: ${service.name} in ${service.environment}, (date)`),
    `Blameless (${mdLink('why', RUNBOOK_REFERENCES.postmortems)}): this document is about how the system and our processes let the incident happen, never about who. Write it within five working days of the incident; the owners (${service.contacts.owners.length === 0 ? mdCode(service.team) : service.contacts.owners.map(mdText).join(', ')}) review it.`,
    mdTable(
      ['', ''],
      [
        ['Status', mdText('(draft, in review or final)')],
        ['Authors', fill],
        ['Incident lead', fill],
        ['Date and duration', mdText('(start) to (end) UTC, (duration)')],
        ['Severity of the first page', fill],
        ['Service', `${mdCode(service.name)} (team ${mdCode(service.team)}, tier ${service.tier}), namespace ${mdCode(service.namespace)}`],
        ['Dashboards', `${dashboardLink(platform, service)}, ${mdLink(`fleet of ${service.environment}`, fleetDashboardUrl(platform, service.environment))}`],
      ],
    ),
    mdHeading(2, 'Summary'),
    mdText('(two or three sentences: what happened, what users saw, how it ended)'),
    mdHeading(2, 'Impact'),
    `The SLOs of ${mdCode(service.name)} in ${service.environment}, and what the incident cost each:`,
    service.slos.length === 0
      ? 'The service declares no SLO: describe the impact in requests, users or money.'
      : mdTable(
          ['SLO', 'promise', 'budget spent by the incident', 'budget left after it'],
          service.slos.map((slo) => [mdCode(slo.name), sloPromise(slo), fill, fill]),
        ),
    service.slos.length === 0 ? undefined : `The budget spent so far is ${mdCode('1 - slo:error_budget_remaining:ratio')}: read it just before and just after the incident, on the dashboard or with:`,
    service.slos.length === 0 ? undefined : mdCodeBlock(budgetQueries, 'text'),
    mdHeading(2, 'Timeline (UTC)'),
    mdTable(
      ['time', 'event'],
      [
        [fill, mdText('(the change or event that started it)')],
        [fill, mdText('(first alert: which one, which severity)')],
        [fill, mdText('(acknowledged by)')],
        [fill, mdText('(mitigation: e.g. rollback of revision N)')],
        [fill, mdText('(SLOs recovering; alert resolved)')],
      ],
    ),
    mdHeading(2, 'Detection'),
    `Which alert fired first, and was it the right one? The alerts of the service and their runbooks:`,
    pages.length === 0 ? 'The service has no alerts.' : mdList(pages.map((p) => link(p.path, p.names.join(' / ')))),
    mdList([mdText('Did the alert fire early enough? (yes/no, why)'), mdText('Did the runbook help? What was missing or wrong? (fill in: then fix the definition or the runbook generator)')]),
    mdHeading(2, 'Causes'),
    mdList([mdText('Trigger: (what changed)'), mdText('Root causes: (why the system let the change hurt users; ask why until it is about the system)'), mdText('Contributing factors: (fill in)')]),
    mdHeading(2, 'Response and recovery'),
    mdList([mdText('What went well: (fill in)'), mdText('What went wrong: (fill in)'), mdText('Where we got lucky: (fill in)')]),
    mdHeading(2, 'Action items'),
    mdTable(
      ['action', 'kind', 'owner', 'priority', 'ticket'],
      [
        [mdText('(e.g. alert on X sooner)'), mdText('(prevent, detect or mitigate)'), fill, fill, fill],
        [mdText('(e.g. raise the memory limit in the definition)'), mdText('(prevent, detect or mitigate)'), fill, fill, fill],
      ],
    ),
    mdHeading(2, 'Who to reach'),
    mdList(contactLines(service)),
    '---',
    footer(from, service),
  ]);
}
