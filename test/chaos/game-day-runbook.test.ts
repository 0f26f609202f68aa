import { dashboardUrl, resolveEnvironment } from '../../lib/definition';
import { gameDayPlans, gameDayRunbook, gameDayFiles } from '../../lib/chaos';
import { platform as example } from '../../apps/platform';
import { chaosService } from './fixtures';

/** The text of a section, from its heading to the next of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = markdown.indexOf('\n## ', start + 4);
  return markdown.slice(start, next < 0 ? undefined : next);
}

describe('gameDayRunbook', () => {
  const { platform, service } = chaosService({ contacts: { owners: ['shop-team@example.com'], escalation: ['shop-oncall@example.com'], chat: '#shop' } });
  const plans = gameDayPlans(service);
  const [kill, fail, slow] = plans;
  const runbook = gameDayRunbook(platform, service, kill);

  it('reads as a runbook (snapshot for review)', () => {
    expect(runbook).toMatchSnapshot();
  });

  it('gives every hypothesis with the exact PromQL that holds and breaks, and every abort condition', () => {
    const hypothesis = section(runbook, 'Steady-state hypothesis');
    for (const h of kill.hypotheses) {
      expect(hypothesis).toContain(h.statement);
      expect(hypothesis).toContain(`\`\`\`promql\n${h.holds}\n\`\`\``);
      expect(hypothesis).toContain(`\`\`\`promql\n${h.breaks}\n\`\`\``);
      expect(section(runbook, 'Abort condition')).toContain(`${h.abort.statement}\n\n\`\`\`promql\n${h.abort.query}\n\`\`\``);
    }
  });

  it('states the blast radius: the one namespace, the selector, the pods hit and the fault', () => {
    expect(section(runbook, 'Blast radius')).toContain('- Namespace shop only; pods labelled `app.kubernetes.io/name=orders` (the workload\'s own selector): one pod: 1 of 2 at the fewest replicas, 1 of 4 at the autoscaler\'s maximum.');
    expect(section(gameDayRunbook(platform, service, fail), 'Blast radius')).toContain('50% of the pods, rounded up: 1 of 2 at the fewest replicas, 2 of 4 at the autoscaler\'s maximum');
    expect(section(gameDayRunbook(platform, service, slow), 'Blast radius')).toContain('Prometheus scrapes of these pods are slowed or lost too');
    const single = chaosService({ replicas: 1, autoscaling: false });
    expect(section(gameDayRunbook(single.platform, single.service, gameDayPlans(single.service)[0]), 'Blast radius')).toContain('**It hits every pod at the fewest replicas (1): the service is down for its users while it runs.**');
  });

  it('says how to start, watch and stop it in the service\'s namespace', () => {
    expect(section(runbook, 'Run')).toContain('kubectl apply -f kill-one.k8s.yaml\nkubectl describe podchaos/orders-kill-one -n shop');
    expect(section(runbook, 'Stop')).toContain('kubectl delete -f kill-one.k8s.yaml    # or: kubectl delete podchaos/orders-kill-one -n shop');
    expect(section(gameDayRunbook(platform, service, slow), 'Stop')).toContain('kubectl annotate networkchaos/orders-slow -n shop experiment.chaos-mesh.org/pause=true');
  });

  it('links the dashboard every alert links, names the contacts, and checks the budget before the start', () => {
    expect(runbook).toContain(`- Dashboard: ${dashboardUrl(platform, service)}`);
    expect(runbook).toContain('- Owners: shop-team@example.com\n- Escalation: shop-oncall@example.com\n- Chat: #shop');
    expect(section(runbook, 'Before you start')).toContain('min(slo:error_budget_remaining:ratio{service="orders", slo=~"availability|latency"})');
  });

  it('asks for what to record, ending with the date the readiness check reads', () => {
    expect(section(runbook, 'What to record')).toContain('set `gameDays.lastHeld` in the service definition');
  });

  it('warns in production that real users are affected', () => {
    expect(runbook).toContain('environment prod — **production: real users are affected**');
    const dev = resolveEnvironment(platform, 'orders', 'dev');
    const text = gameDayRunbook(platform, dev, gameDayPlans(dev)[0]);
    expect(text).toContain('# Game day: orders-kill-one (dev)');
    expect(text).not.toContain('production: real users');
  });
});

describe('gameDayFiles', () => {
  it('writes each experiment of the example and its runbook side by side, per environment, outside k8s/', () => {
    const files = gameDayFiles(example).map((f) => f.path);
    expect(files.filter((f) => f.startsWith('gamedays/prod/'))).toEqual([
      'gamedays/prod/checkout/kill-one-pod.k8s.yaml',
      'gamedays/prod/checkout/kill-one-pod.md',
      'gamedays/prod/checkout/slow-network.k8s.yaml',
      'gamedays/prod/checkout/slow-network.md',
      'gamedays/prod/notifier/kill-one-worker.k8s.yaml',
      'gamedays/prod/notifier/kill-one-worker.md',
    ]);
    expect(files.every((f) => !f.startsWith('k8s/'))).toBe(true);
  });

  it('is byte-identical run after run', () => {
    expect(gameDayFiles(example)).toEqual(gameDayFiles(example));
  });
});
