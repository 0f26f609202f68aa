/**
 * Which guide a runbook page follows: the guide of its alert name, the Loki guide for a log
 * alert, or the generic guide, which every other alert (one added to `serviceOutputs` without a
 * guide of its own) gets: its summary and description, its expression, the common steps.
 */
import { mdText } from '../private/markdown';
import { AlertPage } from './alerts';
import { CERTIFICATE_GUIDES } from './certificate-guides';
import { AlertGuide, GuideContext } from './guide';
import { sloLine } from './impact';
import { JOB_GUIDE } from './job-guides';
import { LOG_ALERT_GUIDE, PROBE_GUIDES } from './probe-guides';
import { RIGHT_SIZING_GUIDES } from './right-sizing-guides';
import { SLO_GUIDES } from './slo-guides';
import { SYMPTOM_GUIDES } from './symptom-guides';

/** The guides of the alerts the library generates, by alert name. */
export const ALERT_GUIDES: Readonly<Record<string, AlertGuide>> = Object.freeze({ ...SLO_GUIDES, ...SYMPTOM_GUIDES, ...PROBE_GUIDES, ...CERTIFICATE_GUIDES, ...RIGHT_SIZING_GUIDES });

/** The guide of an alert without one of its own. */
export const GENERIC_GUIDE: AlertGuide = {
  meaning: (ctx: GuideContext) => ctx.page.alerts.map((a) => mdText(a.annotations.summary ?? a.alert)).filter((s, i, all) => all.indexOf(s) === i).join(' '),
  impact: (ctx: GuideContext) => [
    'The alert is not counted against an SLO; it points at a cause. The SLOs of the service, which say whether users are affected:',
    ...ctx.service.slos.map((slo) => `SLO ${sloLine(slo)}.`),
  ],
  diagnosis: () => [],
  remediation: () => [],
  remedies: ['rollback', 'restart', 'config'],
};

/**
 * The guide of a page: by its first alert name with a guide, else the job guide for the alerts
 * of a scheduled job (they carry `cronjob`), else Loki's for log alerts, else the generic one.
 */
export function guideOf(page: AlertPage): AlertGuide {
  for (const name of page.names) {
    const guide = Object.prototype.hasOwnProperty.call(ALERT_GUIDES, name) ? ALERT_GUIDES[name] : undefined;
    if (guide !== undefined) return guide;
  }
  if (page.alerts.every((a) => a.labels.cronjob !== undefined)) return JOB_GUIDE;
  return page.alerts.every((a) => a.evaluator === 'loki') ? LOG_ALERT_GUIDE : GENERIC_GUIDE;
}
