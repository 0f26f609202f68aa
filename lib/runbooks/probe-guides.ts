/**
 * The guides of the alerts that watch a service from outside or through its logs: the blackbox
 * probe of its public host (`UptimeProbeFailed`), Cloud Monitoring's uptime check
 * (`UptimeCheckFailed`) and error-log policy (`ErrorLogRateHigh`), and the Loki log alerts.
 */
import { EffectiveService } from '../definition';
import { ERROR_LOG_ALERT, errorLogFilter } from '../gcp/logging';
import { UPTIME_ALERT_NAME } from '../gcp/policies';
import { serviceLogSelector } from '../logql/build';
import { equalityMatchers, selector } from '../promql/build';
import { mdCode, mdText } from '../private/markdown';
import { UPTIME_JOB, UPTIME_PROBE_ALERT, uptimeProbePlan } from '../uptime/uptime-probe-plan';
import { RunbookStep } from './delivery';
import { AlertGuide, GuideContext, promqlStep } from './guide';
import { outageMinuteLine } from './impact';

/** The URL the uptime checks GET: `https://<publicHost><path>`. */
function publicUrl(service: EffectiveService): string | undefined {
  const host = service.gcp?.publicHost;
  return host === undefined ? undefined : `https://${host}${service.uptimeCheck.path}`;
}

/** Text in single quotes for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function outageImpact(ctx: GuideContext): string[] {
  const slos = ctx.service.slos.filter((s) => s.kind !== 'custom');
  return [
    `Users outside the cluster cannot reach ${mdCode(ctx.service.name)} in ${ctx.service.environment}, whatever the pods report. Every minute of it spends, for requests that never arrive, budget the SLOs do not see: they count requests that reach the pods.`,
    ...slos.map((slo) => `If requests fail at the pods as well: ${outageMinuteLine(slo)}.`),
  ];
}

function outsideSteps(ctx: GuideContext): RunbookStep[] {
  const url = publicUrl(ctx.service);
  if (url === undefined) return [];
  const host = ctx.service.gcp?.publicHost ?? '';
  return [
    {
      title: 'Reach the host from outside the cluster.',
      detail: 'The name must resolve, TLS must verify, and the path must answer 2xx without a redirect, as the checks require.',
      code: { language: 'sh', content: [`dig +short ${host}`, `curl -sv --max-time 10 ${shellQuote(url)} -o /dev/null`, `echo | openssl s_client -connect ${host}:443 -servername ${host} 2>/dev/null | openssl x509 -noout -dates -subject`].join('\n') },
    },
    {
      title: 'Check the way in: the ingress and the certificate.',
      code: { language: 'sh', content: [`kubectl get ingress -n ${ctx.service.namespace}`, `kubectl get certificates -n ${ctx.service.namespace}`, `kubectl get endpointslices -n ${ctx.service.namespace} -l kubernetes.io/service-name=${ctx.service.name}`].join('\n') },
    },
  ];
}

const probeFailed: AlertGuide = {
  meaning: (ctx) => {
    const plan = uptimeProbePlan(ctx.platform, ctx.service);
    return `Every probe of ${mdCode(plan?.target ?? '')} by the blackbox exporter (${mdCode(plan?.blackbox.prober ?? '')}, module ${mdCode(plan?.blackbox.module ?? '')}) has failed for two periods of ${ctx.service.uptimeCheck.period}: no 2xx answer over verified TLS.`;
  },
  impact: outageImpact,
  diagnosis: (ctx) => {
    const plan = uptimeProbePlan(ctx.platform, ctx.service);
    const labels = equalityMatchers({ instance: plan?.target ?? '', job: UPTIME_JOB, namespace: ctx.service.namespace, service: ctx.service.name });
    return [
      promqlStep(
        'Read what the probe saw.',
        'Status code 0 means no answer (DNS, connection, TLS); a status means the server answered with it; the certificate expiry says whether TLS broke.',
        selector('probe_success', labels),
        selector('probe_http_status_code', labels),
        `(${selector('probe_ssl_earliest_cert_expiry', labels)} - time()) / 86400`,
      ),
      ...outsideSteps(ctx),
    ];
  },
  remediation: () => [
    {
      title: 'Tell a broken way in from a broken prober.',
      detail: `If the host answers from outside but not to the probe, check the blackbox exporter and its network policy; if it fails from outside too, fix the ingress, DNS or certificate first: the pods may be fine. Cloud Monitoring's ${mdCode(UPTIME_ALERT_NAME)} watches the same URL from Google's checkers.`,
    },
  ],
  remedies: ['rollback', 'config'],
};

const checkFailed: AlertGuide = {
  meaning: (ctx) => `Cloud Monitoring's uptime check of ${mdCode(publicUrl(ctx.service) ?? '')} fails from more than one checker region: the host is unreachable from the internet, not from one region's network.`,
  impact: outageImpact,
  diagnosis: (ctx) => [
    {
      title: 'See the check and its results by region.',
      detail: `In the Cloud console under Monitoring, Uptime checks (project ${mdCode(ctx.service.gcp?.project ?? '')}), or with gcloud. The in-cluster probe (${mdCode(UPTIME_PROBE_ALERT)}) tells whether the pods answer at all.`,
      code: { language: 'sh', content: `gcloud monitoring uptime list-configs --project=${ctx.service.gcp?.project ?? ''}` },
    },
    ...outsideSteps(ctx),
  ],
  remediation: () => [
    {
      title: 'Fix the way in before the pods.',
      detail: "Failing from Google's checkers but not from inside the cluster points at DNS, the load balancer, the certificate or a firewall that does not admit the checkers' published addresses.",
    },
  ],
  remedies: ['rollback', 'config'],
};

const errorLogs: AlertGuide = {
  meaning: (ctx) => `The containers of ${mdCode(ctx.service.name)} log entries of severity ERROR or above faster than the policy allows (Cloud Logging).`,
  impact: () => ['Error logs are a cause to look into, not a user symptom: the SLO alerts say whether users are affected.'],
  diagnosis: (ctx) => [
    {
      title: 'Read the error entries.',
      detail: 'The same query in the Logs Explorer of the project groups them by message.',
      code: { language: 'sh', content: `gcloud logging read ${shellQuote(errorLogFilter(ctx.service))} --project=${ctx.service.gcp?.project ?? ''} --freshness=1h --limit=50` },
    },
  ],
  remediation: () => [{ title: 'Fix the cause the entries name.', detail: 'A burst that began with a deploy is the deploy: roll it back.' }],
  remedies: ['rollback', 'config'],
};

/**
 * The guide of a Loki log alert (those a service declares, and `ServiceErrorLogBurst`): the
 * query as written, and the service's lines around it.
 */
export const LOG_ALERT_GUIDE: AlertGuide = {
  meaning: (ctx) => `The Loki ruler found a log query of ${mdCode(ctx.service.name)} true for as long as the alert waits: ${ctx.page.alerts.map((a) => mdText(a.annotations.summary ?? a.alert)).join('; ')}.`,
  impact: () => ['Log alerts point at causes the definition names; the SLO alerts say whether users are affected.'],
  diagnosis: (ctx) => {
    const steps: RunbookStep[] = [];
    for (const alert of ctx.page.alerts.filter((a) => a.evaluator === 'loki')) {
      steps.push({ title: `Run the query of ${alert.alert} in Grafana's Explore, on the Loki datasource.`, detail: 'Drop the comparison to see the rate it compares.', code: { language: 'logql', content: alert.expr } });
    }
    if (ctx.platform.loki !== undefined) {
      steps.push({ title: 'Read the lines around it.', code: { language: 'logql', content: serviceLogSelector(ctx.platform.loki.labels, ctx.service) } });
    }
    return steps;
  },
  remediation: () => [],
  remedies: ['rollback', 'restart', 'config'],
};

/** The guides of the outside and log alerts, by alert name. */
export const PROBE_GUIDES: Readonly<Record<string, AlertGuide>> = Object.freeze({ [UPTIME_PROBE_ALERT]: probeFailed, [UPTIME_ALERT_NAME]: checkFailed, [ERROR_LOG_ALERT]: errorLogs });
