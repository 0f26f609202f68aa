import { OUTPUT_EVALUATORS, PLATFORM_OUTPUT_EVALUATORS, alertPages, serviceAlerts } from '../../lib/runbooks/alerts';
import { serviceOutputs } from '../../lib/k8s/service-outputs';
import { platformOutputs } from '../../lib/k8s/platform-outputs';
import { isAlertingRule } from '../../lib/prometheus/rule-group';
import { gcpServicePolicies } from '../../lib/gcp/service-policies';
import { resolveEnvironment } from '../../lib/definition';
import { platform } from '../../apps/platform';

describe('serviceAlerts', () => {
  const checkout = resolveEnvironment(platform, 'checkout', 'prod');
  const outputs = serviceOutputs(platform, checkout);

  it('says who evaluates every field serviceOutputs and platformOutputs build, so a new field cannot go unlisted', () => {
    expect(Object.keys(OUTPUT_EVALUATORS).sort()).toEqual(Object.keys(outputs).sort());
    expect(Object.keys(PLATFORM_OUTPUT_EVALUATORS).sort()).toEqual(Object.keys(platformOutputs(platform, 'prod')).sort());
  });

  it('lists every alerting rule of every rule group of the service, and each of its Cloud Monitoring policies', () => {
    const alerts = serviceAlerts(platform, checkout, outputs);
    const rules = [...outputs.ruleGroups, ...outputs.jobRuleGroups].flatMap((g) => g.rules.filter(isAlertingRule).map((r) => `${g.name}/${r.alert}`));
    const logs = outputs.logRuleGroups.flatMap((g) => g.rules.map((r) => `${g.name}/${r.alert}`));
    expect(alerts.filter((a) => a.evaluator === 'prometheus').map((a) => `${a.group}/${a.alert}`).sort()).toEqual(rules.sort());
    expect(alerts.filter((a) => a.evaluator === 'loki').map((a) => `${a.group}/${a.alert}`)).toEqual(logs);
    expect(alerts.filter((a) => a.evaluator === 'cloud-monitoring').map((a) => a.group)).toEqual(gcpServicePolicies(platform, checkout).map((p) => p.displayName));
    expect(alerts.every((a) => a.runbookUrl.startsWith(`${platform.runbookBaseUrl}/prod/services/checkout/alerts/`))).toBe(true);
  });

  it('puts the alerts that link the same runbook on one page, most urgent first', () => {
    const pages = alertPages(platform, serviceAlerts(platform, checkout, outputs));
    const burn = pages.find((p) => p.names.includes('SloErrorBudgetBurn'));
    expect(burn?.path).toBe('prod/services/checkout/alerts/slo-error-budget-burn.md');
    expect(burn?.alerts.map((a) => a.severity)).toEqual([...burn!.alerts.map((a) => a.severity)].sort((a, b) => ['critical', 'high', 'medium', 'low'].indexOf(a) - ['critical', 'high', 'medium', 'low'].indexOf(b)));
    expect(new Set(burn?.alerts.map((a) => a.evaluator))).toEqual(new Set(['prometheus', 'cloud-monitoring']));
    expect(pages.map((p) => p.path)).toEqual([...new Set(pages.map((p) => p.path))].sort());
  });

  it('refuses a runbook link built by hand outside the runbook base URL', () => {
    const [first] = serviceAlerts(platform, checkout, outputs);
    expect(() => alertPages(platform, [{ ...first, runbookUrl: 'https://wiki.example.com/checkout' }])).toThrow(
      `alert ${first.alert} (${first.group}) links the runbook "https://wiki.example.com/checkout", which is not under runbookBaseUrl ${platform.runbookBaseUrl}: build runbook links with runbookUrl()`,
    );
  });
});
