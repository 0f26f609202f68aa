import { resolveEnvironment } from '../../lib/definition';
import { serviceOutputs } from '../../lib/k8s/service-outputs';
import { platformRunbooks, serviceRunbooks } from '../../lib/runbooks';
import { platform } from '../../apps/platform';
import { codeBlocks } from '../support/markdown';
import { backfilledPrometheus } from '../support/backfilled-prometheus';
import { counterSeries } from '../support/openmetrics';
import { describeWithTool } from '../support/tools';

const WAIT_MS = 60_000;
const SCRAPE = 15;

/** The PromQL blocks of a page. */
function promqlOf(markdown: string): string[] {
  return codeBlocks(markdown)
    .filter((b) => b.info === 'promql')
    .map((b) => b.content);
}

describeWithTool('prometheus', 'the queries of the runbooks in a real Prometheus', () => {
  let now = 0;
  const checkout = resolveEnvironment(platform, 'checkout', 'prod');

  const prometheus = backfilledPrometheus(
    'runbook-queries',
    () => {
      now = Math.floor(Date.now() / 1000 / SCRAPE) * SCRAPE;
      const times = Array.from({ length: 61 }, (_, i) => now - 900 + i * SCRAPE);
      const labels = (pod: string, code: string): Record<string, string> => ({ job: 'checkout', namespace: 'payments', pod, code, rollouts_pod_template_hash: pod === 'checkout-new-1' ? 'new' : 'stable' });
      // A new revision failing one request in ten next to a healthy stable pod.
      const series = [
        counterSeries('http_requests_total', labels('checkout-old-1', '200'), 10, times, 3600),
        counterSeries('http_requests_total', labels('checkout-new-1', '200'), 9, times, 3600),
        counterSeries('http_requests_total', labels('checkout-new-1', '503'), 1, times, 3600),
      ];
      return {
        series,
        configYaml: 'global:\n  evaluation_interval: 1m\n',
        readyWhen: { what: 'the backfilled request series', expr: 'count(last_over_time(http_requests_total[1h])) > 0' },
      };
    },
    WAIT_MS,
  );

  it('accepts every PromQL query of every runbook of the example platform', async () => {
    const queries = [...new Set(platformRunbooks(platform).flatMap((f) => promqlOf(f.content)))].sort();
    expect(queries.length).toBeGreaterThan(50);
    const refused: string[] = [];
    for (const query of queries) {
      try {
        await prometheus.query(query, now);
      } catch (error) {
        refused.push(`${query}: ${(error as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('finds the failing pod and the failing revision with the diagnosis of ServiceErrorRateHigh and SloErrorBudgetBurn', async () => {
    const { files } = serviceRunbooks(platform, checkout, serviceOutputs(platform, checkout));
    const page = (alert: string): string => files.find((f) => f.path === `prod/services/checkout/alerts/${alert}.md`)?.content ?? '';
    const byPod = promqlOf(page('service-error-rate-high')).find((q) => q.includes('sum by (pod) (rate(http_requests_total'));
    const byRevision = promqlOf(page('slo-error-budget-burn')).find((q) => q.includes('sum by (rollouts_pod_template_hash) (rate(http_requests_total'));
    const ratios = async (query: string | undefined, label: string): Promise<Record<string, number>> =>
      Object.fromEntries((await prometheus.vector(query ?? '', now)).map((s) => [s.metric[label], Number(Number(s.value[1]).toFixed(3))]));
    expect(await ratios(byPod, 'pod')).toEqual({ 'checkout-new-1': 0.1, 'checkout-old-1': 0 });
    expect(await ratios(byRevision, 'rollouts_pod_template_hash')).toEqual({ new: 0.1, stable: 0 });
  });
});
