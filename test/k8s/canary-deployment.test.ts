import { App, Chart, Testing } from 'cdk8s';
import { Rollout as RolloutModel } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { AnalysisTemplate as AnalysisTemplateModel } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { DeliveryInput, DefinitionError, ServiceDefinitionInput } from '../../lib/definition';
import {
  CANARY_DEPLOYMENT_DEFAULTS,
  CanaryDeployment,
  MonitoredService,
  ROLLOUT_ANNOTATIONS,
  ownServicePorts,
  pauseDuration,
  rolloutServiceNames,
  trafficRoutingSpec,
} from '../../lib/k8s';
import { KubeObject, schemaProblems } from '../support/schema';
import { PlatformService, hasKind, onlyOfKind, platformService, synthMonitoredService } from '../fixtures/k8s-services';

const SLOS: ServiceDefinitionInput['slos'] = [
  { kind: 'availability', name: 'availability', objective: 99.9 },
  { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 },
];
const NGINX = { nginx: { stableIngress: 'orders' } } as const;

interface Ref {
  templates: { templateName: string }[];
  args: { name: string; valueFrom: { podTemplateHashValue: string } }[];
}
interface RolloutSpec {
  replicas?: number;
  selector: { matchLabels: Record<string, string> };
  progressDeadlineAbort: boolean;
  progressDeadlineSeconds: number;
  rollbackWindow?: { revisions: number };
  template: { metadata: { labels: Record<string, string> }; spec: { topologySpreadConstraints: { matchLabelKeys: string[] }[] } & Record<string, unknown> };
  strategy: {
    canary?: {
      analysis: Ref & { startingStep: number };
      steps: ({ setWeight: number } | { pause: { duration: string } } | { analysis: Ref })[];
      stableService?: string;
      canaryService?: string;
      trafficRouting?: Record<string, unknown>;
      stableMetadata: unknown;
      canaryMetadata: unknown;
      maxSurge: string;
      maxUnavailable: number;
    };
    blueGreen?: {
      activeService: string;
      previewService: string;
      autoPromotionEnabled: boolean;
      scaleDownDelaySeconds: number;
      prePromotionAnalysis: Ref;
      postPromotionAnalysis: Ref;
      activeMetadata: unknown;
      previewMetadata: unknown;
    };
  };
}
interface ServiceSpec {
  selector: Record<string, string>;
  ports: { name: string; port: number }[];
}

function target(delivery: DeliveryInput, changes: Partial<ServiceDefinitionInput> = {}, environment = 'prod'): PlatformService {
  return platformService({ slos: SLOS, ...changes, delivery }, environment);
}

function synth(delivery: DeliveryInput, changes: Partial<ServiceDefinitionInput> = {}, environment = 'prod'): KubeObject[] {
  return synthMonitoredService(target(delivery, changes, environment));
}

const rollout = (objects: readonly KubeObject[]) => onlyOfKind<RolloutSpec>(objects, 'Rollout');
const service = (objects: readonly KubeObject[], name: string) => {
  const found = objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
  if (found === undefined) throw new Error(`no Service ${name}`);
  return found as KubeObject & { spec: ServiceSpec };
};
const serviceNames = (objects: readonly KubeObject[]) => objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort();
const HASH_ARGS = [
  { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
  { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
];

describe('CanaryDeployment, canary', () => {
  const objects = synth({ strategy: 'canary', trafficRouting: NGINX, stepDuration: '10m' });
  const spec = rollout(objects).spec;

  it('replaces the Deployment with a Rollout of the same name and pod selector', () => {
    expect(hasKind(objects, 'Deployment')).toBe(false);
    expect(rollout(objects).metadata.name).toBe('orders');
    expect(rollout(objects).metadata.namespace).toBe('shop');
    expect(spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
    expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
  });

  it('checks the error budget first, then sets each weight and pauses after it', () => {
    expect(spec.strategy.canary?.steps).toEqual([
      { analysis: { templates: [{ templateName: 'orders-budget-freeze' }], args: HASH_ARGS } },
      { setWeight: 1 },
      { pause: { duration: '10m' } },
      { setWeight: 5 },
      { pause: { duration: '10m' } },
      { setWeight: 10 },
      { pause: { duration: '10m' } },
      { setWeight: 25 },
      { pause: { duration: '10m' } },
      { setWeight: 50 },
      { pause: { duration: '10m' } },
      { setWeight: 100 },
      { pause: { duration: '10m' } },
    ]);
  });

  it('runs the SLO analysis in the background from the first traffic shift, with the canary and stable hashes', () => {
    expect(spec.strategy.canary?.analysis).toEqual({ templates: [{ templateName: 'orders-canary' }], args: HASH_ARGS, startingStep: 1 });
    const templates = objects.filter((o) => o.kind === 'AnalysisTemplate').map((o) => o.metadata.name).sort();
    expect(templates).toEqual(['orders-budget-freeze', 'orders-canary']);
  });

  it('aborts a rollout that stops progressing and keeps three revisions in the rollback window', () => {
    expect(spec.progressDeadlineAbort).toBe(true);
    expect(spec.progressDeadlineSeconds).toBe(CANARY_DEPLOYMENT_DEFAULTS.progressDeadlineSeconds);
    expect(spec.rollbackWindow).toEqual({ revisions: 3 });
  });

  it('has no rollback window when the definition sets it to 0', () => {
    expect(rollout(synth({ strategy: 'canary', trafficRouting: NGINX, rollbackWindow: 0 })).spec).not.toHaveProperty('rollbackWindow');
  });

  it('adds stable and canary Services on the HTTP port only, and keeps the service\'s own Service over every pod', () => {
    expect(serviceNames(objects)).toEqual(['orders', 'orders-canary', 'orders-stable']);
    for (const name of ['orders-stable', 'orders-canary']) {
      expect(service(objects, name).spec.ports.map((p) => p.name)).toEqual(['http']);
      expect(service(objects, name).spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders' });
    }
    expect(service(objects, 'orders').spec.ports.map((p) => p.name)).toEqual(['http', 'metrics']);
    expect(spec.strategy.canary).toMatchObject({ stableService: 'orders-stable', canaryService: 'orders-canary' });
  });

  it('serves the traffic Services on port 80 by default, and on the MonitoredService\'s servicePort', () => {
    expect(service(objects, 'orders-canary').spec.ports[0].port).toBe(CANARY_DEPLOYMENT_DEFAULTS.servicePort);
    const custom = synthMonitoredService(target({ strategy: 'canary', trafficRouting: NGINX }), { servicePort: 8081 });
    expect([service(custom, 'orders-stable').spec.ports[0].port, service(custom, 'orders-canary').spec.ports[0].port, service(custom, 'orders').spec.ports[0].port]).toEqual([8081, 8081, 8081]);
  });

  it('labels the canary and stable pods with their track and surges without losing capacity', () => {
    expect(spec.strategy.canary).toMatchObject({ stableMetadata: { labels: { track: 'stable' } }, canaryMetadata: { labels: { track: 'canary' } }, maxSurge: '25%', maxUnavailable: 0 });
  });

  it('routes through the typed router of the definition', () => {
    expect(spec.strategy.canary?.trafficRouting).toEqual({ nginx: { stableIngress: 'orders' } });
    const routing = (trafficRouting: DeliveryInput & { strategy: 'canary' }) => rollout(synth(trafficRouting)).spec.strategy.canary?.trafficRouting;
    expect(routing({ strategy: 'canary', trafficRouting: { istio: { virtualService: 'orders-vs' } } })).toEqual({ istio: { virtualService: { name: 'orders-vs' } } });
    expect(routing({ strategy: 'canary', trafficRouting: { gatewayApi: { httpRoute: 'orders-route' } } })).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'orders-route', namespace: 'shop' } } });
  });

  it('shifts by pods without a router: no trafficRouting, only the steps the replicas honour', () => {
    const plain = rollout(synth({ strategy: 'canary' }, { replicas: 4, autoscaling: false })).spec;
    expect(plain.strategy.canary).not.toHaveProperty('trafficRouting');
    expect(plain.strategy.canary?.steps.filter((s) => 'setWeight' in s)).toEqual([{ setWeight: 25 }, { setWeight: 50 }, { setWeight: 100 }]);
    expect(plain.replicas).toBe(4);
  });

  it('keeps each step\'s own pause', () => {
    const steps = rollout(synth({ strategy: 'canary', trafficRouting: NGINX, steps: [{ weight: 10, pause: '90m' }, { weight: 100, pause: '90s' }] })).spec.strategy.canary?.steps;
    expect(steps?.slice(1)).toEqual([{ setWeight: 10 }, { pause: { duration: '1h30m' } }, { setWeight: 100 }, { pause: { duration: '1m30s' } }]);
  });

  it('is scaled by the autoscaler, which targets the Rollout, and has no replica count of its own then', () => {
    expect(spec).not.toHaveProperty('replicas');
    expect(onlyOfKind<{ scaleTargetRef: unknown }>(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'orders' });
  });

  it('keeps the disruption budget and the NetworkPolicy on the Rollout\'s pods', () => {
    const podLabels = spec.template.metadata.labels;
    const pdb = onlyOfKind<{ selector: { matchLabels: Record<string, string> } }>(objects, 'PodDisruptionBudget').spec.selector.matchLabels;
    const policy = onlyOfKind<{ podSelector: { matchLabels: Record<string, string> } }>(objects, 'NetworkPolicy').spec.podSelector.matchLabels;
    expect(podLabels).toMatchObject(pdb);
    expect(podLabels).toMatchObject(policy);
  });

  it('carries the pod template of the rolling Deployment, with every security default, spread by the Rollout\'s revision label', () => {
    const deployment = onlyOfKind<{ template: RolloutSpec['template'] }>(synth({ strategy: 'rolling' }), 'Deployment').spec.template;
    const { topologySpreadConstraints: rolloutSpread, ...rolloutPod } = spec.template.spec;
    const { topologySpreadConstraints: deploymentSpread, ...deploymentPod } = deployment.spec;
    expect(rolloutPod).toEqual(deploymentPod);
    expect(spec.template.metadata).toEqual(deployment.metadata);
    expect(rolloutSpread.map((c) => c.matchLabelKeys)).toEqual([['rollouts-pod-template-hash'], ['rollouts-pod-template-hash']]);
    expect(deploymentSpread.map((c) => c.matchLabelKeys)).toEqual([['pod-template-hash'], ['pod-template-hash']]);
    expect(rolloutPod).toMatchObject({ automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
  });

  it('names the job after the service whichever Service a pod is scraped through', () => {
    expect(onlyOfKind<{ jobLabel?: string }>(objects, 'ServiceMonitor').spec.jobLabel).toBe('app.kubernetes.io/name');
    expect(onlyOfKind<{ jobLabel?: string }>(synth({ strategy: 'rolling' }), 'ServiceMonitor').spec).not.toHaveProperty('jobLabel');
  });

  it('has no annotations for a normal release', () => {
    expect(rollout(objects).metadata).not.toHaveProperty('annotations');
  });
});

describe('CanaryDeployment, emergency patches and the budget freeze', () => {
  it('records the emergency reason, shortens the canary and keeps analysis and the freeze', () => {
    const objects = synth({ strategy: 'canary', trafficRouting: NGINX, emergency: { reason: 'CVE-2026-1234 in the TLS library' } });
    const r = rollout(objects);
    expect((r.metadata as { annotations?: Record<string, string> }).annotations).toEqual({ [ROLLOUT_ANNOTATIONS.emergencyReason]: 'CVE-2026-1234 in the TLS library' });
    const steps = r.spec.strategy.canary?.steps ?? [];
    expect(steps.filter((s) => 'setWeight' in s)).toEqual([{ setWeight: 10 }, { setWeight: 50 }, { setWeight: 100 }]);
    expect(steps.filter((s) => 'pause' in s)).toEqual([{ pause: { duration: '2m' } }, { pause: { duration: '2m' } }, { pause: { duration: '2m' } }]);
    expect(steps[0]).toEqual({ analysis: { templates: [{ templateName: 'orders-budget-freeze' }], args: HASH_ARGS } });
    expect(r.spec.strategy.canary?.analysis.templates).toEqual([{ templateName: 'orders-canary' }]);
  });

  it('drops the freeze when it is overridden, and records why', () => {
    const objects = synth({ strategy: 'canary', trafficRouting: NGINX, budgetFreeze: { override: { reason: 'fixes the outage that spent the budget' } } });
    const r = rollout(objects);
    expect((r.metadata as { annotations?: Record<string, string> }).annotations).toEqual({ [ROLLOUT_ANNOTATIONS.budgetFreezeOverrideReason]: 'fixes the outage that spent the budget' });
    expect(r.spec.strategy.canary?.steps[0]).toEqual({ setWeight: 1 });
    expect(r.spec.strategy.canary?.analysis.startingStep).toBe(0);
    expect(objects.filter((o) => o.kind === 'AnalysisTemplate').map((o) => o.metadata.name)).toEqual(['orders-canary']);
  });

  it('takes the analysis settings from the definition', () => {
    const objects = synth({ strategy: 'canary', trafficRouting: NGINX, analysis: { minRequests: 40, compareToStable: { maxIncreasePoints: 0.05 }, earlyRollback: false } });
    const background = objects.find((o) => o.metadata.name === 'orders-canary' && o.kind === 'AnalysisTemplate') as KubeObject & { spec: { metrics: { name: string; provider: { prometheus: { query: string } } }[] } };
    expect(background.spec.metrics.map((m) => m.name)).toEqual(['error-ratio-availability', 'latency-latency', 'error-increase-vs-stable']);
    expect(background.spec.metrics[0].provider.prometheus.query).toMatch(/>= 40\)$/);
  });

  it('freezes at the floor as a share of the error budget', () => {
    const freeze = synth({ strategy: 'canary', budgetFreeze: { floor: 25 } }).find((o) => o.metadata.name === 'orders-budget-freeze') as KubeObject & { spec: { metrics: { successCondition: string }[] } };
    expect(freeze.spec.metrics[0].successCondition).toMatch(/result\[0\] > 0\.25$/);
  });
});

describe('CanaryDeployment, blue/green', () => {
  const objects = synth({ strategy: 'blue-green', scaleDownDelaySeconds: 600 });
  const blueGreen = rollout(objects).spec.strategy.blueGreen;

  it('switches the service\'s own Service and previews on another', () => {
    expect(blueGreen).toMatchObject({ activeService: 'orders', previewService: 'orders-preview', scaleDownDelaySeconds: 600 });
    expect(rollout(objects).spec.strategy).not.toHaveProperty('canary');
    expect(blueGreen).toMatchObject({ activeMetadata: { labels: { track: 'stable' } }, previewMetadata: { labels: { track: 'canary' } } });
  });

  it('checks the budget and the preview under smoke traffic before promotion, and the SLOs after it', () => {
    expect(blueGreen?.prePromotionAnalysis).toEqual({ templates: [{ templateName: 'orders-budget-freeze' }, { templateName: 'orders-preview' }], args: HASH_ARGS });
    expect(blueGreen?.postPromotionAnalysis).toEqual({ templates: [{ templateName: 'orders-canary' }], args: HASH_ARGS });
    expect(rollout(synth({ strategy: 'blue-green', budgetFreeze: { override: { reason: 'the fix for the outage' } } })).spec.strategy.blueGreen?.prePromotionAnalysis.templates).toEqual([{ templateName: 'orders-preview' }]);
  });

  it('sends the smoke traffic through the preview Service from a Job whose pods the service\'s selectors never take in', () => {
    const preview = objects.find((o) => o.kind === 'AnalysisTemplate' && o.metadata.name === 'orders-preview') as KubeObject & { spec: { metrics: { name: string; provider: Record<string, { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: { env: { name: string; value: string }[] }[] } } } }> }[] } };
    const job = preview.spec.metrics[0].provider.job;
    expect(preview.spec.metrics.map((m) => m.name)).toEqual(['smoke-traffic', 'preview-error-ratio-availability', 'preview-latency-latency']);
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'URL', value: 'http://orders-preview.shop.svc:80/' });
    const podLabels = job.spec.template.metadata.labels;
    expect(podLabels).toMatchObject({ 'app.kubernetes.io/name': 'orders-smoke-traffic', 'app.kubernetes.io/component': 'smoke-traffic' });
    // Nothing that selects the service's pods selects the Job's.
    for (const o of objects.filter((x) => ['Service', 'PodDisruptionBudget'].includes(x.kind) || (x.kind === 'NetworkPolicy' && x.metadata.name === 'orders'))) {
      const spec = o.spec as { selector?: Record<string, unknown>; podSelector?: { matchLabels: Record<string, string> } };
      const selector = (spec.podSelector?.matchLabels ?? (spec.selector as { matchLabels?: Record<string, string> }).matchLabels ?? spec.selector) as Record<string, string>;
      expect(Object.entries(selector).every(([k, v]) => podLabels[k] === v)).toBe(false);
    }
  });

  it('lets the smoke Job reach cluster DNS and the service\'s HTTP port, and nothing else', () => {
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'orders-smoke-traffic') as KubeObject & { spec: Record<string, unknown> };
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-smoke-traffic' } },
      policyTypes: ['Egress', 'Ingress'],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
        { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      ],
    });
    // A canary takes real traffic: no smoke Job, no policy for one.
    expect(synth({ strategy: 'canary', trafficRouting: NGINX }).some((o) => o.metadata.name.endsWith('smoke-traffic'))).toBe(false);
  });

  it('scrapes every pod once through a metrics Service: the active and preview Services carry HTTP only', () => {
    expect(serviceNames(objects)).toEqual(['orders', 'orders-metrics', 'orders-preview']);
    expect(service(objects, 'orders').spec.ports.map((p) => p.name)).toEqual(['http']);
    expect(service(objects, 'orders-preview').spec.ports.map((p) => p.name)).toEqual(['http']);
    expect(service(objects, 'orders-metrics').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'orders' }, ports: [{ name: 'metrics', port: 9090 }] });
  });

  it('waits for a human to promote in production, and promotes by itself elsewhere, unless the definition says', () => {
    expect(blueGreen?.autoPromotionEnabled).toBe(false);
    expect(rollout(synth({ strategy: 'blue-green' }, {}, 'dev')).spec.strategy.blueGreen?.autoPromotionEnabled).toBe(true);
    expect(rollout(synth({ strategy: 'blue-green', autoPromote: true })).spec.strategy.blueGreen?.autoPromotionEnabled).toBe(true);
    expect(rollout(synth({ strategy: 'blue-green', autoPromote: false }, {}, 'dev')).spec.strategy.blueGreen?.autoPromotionEnabled).toBe(false);
  });

  it('keeps the old pods 300 seconds by default', () => {
    expect(rollout(synth({ strategy: 'blue-green' })).spec.strategy.blueGreen?.scaleDownDelaySeconds).toBe(300);
  });
});

describe('CanaryDeployment, workers and wrong input', () => {
  const worker: Partial<ServiceDefinitionInput> = {
    port: undefined,
    component: 'worker',
    metrics: { port: 9100 },
    slos: [{ kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(jobs_ok_total[{{window}}]))', totalQuery: 'sum(rate(jobs_total[{{window}}]))' }],
  };

  it('refuses a canary or blue/green worker at definition: its analysis measures HTTP SLOs', () => {
    for (const strategy of ['canary', 'blue-green'] as const) {
      expect(() => synth(strategy === 'canary' ? { strategy, steps: [50, 100] } : { strategy }, worker)).toThrow(
        `orders.delivery.strategy: needs an availability or latency SLO in slos: the ${strategy} analysis measures the new version against them (got "${strategy}")`,
      );
    }
  });

  it('refuses blue/green and a traffic router for a service without an HTTP port', () => {
    // defineService already refuses such a worker for its SLOs; built past it, the Rollout refuses it too.
    const error = (delivery: DeliveryInput) => {
      const { platform, service } = platformService(worker);
      try {
        synthMonitoredService({ platform, service: { ...service, delivery: target(delivery).service.delivery } });
      } catch (e) {
        return e instanceof DefinitionError ? e.lines : [String(e)];
      }
      return [];
    };
    expect(error({ strategy: 'blue-green' })).toEqual(['service.delivery.strategy: needs an HTTP port: blue/green switches the Service in front of it (got "blue-green")']);
    expect(error({ strategy: 'canary', steps: [50, 100], trafficRouting: NGINX })).toEqual(['service.delivery.trafficRouting: needs an HTTP port: a traffic router shifts HTTP traffic (got "canary")']);
    // defineService refuses both for the port alone, too.
    const noPort = { port: undefined, metrics: { port: 9100 } };
    expect(() => target({ strategy: 'blue-green' }, noPort)).toThrow('orders.delivery.strategy: needs an HTTP port (port): blue/green switches the Service in front of it, and the preview takes smoke traffic there (got "blue-green")');
    expect(() => target({ strategy: 'canary', steps: [50, 100], trafficRouting: NGINX }, noPort)).toThrow('orders.delivery.trafficRouting: needs an HTTP port (port): a traffic router shifts HTTP traffic (got {"nginx":{"stableIngress":"orders"}})');
  });

  it('refuses a rolling delivery', () => {
    const chart = new Chart(new App(), 'prod');
    const { platform, service } = platformService({ slos: SLOS });
    expect(() => new CanaryDeployment(chart, 'rollout', { platform, service, podTemplate: {}, containers: [] })).toThrow(
      'service.delivery.strategy: must be canary or blue-green; a rolling delivery is a Deployment (got "rolling")',
    );
  });
});

describe('CanaryDeployment, schemas and determinism', () => {
  const cases: [string, DeliveryInput, Partial<ServiceDefinitionInput>][] = [
    ['canary behind nginx', { strategy: 'canary', trafficRouting: NGINX }, {}],
    ['canary behind Istio with an emergency and an override', { strategy: 'canary', trafficRouting: { istio: { virtualService: 'orders' } }, emergency: { reason: 'hotfix' }, budgetFreeze: { override: { reason: 'hotfix' } } }, {}],
    ['canary behind the Gateway API', { strategy: 'canary', trafficRouting: { gatewayApi: { httpRoute: 'orders' } } }, {}],
    ['canary without a router, fixed replicas', { strategy: 'canary' }, { replicas: 3, autoscaling: false }],
    ['blue/green', { strategy: 'blue-green' }, {}],
  ];

  it.each(cases)('validates every object of a %s against its CRD and Kubernetes schemas', (_name, delivery, changes) => {
    const objects = synth(delivery, changes);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it.each(cases)('validates the Rollout and AnalysisTemplates of a %s with @kubernetes-models/argo-rollouts', (_name, delivery, changes) => {
    const objects = synth(delivery, changes);
    expect(() => new RolloutModel(rollout(objects) as never).validate()).not.toThrow();
    const templates = objects.filter((o) => o.kind === 'AnalysisTemplate');
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) expect(() => new AnalysisTemplateModel(template as never).validate()).not.toThrow();
  });

  it('would name the field of a Rollout that breaks the CRD', () => {
    const broken = { ...rollout(synth({ strategy: 'canary' })), spec: { strategy: { canary: { steps: [{ setWeight: 'half' }] } } } } as unknown as KubeObject;
    expect(schemaProblems(broken).join('\n')).toMatch(/Rollout shop\/orders: \/spec\/strategy\/canary\/steps\/0\/setWeight must be integer/);
  });

  it('gives the same objects run after run', () => {
    expect(synth({ strategy: 'canary', trafficRouting: NGINX })).toEqual(synth({ strategy: 'canary', trafficRouting: NGINX }));
  });

  it('matches the reviewed manifests of a canary behind nginx', () => {
    const chart = Testing.chart();
    new MonitoredService(chart, 'svc', target({ strategy: 'canary', trafficRouting: NGINX }));
    expect(Testing.synth(chart).filter((o: KubeObject) => ['Rollout', 'Service'].includes(o.kind))).toMatchSnapshot();
  });
});

describe('rollout builders', () => {
  it('writes pauses as Go durations, which Argo Rollouts reads', () => {
    expect(['5m', '1h', '90m', '1d', '45s', '1h1m1s'].map(pauseDuration)).toEqual(['5m', '1h', '1h30m', '24h', '45s', '1h1m1s']);
  });

  it('names the Services of each strategy', () => {
    const svc = { name: 'orders' };
    const canary = target({ strategy: 'canary' }).service.delivery;
    const blueGreen = target({ strategy: 'blue-green' }).service.delivery;
    if (canary.strategy !== 'canary' || blueGreen.strategy !== 'blue-green') throw new Error('rollout deliveries expected');
    expect(rolloutServiceNames(svc, canary)).toEqual({ stable: 'orders-stable', canary: 'orders-canary' });
    expect(rolloutServiceNames(svc, blueGreen)).toEqual({ stable: 'orders', canary: 'orders-preview', metrics: 'orders-metrics' });
  });

  it('takes the metrics port off the service\'s own Service for blue/green only', () => {
    const ports = [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }];
    expect(ownServicePorts(target({ strategy: 'blue-green' }).service.delivery, ports).map((p) => p.name)).toEqual(['http']);
    expect(ownServicePorts(target({ strategy: 'canary' }).service.delivery, ports).map((p) => p.name)).toEqual(['http', 'metrics']);
    expect(ownServicePorts(target({ strategy: 'rolling' }).service.delivery, ports).map((p) => p.name)).toEqual(['http', 'metrics']);
  });

  it('spells each router as Argo Rollouts does', () => {
    expect(trafficRoutingSpec({ nginx: { stableIngress: 'web' } }, 'shop')).toEqual({ nginx: { stableIngress: 'web' } });
    expect(trafficRoutingSpec({ istio: { virtualService: 'web' } }, 'shop')).toEqual({ istio: { virtualService: { name: 'web' } } });
    expect(trafficRoutingSpec({ gatewayApi: { httpRoute: 'web' } }, 'shop')).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web', namespace: 'shop' } } });
  });
});
