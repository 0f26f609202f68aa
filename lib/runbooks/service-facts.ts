/**
 * What every page of a service says the same way: who owns it and whom to escalate to, who is
 * notified of each severity, its SLOs, its dashboard. From the definition only.
 */
import { DROP, EffectiveService, PlatformDefinition, Severity, dashboardUrl } from '../definition';
import { formatNumber } from '../promql/build';
import { mdCode, mdInline, mdLink, mdTable, mdText } from '../private/markdown';
import { deliveryWords } from './delivery';
import { budgetSeconds, humanDuration, percent } from './impact';
import { errorBudget } from '../slo/burn-rate';

/** An e-mail address, which a page links with `mailto:`. */
const EMAIL = /^[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]+$/;

/** A contact as Markdown: a `mailto:` link for an e-mail address, text otherwise. */
export function contact(text: string): string {
  return EMAIL.test(text) ? mdLink(text, `mailto:${text}`) : mdText(text);
}

/** A platform receiver in words: `payments-pager (PagerDuty)`, `payments-chat (Slack #payments-alerts)`. */
export function receiverWords(platform: PlatformDefinition, name: string | undefined): string {
  if (name === undefined || name === DROP) return 'nobody (dashboards and reports only)';
  const receiver = Object.prototype.hasOwnProperty.call(platform.receivers, name) ? platform.receivers[name] : undefined;
  const kind =
    receiver === undefined
      ? 'unknown receiver'
      : receiver.type === 'pagerduty'
        ? 'PagerDuty'
        : receiver.type === 'slack'
          ? `Slack ${receiver.channel}`
          : receiver.type === 'email'
            ? `e-mail to ${receiver.to}`
            : 'webhook';
  return `${mdCode(name)} (${mdText(kind)})`;
}

/** Who is notified of a severity, with business hours for `high`. */
export function routingWords(platform: PlatformDefinition, service: EffectiveService, severity: Severity): string {
  const routing = service.alertRouting;
  if (severity !== 'high' || routing.highOutsideBusinessHours === undefined || routing.highOutsideBusinessHours === routing.high) {
    return receiverWords(platform, routing[severity]);
  }
  const hours = platform.businessHours;
  return `${receiverWords(platform, routing.high)} in business hours (${mdText(`${hours.weekdays.join(', ')} ${hours.start}–${hours.end} ${hours.timezone}`)}), ${receiverWords(platform, routing.highOutsideBusinessHours)} otherwise`;
}

/** The contact lines of a service: owners, escalation chain (first first), chat. */
export function contactLines(service: EffectiveService): string[] {
  const { owners, escalation, chat } = service.contacts;
  return [
    `Owners: ${owners.length === 0 ? `none in the definition; the team ${mdCode(service.team)}` : owners.map(contact).join(', ')}.`,
    `Escalation, first contact first: ${escalation.length === 0 ? 'none in the definition (set `contacts.escalation`)' : escalation.map((c, i) => `${i + 1}. ${contact(c)}`).join('; ')}.`,
    ...(chat === undefined ? [] : [`Team chat: ${mdText(chat)}.`]),
  ];
}

/** A link to the service's Grafana dashboard in its environment. */
export function dashboardLink(platform: PlatformDefinition, service: EffectiveService): string {
  return mdLink(`${service.name} in ${service.environment}`, dashboardUrl(platform, service));
}

/** The SLOs of a service as a table: objective, period, budget and the outage it allows. */
export function sloTable(service: EffectiveService): string {
  if (service.slos.length === 0) return 'The service declares no SLO.';
  return mdTable(
    ['SLO', 'kind', 'objective', 'period', 'error budget', 'full outage it allows', 'what it counts'],
    service.slos.map((slo) => [mdCode(slo.name), slo.kind, `${formatNumber(slo.objective)}%`, slo.period, percent(errorBudget(slo.objective)), humanDuration(budgetSeconds(slo)), mdInline(slo.description)]),
  );
}

/** The facts table at the top of a service's pages. */
export function factsTable(platform: PlatformDefinition, service: EffectiveService, extra: readonly (readonly [string, string])[] = []): string {
  const rows: [string, string][] = [
    ['Service', `${mdCode(service.name)}, team ${mdCode(service.team)}, tier ${service.tier}${service.description === '' ? '' : `: ${mdInline(service.description)}`}`],
    ['Environment', `${mdCode(service.environment)}${service.production ? ' (production)' : ''}, namespace ${mdCode(service.namespace)}`],
    ['Image', mdCode(service.image)],
    ['Delivery', mdInline(deliveryWords(service))],
    ['Dashboard', dashboardLink(platform, service)],
    ...extra.map(([k, v]): [string, string] => [k, v]),
  ];
  return mdTable(['', ''], rows);
}
