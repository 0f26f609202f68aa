import { EffectiveService, defineService, definePlatform, resolveEnvironment } from '../../lib/definition';
import { serviceOutputs } from '../../lib/k8s/service-outputs';
import { isAlertingRule } from '../../lib/prometheus/rule-group';
import { burnFactor, burnThreshold } from '../../lib/slo/burn-rate';
import { RunbookFile, serviceRunbooks } from '../../lib/runbooks';
import { platform } from '../../apps/platform';
import { codeBlocks, headings, html, inlineText, links, tables } from '../support/markdown';

function runbooksOf(name: string, env = 'prod'): { service: EffectiveService; files: readonly RunbookFile[]; page: (alert: string) => string } {
  const service = resolveEnvironment(platform, name, env);
  const { files } = serviceRunbooks(platform, service, serviceOutputs(platform, service));
  const page = (file: string): string => {
    const found = files.find((f) => f.path === `${env}/services/${name}/${file}`);
    if (found === undefined) throw new Error(`no page ${file} among ${files.map((f) => f.path).join(', ')}`);
    return found.content;
  };
  return { service, files, page };
}

/** The shell lines of a page's code blocks. */
function shell(markdown: string): string[] {
  return codeBlocks(markdown)
    .filter((b) => b.info === 'sh')
    .flatMap((b) => b.content.split('\n'));
}

/** The text of a section of a page, from its `## ` heading to the next one. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section ${title}`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe('an alert runbook', () => {
  it('follows the template: trigger, impact, diagnosis, remediation and escalation, in that order, with no HTML', () => {
    const { files } = runbooksOf('checkout');
    for (const file of files.filter((f) => f.path.includes('/alerts/'))) {
      expect(headings(file.content).filter((h) => h.startsWith('2 '))).toEqual(['2 Trigger', '2 Impact', '2 Diagnosis', '2 Remediation', '2 Escalation']);
      expect(html(file.content)).toEqual([]);
    }
  });

  it('states each rule of the alert exactly: its expression as deployed, its thresholds and its for', () => {
    const { service, page } = runbooksOf('checkout');
    const outputs = serviceOutputs(platform, service);
    const rules = outputs.ruleGroups.flatMap((g) => g.rules.filter(isAlertingRule));
    for (const rule of rules) {
      const markdown = page(`alerts/${rule.alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.md`);
      const trigger = section(markdown, 'Trigger');
      expect(codeBlocks(trigger)).toContainEqual({ info: 'promql', content: rule.expr });
      if (rule.for !== undefined) expect(inlineText(trigger)).toContain(`For: ${rule.for}: the condition must hold that long`);
    }
    const burn = section(page('alerts/slo-error-budget-burn.md'), 'Trigger');
    const availability = service.slos.find((s) => s.name === 'availability')!;
    expect(inlineText(burn)).toContain(`Threshold: > ${burnThreshold(availability.burnRateTiers[0], availability.period, availability.objective)} and > ${burnThreshold(availability.burnRateTiers[0], availability.period, availability.objective)} and >= 1.`);
  });

  it('says which SLO the burn spends, how fast and when the budget runs out, from the SLO math', () => {
    const { service, page } = runbooksOf('catalog');
    const impact = inlineText(section(page('alerts/slo-error-budget-burn.md'), 'Impact'));
    const slo = service.slos.find((s) => s.name === 'availability')!;
    const factor = burnFactor(slo.burnRateTiers[0], slo.period);
    expect(slo.period).toBe('28d');
    expect(impact).toContain('availability: 99.5% of requests succeed over 28d; error budget 0.5%, about 3h 21m of full outage.');
    // 28 days at 13.44 times the sustainable rate: 672 h / 13.44 = 50 h.
    expect(impact).toContain(`critical (1h and 5m): 2% of the 28d budget spent within 1h; at the threshold (error ratio ${burnThreshold(slo.burnRateTiers[0], slo.period, slo.objective)}) that is ${factor}× the sustainable rate of availability: the whole 28d budget is gone in 2d 2h.`);
  });

  it('tells what a minute of outage costs on the page of ServiceDown', () => {
    const impact = inlineText(section(runbooksOf('checkout').page('alerts/service-down.md'), 'Impact'));
    // 99.9% over 30 days allows 43.2 minutes: one minute is 2.31% of it.
    expect(impact).toContain('a full outage spends 2.31% of the 30d budget of availability per minute');
  });

  it('diagnoses in the service namespace by its labels, with its dashboard', () => {
    const { page } = runbooksOf('checkout');
    const diagnosis = section(page('alerts/service-error-rate-high.md'), 'Diagnosis');
    expect(shell(diagnosis)).toContain('kubectl get pods -n payments -l app.kubernetes.io/name=checkout -o wide');
    expect(diagnosis).toContain('[checkout in prod](https://grafana.example.com/d/shop_prod_checkout?var-environment=prod&var-namespace=payments)');
    expect(codeBlocks(diagnosis).filter((b) => b.info === 'promql').map((b) => b.content)).toContainEqual(
      '(\n  sum by (pod) (rate(http_requests_total{job="checkout", namespace="payments", code=~"5.."}[5m]))\n  or\n  0 * sum by (pod) (rate(http_requests_total{job="checkout", namespace="payments"}[5m]))\n)\n/\nsum by (pod) (rate(http_requests_total{job="checkout", namespace="payments"}[5m]))',
    );
  });

  it('rolls back a rolling Deployment with kubectl rollout and nothing of Argo Rollouts', () => {
    const markdown = runbooksOf('notifier').page('alerts/service-crash-looping.md');
    const commands = shell(markdown);
    expect(commands).toContain('kubectl rollout history deployment/notifier -n payments');
    expect(commands).toContain('kubectl rollout undo deployment/notifier -n payments');
    expect(commands).toContain('kubectl rollout undo deployment/notifier -n payments --to-revision=<N>');
    expect(commands.filter((c) => c.includes('argo'))).toEqual([]);
  });

  it('aborts, undoes and promotes a canary with the Argo Rollouts plugin, never promoting in full', () => {
    const markdown = runbooksOf('checkout').page('alerts/slo-error-budget-burn.md');
    const remediation = shell(section(markdown, 'Remediation'));
    expect(remediation).toEqual(
      expect.arrayContaining([
        'kubectl argo rollouts abort checkout -n payments',
        'kubectl argo rollouts undo checkout -n payments',
        'kubectl argo rollouts undo checkout -n payments --to-revision=<N>',
        'kubectl argo rollouts promote checkout -n payments',
      ]),
    );
    expect(remediation.filter((c) => c.includes('--full') || c.startsWith('kubectl rollout '))).toEqual([]);
    expect(shell(section(markdown, 'Diagnosis'))).toContain('kubectl argo rollouts get rollout checkout -n payments');
    expect(inlineText(section(markdown, 'Remediation'))).toContain('One of the last 3 revisions skips the steps and analysis');
  });

  it('promotes a blue/green preview by hand in production and says the others promote by themselves', () => {
    const prod = shell(section(runbooksOf('catalog').page('alerts/service-error-rate-high.md'), 'Remediation'));
    expect(prod).toEqual(expect.arrayContaining(['kubectl argo rollouts abort catalog -n merchandising', 'kubectl port-forward -n merchandising service/catalog-preview 8080:80', 'kubectl argo rollouts promote catalog -n merchandising']));
    expect(inlineText(runbooksOf('catalog').page('alerts/service-error-rate-high.md'))).toContain('this environment promotes by hand');
    expect(inlineText(runbooksOf('catalog', 'dev').page('alerts/service-error-rate-high.md'))).toContain('this environment promotes by itself once the analysis passes');
  });

  it('scales through the autoscaler where there is one, and the replica count where there is none', () => {
    expect(shell(runbooksOf('checkout').page('alerts/service-latency-high.md'))).toContain('kubectl patch hpa checkout -n payments --type=merge -p \'{"spec":{"minReplicas":<N>}}\'');
    expect(shell(runbooksOf('checkout', 'dev').page('alerts/service-latency-high.md'))).toContain('kubectl scale rollout/checkout -n payments --replicas=<N>');
  });

  it('escalates to the owners and the chain of the definition, first contact first, and names who is notified', () => {
    const escalation = inlineText(section(runbooksOf('checkout').page('alerts/service-down.md'), 'Escalation'));
    expect(escalation).toContain('Owners: payments-team@example.com.');
    expect(escalation).toContain('Escalation, first contact first: 1. payments-oncall@example.com; 2. head-of-payments@example.com.');
    expect(escalation).toContain('Notified of this alert: critical: payments-pager (PagerDuty).');
    const dev = inlineText(section(runbooksOf('checkout', 'dev').page('alerts/service-down.md'), 'Escalation'));
    expect(dev).toContain('Notified of this alert: critical: payments-chat (Slack #payments-alerts).');
  });

  it('links the runbooks of the services it calls and of those that call it', () => {
    expect(section(runbooksOf('checkout').page('alerts/service-error-rate-high.md'), 'Remediation')).toContain('[catalog](../../catalog/index.md)');
    expect(section(runbooksOf('catalog').page('alerts/service-down.md'), 'Escalation')).toContain('[checkout](../../checkout/index.md)');
  });
});

describe('the pages of a service', () => {
  it('index every alert, the SLOs with their budgets, and the templates', () => {
    const { files, page } = runbooksOf('checkout');
    const index = page('index.md');
    const [, sloTable, alertTable] = tables(index);
    expect(sloTable.slice(1).map((row) => row.slice(0, 6))).toEqual([
      ['availability', 'availability', '99.9%', '30d', '0.1%', '43m 12s'],
      ['latency', 'latency', '99%', '30d', '1%', '7h 12m'],
    ]);
    expect(alertTable.slice(1).map((row) => row[0])).toEqual(files.filter((f) => f.path.includes('/alerts/')).map((f) => inlineText(`${headings(f.content)[0].slice(2).split(':')[0]}`)));
    expect(index).toContain('[Incident communication template](incident.md)');
    expect(index).toContain('[Post-mortem template](post-mortem.md)');
  });

  it('give an incident template of three messages pre-filled with the service, its SLOs and dashboard', () => {
    const blocks = codeBlocks(runbooksOf('checkout').page('incident.md'));
    expect(blocks.map((b) => b.content.split('\n')[0])).toEqual([
      '[INVESTIGATING] checkout (prod): <what users see, in one line>',
      '[IDENTIFIED | MONITORING] checkout (prod): <what changed since the last update>',
      '[RESOLVED] checkout (prod): <what users saw> from <start> to <end> UTC (<duration>)',
    ]);
    expect(blocks[0].content).toContain('SLOs at risk: availability (99.9% over 30d), latency (99% over 30d).');
    expect(blocks[0].content).toContain('Dashboard: https://grafana.example.com/d/shop_prod_checkout?var-environment=prod&var-namespace=payments');
    expect(blocks[0].content).toContain('Chat: #payments');
  });

  it('give a blameless post-mortem template with the SLOs, owners, dashboards and alerts of the service', () => {
    const markdown = runbooksOf('checkout').page('post-mortem.md');
    expect(headings(markdown)).toEqual(['1 Post-mortem: checkout in prod, (date)', '2 Summary', '2 Impact', '2 Timeline (UTC)', '2 Detection', '2 Causes', '2 Response and recovery', '2 Action items', '2 Who to reach']);
    expect(inlineText(markdown)).toContain('never about who');
    expect(tables(markdown)[1].slice(1).map((row) => row[0])).toEqual(['availability', 'latency']);
    expect(markdown).toContain('[fleet of prod](https://grafana.example.com/d/shop_prod?var-environment=prod)');
    expect(markdown).toContain('[SloErrorBudgetBurn](alerts/slo-error-budget-burn.md)');
  });
});

describe('text from the definition', () => {
  const hostile = definePlatform({
    name: 'shop',
    environments: ['prod'],
    runbookBaseUrl: 'https://runbooks.example.com/shop',
    dashboardBaseUrl: 'https://grafana.example.com',
    prometheusUrl: 'http://prometheus.monitoring:9090',
    receivers: { pager: { type: 'pagerduty', routingKeySecret: { name: 'pd', key: 'key' } } },
    defaultAlertRouting: { critical: 'pager', high: 'pager', medium: 'none', low: 'none' },
    loki: { datasource: 'loki' },
    services: [
      defineService({
        name: 'orders',
        description: '# Orders | <script>alert(1)</script> *bold* [link](https://evil.example.com) `tick` 1. item',
        team: 'shop',
        contacts: { owners: ['<b>ops</b> | @team'], escalation: ['oncall@example.com'], chat: '#orders *now*' },
        tier: 'high',
        image: 'registry.example.com/shop/orders:1.0.0',
        port: 8080,
        slos: [{ kind: 'availability', name: 'availability', objective: 99.9, description: '99.9% | of <i>orders</i> [succeed]' }],
        logAlerts: [{ alert: 'OrdersPanics', expr: 'sum(rate({app="orders"} |= "panic" [5m])) > 0', severity: 'high', summary: 'Orders panic | <img src=x> ![x](https://evil.example.com/x.png)' }],
      }),
    ],
  });
  const service = resolveEnvironment(hostile, 'orders', 'prod');
  const { files } = serviceRunbooks(hostile, service, serviceOutputs(hostile, service));

  it('reaches every page as the text written, never as HTML, markup or a link', () => {
    for (const file of files) {
      expect(html(file.content)).toEqual([]);
      expect(links(file.content).filter((l) => l.includes('evil'))).toEqual([]);
    }
    const index = files.find((f) => f.path.endsWith('/index.md'))!.content;
    expect(inlineText(index)).toContain('# Orders | <script>alert(1)</script> *bold* [link](https://evil.example.com) `tick` 1. item');
    expect(inlineText(index)).toContain('<b>ops</b> | @team');
    expect(tables(index)[1][1][6]).toBe('99.9% | of <i>orders</i> [succeed]');
    const logs = files.find((f) => f.path.endsWith('/orders-panics.md'))!.content;
    expect(inlineText(logs)).toContain('Orders panic | <img src=x> ![x](https://evil.example.com/x.png)');
  });
});

describe('a right-sizing runbook', () => {
  it('sizes an over-provisioned service with the rightsize command and the records the alert reads, without the workload steps', () => {
    const { page } = runbooksOf('checkout');
    const over = page('alerts/service-over-provisioned.md');
    expect(shell(section(over, 'Remediation'))[0]).toBe('npm run rightsize -- --environment prod --service checkout');
    expect(codeBlocks(section(over, 'Diagnosis')).map((b) => b.content)).toEqual(expect.arrayContaining(['service:container_resource_usage:p95_7d{namespace="payments", service="checkout"}']));
    expect(inlineText(section(over, 'Diagnosis'))).not.toContain('Check recent deploys');
    const memory = page('alerts/service-memory-near-limit.md');
    expect(inlineText(memory)).toContain('more than 90% of its memory limit (1Gi in the definition)');
    expect(shell(section(memory, 'Remediation'))).toContain('kubectl argo rollouts restart checkout -n payments');
  });
});
