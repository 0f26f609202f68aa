import { writeFileSync } from 'fs';
import { join } from 'path';
import { JOB_ALERT_DEFAULTS, jobAlertExpressions, jobRuleTests } from '../../lib/ops';
import { renderRuleFile, renderRuleTests, RuleTestFile } from '../../lib/prometheus';
import { promqlErrors } from '../../lib/promql';
import { jobRuleFiles } from '../../lib/synth/job-rules';
import { describeWithTool, runTool, scratchDir } from '../support/tools';
import { jobPlan } from './fixtures';

describe('the alerts of a scheduled job', () => {
  it('waits for the longest gap of the schedule, the starting and active deadlines and a margin before calling it stale', () => {
    const plan = jobPlan({}, { schedule: '0 3 * * 1-5', startingDeadline: '2m', activeDeadline: '20m' });
    expect(plan.longestGapSeconds).toBe(3 * 86_400);
    expect(plan.staleAfterSeconds).toBe(3 * 86_400 + 120 + 1200 + 300);
    expect(JOB_ALERT_DEFAULTS.staleMarginSeconds).toBe(300);
    expect(plan.alerts[1].expr).toContain(`> ${plan.staleAfterSeconds}`);
    expect(plan.alerts[1].annotations.summary).toBe('orders-report: no successful run for 3d27m');
  });

  it('pages at high when a run failed and tickets at medium when runs stop succeeding, unless the job says otherwise', () => {
    expect(jobPlan().alerts.map((a) => [a.alert, a.labels.severity])).toEqual([
      ['OrdersReportJobFailed', 'high'],
      ['OrdersReportJobStale', 'medium'],
    ]);
    const loud = jobPlan({ alerts: { prefix: 'OrdersReport', purpose: 'mails reports', failedSeverity: 'critical', staleSeverity: 'high' } });
    expect(loud.alerts.map((a) => a.labels.severity)).toEqual(['critical', 'high']);
  });

  it('carries the service labels, the CronJob, and the runbook, dashboard and owners of the service', () => {
    const [failed] = jobPlan().alerts;
    expect(failed.labels).toEqual({ namespace: 'shop', service: 'orders', severity: 'high', team: 'shop', cronjob: 'orders-report' });
    expect(failed.annotations).toEqual({
      summary: 'orders-report: the last run failed',
      description:
        'The newest run of CronJob shop/orders-report, which mails the daily order report, failed (3 attempts, at most 10m each run), and no run has succeeded since. Its log says why: kubectl -n shop logs job/<the failed Job> (kubectl -n shop get jobs -l app.kubernetes.io/name=orders-report).',
      runbook_url: 'https://runbooks.example.com/prod/services/orders/alerts/orders-report-job-failed.md',
      dashboard_url: 'https://grafana.example.com/d/acme_prod_orders?var-environment=prod&var-namespace=shop',
      owners: 'shop@example.com',
    });
  });

  it('selects the CronJob\'s own Jobs by name and namespace, and parses as PromQL', () => {
    const expr = jobAlertExpressions({ name: 'orders-report', namespace: 'shop', staleAfterSeconds: 4200 });
    expect(expr.failed).toContain('kube_job_status_failed{namespace="shop", job_name=~"orders-report-[0-9]+"} > 0');
    expect(expr.stale).toContain('kube_cronjob_status_last_successful_time{cronjob="orders-report", namespace="shop"}');
    expect(promqlErrors(expr.failed)).toEqual([]);
    expect(promqlErrors(expr.stale)).toEqual([]);
  });

  it('writes no rule file for no job', () => {
    expect(jobRuleFiles('prometheus/prod/jobs/orders', [])).toEqual([]);
  });
});

describeWithTool('promtool', 'the alerts of scheduled jobs under promtool', () => {
  const dir = scratchDir('job-alerts');
  const plans = [jobPlan(), jobPlan({ name: 'orders-archive', alerts: { prefix: 'OrdersArchive', purpose: 'archives orders' } }, { schedule: '0 0 29 2 *' })];

  const write = (base: string, tests: RuleTestFile): void => {
    writeFileSync(join(dir(), `${base}.rules.yaml`), renderRuleFile(plans.map((p) => p.ruleGroup)));
    writeFileSync(join(dir(), `${base}.test.yaml`), renderRuleTests(tests));
  };

  it('passes promtool check rules and test rules: each alert fires where it must and not elsewhere', () => {
    for (const file of jobRuleFiles('jobs', plans)) writeFileSync(join(dir(), file.path), file.content);
    const check = runTool('promtool', ['check', 'rules', 'jobs.rules.yaml'], dir());
    expect(check.output).toContain('SUCCESS: 4 rules found');
    const test = runTool('promtool', ['test', 'rules', 'jobs.test.yaml'], dir());
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('covers firing and silence of both alerts for every job', () => {
    const file = jobRuleTests(plans, 'jobs.rules.yaml');
    expect(file.tests).toHaveLength(18);
    for (const alert of plans.flatMap((p) => p.alerts.map((a) => a.alert))) {
      const checks = file.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.alertname === alert));
      expect(checks.some((c) => c.exp_alerts.length > 0)).toBe(true);
      expect(checks.some((c) => c.exp_alerts.length === 0)).toBe(true);
    }
  });

  it('fails when a test expects silence where a failed run fires', () => {
    const file = jobRuleTests(plans, 'mutated.rules.yaml');
    const mutated = { ...file, tests: file.tests.map((t) => ({ ...t, alert_rule_test: t.alert_rule_test.map((a) => ({ ...a, exp_alerts: [] })) })) };
    write('mutated', mutated);
    const result = runTool('promtool', ['test', 'rules', 'mutated.test.yaml'], dir());
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('alertname: OrdersReportJobFailed');
    expect(result.output).toContain('alertname: OrdersReportJobStale');
  });
});
