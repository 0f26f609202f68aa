/**
 * The readiness report as files and for terminals: Markdown (a table per service), JSON (keys
 * sorted) and plain text. The files leave out the day of the check, so they change only when a
 * status or a reason does.
 */
import { stableJson } from '../grafana/stable-json';
import { ReadinessReport, ReadinessResult, ServiceReadiness } from './types';

/** What the statuses mean, as the reports say it. */
const LEGEND = 'pass: met. warn: partly met, or not met where the tier only advises it. fail: not met; in production it stops the synthesis unless the service waives it (`readiness.waivers`).';

function summary(s: ServiceReadiness): string {
  const blocking = s.blocking > 0 ? `, ${s.blocking} blocking` : '';
  return `${s.counts.pass} pass, ${s.counts.warn} warn, ${s.counts.fail} fail${blocking}`;
}

function statusText(i: ReadinessResult): string {
  if (i.status !== 'fail' || i.waiver === undefined) return i.status;
  return i.waiver.expired ? `fail (waiver expired ${i.waiver.expires})` : `fail (waived until ${i.waiver.expires})`;
}

/** A Markdown table cell: pipes escaped, line breaks as spaces. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A Markdown code span that holds any text, backticks included. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

/** The report as Markdown: a heading and a table per service, for `readiness.md` or a pull-request comment. */
export function renderReadinessMarkdown(report: ReadinessReport): string {
  const lines = [`# Production readiness of ${report.platform}`, '', LEGEND, ''];
  if (report.services.length === 0) lines.push('No environment was checked: the platform has no production environment.', '');
  for (const s of report.services) {
    lines.push(`## ${s.service} in ${s.environment}`, '', `Tier ${s.tier}, team ${s.team}${s.production ? '' : ' (not a production environment: nothing blocks)'}: ${summary(s)}.`, '');
    lines.push('| Item | Status | Why | Field |', '| --- | --- | --- | --- |');
    for (const i of s.items) {
      const status = i.blocking ? `**${statusText(i)}**` : statusText(i);
      lines.push(`| ${code(i.item)} | ${status} | ${cell(i.reason)} | ${cell(code(i.field))} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The report as JSON with sorted keys: services by environment then name, items in checklist order. */
export function renderReadinessJson(report: ReadinessReport): string {
  return stableJson({ platform: report.platform, services: report.services });
}

/** The report for a terminal: one line per item, the field to change after each one that is not a pass. */
export function renderReadinessText(report: ReadinessReport): string {
  const lines = [`Readiness of platform ${report.platform} on ${report.today}`];
  if (report.services.length === 0) lines.push('  no environment checked: the platform has no production environment');
  const width = Math.max(0, ...report.services.flatMap((s) => s.items.map((i) => i.item.length)));
  for (const s of report.services) {
    lines.push('', `${s.environment}/${s.service} (${s.tier}, team ${s.team}): ${summary(s)}`);
    for (const i of s.items) {
      const status = (i.blocking ? 'FAIL' : i.status).padEnd(4);
      const waiver = i.status === 'fail' && i.waiver !== undefined && !i.waiver.expired ? ' [waived]' : '';
      const fix = i.status === 'pass' ? '' : ` -> ${i.field}`;
      lines.push(`  ${status}  ${i.item.padEnd(width)}  ${i.reason}${waiver}${fix}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The report's files, relative to the output folder. */
export const READINESS_FILES = Object.freeze({ markdown: 'readiness.md', json: 'readiness.json' });

/** The report as the files synthesis writes: `readiness.md` and `readiness.json`. */
export function readinessFiles(report: ReadinessReport): { readonly path: string; readonly content: string }[] {
  return [
    { path: READINESS_FILES.json, content: renderReadinessJson(report) },
    { path: READINESS_FILES.markdown, content: renderReadinessMarkdown(report) },
  ];
}
