import { serviceOutputs } from '../../lib/k8s/service-outputs';
import { environmentRunbooks, serviceRunbooks } from '../../lib/runbooks';
import { codeBlocks, html, inlineText, links } from '../support/markdown';
import { jobPlan, jobPlatform } from '../ops/fixtures';

describe('the runbook of a scheduled job alert', () => {
  const { platform, service } = jobPlatform();
  const job = jobPlan();
  const outputs = { ...serviceOutputs(platform, service), jobs: [job], jobRuleGroups: [job.ruleGroup] };
  const { files, summary } = serviceRunbooks(platform, service, outputs);
  const failed = files.find((f) => f.path === 'prod/services/orders/alerts/orders-report-job-failed.md')?.content ?? '';

  it('has a page for each alert of the job, at the path its link names', () => {
    expect(job.alerts.map((a) => a.annotations.runbook_url)).toEqual([
      'https://runbooks.example.com/prod/services/orders/alerts/orders-report-job-failed.md',
      'https://runbooks.example.com/prod/services/orders/alerts/orders-report-job-stale.md',
    ]);
    expect(summary.alerts.map((a) => a.path)).toEqual(expect.arrayContaining(['prod/services/orders/alerts/orders-report-job-failed.md', 'prod/services/orders/alerts/orders-report-job-stale.md']));
  });

  it('names the CronJob, its schedule and staleness, and shows its runs, logs and a run by hand', () => {
    expect(inlineText(failed)).toContain(`CronJob shop/orders-report: schedule 17 * * * * in UTC, at most 1h between runs; a run may start 5m late, takes at most 10m and is retried 2 times; stale after ${'1h20m'} without a success.`);
    const commands = codeBlocks(failed).filter((b) => b.info === 'sh').flatMap((b) => b.content.split('\n'));
    expect(commands).toEqual(
      expect.arrayContaining([
        'kubectl -n shop get cronjob orders-report',
        'kubectl -n shop get jobs -l app.kubernetes.io/name=orders-report --sort-by=.metadata.creationTimestamp',
        'kubectl -n shop logs job/<job>',
        'kubectl -n shop create job orders-report-manual-<date> --from=cronjob/orders-report',
      ]),
    );
    expect(commands.filter((c) => c.includes('rollout'))).toEqual([]);
    expect(codeBlocks(failed).filter((b) => b.info === 'promql').map((b) => b.content)).toContainEqual('kube_cronjob_status_last_successful_time{cronjob="orders-report", namespace="shop"}');
    expect(html(failed)).toEqual([]);
  });

  it('puts the alerts of a platform-scoped job on a page of the platform, listed in the environment index', () => {
    const cleanup = jobPlan({ name: 'preview-cleanup', owner: { kind: 'platform', environment: 'prod', namespace: 'platform-ops', team: 'platform' }, alerts: { prefix: 'PreviewCleanup', purpose: 'deletes expired previews' } });
    const env = environmentRunbooks(platform, 'prod', { jobs: [cleanup], jobRuleGroups: [cleanup.ruleGroup] }, [summary]);
    expect(env.map((f) => f.path)).toEqual(['prod/platform/alerts/preview-cleanup-job-failed.md', 'prod/platform/alerts/preview-cleanup-job-stale.md', 'prod/index.md']);
    const page = env[0].content;
    expect(inlineText(page)).toContain('The alert carries service=platform and team=platform');
    expect(codeBlocks(page).flatMap((b) => b.content.split('\n'))).toContain('kubectl -n platform-ops create job preview-cleanup-manual-<date> --from=cronjob/preview-cleanup');
    expect(links(page)).toEqual(['https://grafana.example.com/d/acme_prod?var-environment=prod', 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/', '../../index.md']);
    expect(links(env[2].content)).toEqual(expect.arrayContaining(['platform/alerts/preview-cleanup-job-failed.md', 'services/orders/index.md']));
  });
});
