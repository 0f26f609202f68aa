import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ServiceDefinitionInput, defineService, definePlatform, effectiveServices } from '../../lib/definition';
import { GAME_DAY_COMPONENT, GameDayExperiment, GameDayPlan, gameDayPlans } from '../../lib/chaos';
import { platformCharts } from '../../lib/synth';
import { platform as example } from '../../apps/platform';
import { BASE_SERVICE, TEST_RECEIVERS, TEST_ROUTING } from '../fixtures/services';
import { PodIdentity, podsOf, selects } from '../support/chaos-selector';
import { KubeObject, schemaProblems } from '../support/schema';
import { CHAOS_SLOS, chaosService } from './fixtures';

function synth(plan: GameDayPlan): KubeObject {
  const chart = new Chart(Testing.app(), 'gamedays');
  new GameDayExperiment(chart, plan.objectName, { plan });
  const [object] = Testing.synth(chart) as KubeObject[];
  return object;
}

describe('gameDayPlans', () => {
  const { service } = chaosService();
  const plans = gameDayPlans(service);
  const [kill, fail, slow, lossy] = plans;

  it('plans each experiment of the service as a Chaos Mesh object named after the service', () => {
    expect(plans.map((p) => [p.objectName, p.kind, p.mode, p.value])).toEqual([
      ['orders-kill-one', 'PodChaos', 'one', undefined],
      ['orders-fail-half', 'PodChaos', 'fixed-percent', '50'],
      ['orders-slow', 'NetworkChaos', 'one', undefined],
      ['orders-lossy', 'NetworkChaos', 'one', undefined],
    ]);
    expect(kill.labels).toMatchObject({ 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/component': GAME_DAY_COMPONENT, team: 'shop' });
  });

  it('selects the workload\'s pods by its own selector, in the service\'s namespace only', () => {
    for (const p of plans) expect(p.selector).toEqual({ namespaces: ['shop'], labelSelectors: { 'app.kubernetes.io/name': 'orders' } });
  });

  it('watches the SLOs the experiment names, every SLO by default', () => {
    expect(plans.map((p) => p.hypotheses.map((h) => h.slo))).toEqual([['availability', 'latency'], ['availability', 'latency'], ['latency'], ['availability']]);
  });

  it('states the blast radius at the fewest and the most replicas, and who calls the service', () => {
    expect(kill.blastRadius).toMatchObject({ namespace: 'shop', pods: 1, replicas: 2, podsAtMax: 1, maxReplicas: 4, callers: [] });
    // Chaos Mesh rounds a share up: half of 2 is 1, half of 4 is 2.
    expect(fail.blastRadius).toMatchObject({ pods: 1, podsAtMax: 2 });
    expect(slow.blastRadius.fault).toBe('every packet the pods send, responses and their own calls, waits 200ms ± 50ms for 5m');
    const called = chaosService({ autoscaling: false, replicas: 3 });
    expect(gameDayPlans(called.service)[0].blastRadius).toEqual({ namespace: 'shop', podLabels: { 'app.kubernetes.io/name': 'orders' }, pods: 1, replicas: 3, fault: 'the pods are deleted at once; their ReplicaSet starts new ones', callers: [] });
  });

  it('writes each experiment and its runbook to the environment\'s game-day folder, outside k8s/', () => {
    expect(lossy.files).toEqual({ manifest: 'gamedays/prod/orders/lossy.k8s.yaml', runbook: 'gamedays/prod/orders/lossy.md' });
  });

  it('plans nothing for a service without experiments', () => {
    expect(gameDayPlans(chaosService({ gameDays: { lastHeld: '2025-10-14' } }).service)).toEqual([]);
  });
});

describe('GameDayExperiment', () => {
  const plans = gameDayPlans(chaosService().service);
  const objects = plans.map(synth);

  it('renders the four kinds of fault (snapshot for review)', () => {
    expect(objects).toMatchSnapshot();
  });

  it('kills once, fails and disturbs the network for the duration, delaying or dropping what the pods send', () => {
    expect(objects.map((o) => o.spec)).toEqual([
      { action: 'pod-kill', mode: 'one', selector: plans[0].selector },
      { action: 'pod-failure', mode: 'fixed-percent', value: '50', duration: '10m', selector: plans[1].selector },
      { action: 'delay', mode: 'one', direction: 'to', delay: { latency: '200ms', jitter: '50ms', correlation: '0' }, duration: '5m', selector: plans[2].selector },
      { action: 'loss', mode: 'one', direction: 'to', loss: { loss: '5', correlation: '0' }, duration: '5m', selector: plans[3].selector },
    ]);
  });

  it('is valid against the vendored Chaos Mesh CRDs', () => {
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('would be refused by the CRD without a selector, so the check can fail', () => {
    const broken = { ...objects[0], spec: { action: 'pod-kill', mode: 'one' } } as KubeObject;
    expect(schemaProblems(broken).join('\n')).toContain("must have required property 'selector'");
  });
});

describe('game-day selectors', () => {
  /** Every pod template of a platform's synthesized Kubernetes output, in its only environment. */
  function podsOfPlatform(platform: ReturnType<typeof definePlatform>): PodIdentity[] {
    return [...platformCharts(platform)].flatMap((built) => podsOf(built.chart.toJson() as KubeObject[]));
  }

  /** The pods of a service: its workload's, not its smoke Job's or anything else in its namespace. */
  const ownPods = (pods: readonly PodIdentity[], name: string, namespace: string) =>
    pods.filter((p) => p.from === `Deployment ${namespace}/${name}` || p.from === `Rollout ${namespace}/${name}`);

  const names = fc.constantFrom('orders', 'orders-api', 'ledger', 'catalog', 'cart');
  const namespaces = fc.constantFrom('shop', 'finance', 'orders');
  const deliveries = fc.constantFrom<ServiceDefinitionInput['delivery']>({ strategy: 'rolling' }, { strategy: 'canary', steps: [50, 100] }, { strategy: 'blue-green' });
  const fleets = fc.uniqueArray(fc.record({ name: names, namespace: namespaces, delivery: deliveries }), { selector: (s) => s.name, minLength: 2, maxLength: 4 });

  it('never select a pod outside the service, among services sharing namespaces, name prefixes and delivery strategies', () => {
    fc.assert(
      fc.property(fleets, (fleet) => {
        const platform = definePlatform({
          name: 'acme',
          environments: ['prod'],
          runbookBaseUrl: 'https://runbooks.example.com',
          dashboardBaseUrl: 'https://grafana.example.com',
          prometheusUrl: 'http://prometheus.monitoring:9090',
          receivers: TEST_RECEIVERS,
          defaultAlertRouting: TEST_ROUTING,
          services: fleet.map((s) => defineService({ ...BASE_SERVICE, ...s, team: 'shop', slos: CHAOS_SLOS, gameDays: { experiments: [{ kind: 'pod-kill', name: 'kill' }] } } as ServiceDefinitionInput)),
        });
        const pods = podsOfPlatform(platform);
        for (const service of effectiveServices(platform, 'prod')) {
          const own = ownPods(pods, service.name, service.namespace);
          expect(own.length).toBeGreaterThan(0);
          for (const plan of gameDayPlans(service)) {
            const selected = pods.filter((p) => selects(plan.selector, p));
            expect(selected.map((p) => p.from).sort()).toEqual(own.map((p) => p.from).sort());
          }
        }
      }),
      { numRuns: 12, seed: 20251014 },
    );
  });

  it('select only the workload\'s pods of the example, not its backup and restore CronJobs\' next to them', () => {
    const pods = podsOfPlatform(example);
    expect(pods.some((p) => p.from.startsWith('CronJob payments/checkout-db'))).toBe(true);
    for (const service of effectiveServices(example, 'prod')) {
      for (const plan of gameDayPlans(service)) {
        expect(pods.filter((p) => selects(plan.selector, p)).map((p) => p.from)).toEqual(
          pods.filter((p) => p.from === `Rollout ${service.namespace}/${service.name}` || p.from === `Deployment ${service.namespace}/${service.name}`).map((p) => p.from),
        );
      }
    }
  });

  it('would select every namespace\'s pods without the namespace, which is why it is always there', () => {
    const { service } = chaosService();
    const [plan] = gameDayPlans(service);
    const elsewhere: PodIdentity = { namespace: 'other-team', labels: { 'app.kubernetes.io/name': 'orders' }, from: 'Deployment other-team/orders' };
    expect(selects(plan.selector, elsewhere)).toBe(false);
    expect(selects({ labelSelectors: plan.selector.labelSelectors }, elsewhere)).toBe(true);
  });
});
