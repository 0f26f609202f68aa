import { App, Chart, Testing } from 'cdk8s';
import { DefinitionError, MonitoredService, MonitoredServiceProps, resolveEnvironment } from '../../lib';
import { KubeObject, schemaProblems } from '../support/schema';
import { BASE_SERVICE, effective, testPlatform } from '../fixtures/services';
import { ServiceDefinitionInput } from '../../lib';

interface PodSpec {
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: { sizeLimit?: string } }[];
  topologySpreadConstraints: { topologyKey: string; whenUnsatisfiable: string; maxSkew: number }[];
  terminationGracePeriodSeconds: number;
}
interface Container {
  name: string;
  image: string;
  imagePullPolicy: string;
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  ports: { containerPort: number; name: string }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
  livenessProbe?: { httpGet: { path: string; port: number }; periodSeconds: number; failureThreshold: number };
  readinessProbe?: { httpGet: { path: string; port: number } };
  startupProbe?: { httpGet: { path: string; port: number }; failureThreshold: number; periodSeconds: number };
  volumeMounts: { mountPath: string; name: string }[];
}

function synth(input: Partial<ServiceDefinitionInput> = {}, props: Partial<MonitoredServiceProps> = {}, environment = 'prod'): KubeObject[] {
  const chart = Testing.chart();
  new MonitoredService(chart, 'svc', { service: effective(input, environment), ...props });
  return Testing.synth(chart) as KubeObject[];
}

function find(objects: KubeObject[], kind: string): KubeObject & { spec: Record<string, never> } {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as KubeObject & { spec: Record<string, never> };
}

function podSpec(objects: KubeObject[]): PodSpec {
  return (find(objects, 'Deployment').spec as unknown as { template: { spec: PodSpec } }).template.spec;
}

describe('MonitoredService', () => {
  it('emits the workload and its companions, each named after the service in its namespace', () => {
    const objects = synth();
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor',
    ]);
    for (const object of objects) {
      expect(object.metadata.name).toBe('orders');
      expect(object.metadata.namespace).toBe('shop');
      expect(object.metadata.labels).toEqual({
        'app.kubernetes.io/component': 'server',
        'app.kubernetes.io/managed-by': 'ops-constructs',
        'app.kubernetes.io/name': 'orders',
        'app.kubernetes.io/part-of': 'acme',
        'app.kubernetes.io/version': '2.0.1',
        team: 'shop',
      });
      expect(schemaProblems(object)).toEqual([]);
    }
  });

  it('meets Pod Security "restricted" on the pod and the container', () => {
    const pod = podSpec(synth());
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const container = pod.containers[0];
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 65532,
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('orders');
    expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  it('applies the default requests and limits, and the ones given', () => {
    expect(podSpec(synth()).containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    const given = podSpec(synth({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1500m', memory: '2Gi' } } }));
    expect(given.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1024Mi' }, limits: { cpu: '1500m', memory: '2048Mi' } });
  });

  it('wires liveness, readiness and startup probes to the health endpoints', () => {
    const container = podSpec(synth({ health: { liveness: { path: '/healthz' }, readiness: { path: '/ready', port: 8081 }, startup: { path: '/started' } } })).containers[0];
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8081 } });
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/started', port: 8080 }, failureThreshold: 30, periodSeconds: 5 });
    expect(podSpec(synth()).containers[0].livenessProbe).toBeUndefined();
  });

  it('spreads pods across zones and nodes without blocking scheduling', () => {
    const spread = podSpec(synth()).topologySpreadConstraints;
    expect(spread.map((s) => [s.topologyKey, s.whenUnsatisfiable, s.maxSkew])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway', 1],
      ['kubernetes.io/hostname', 'ScheduleAnyway', 1],
    ]);
    expect(podSpec(synth({}, { topologyKey: 'example.com/rack' })).topologySpreadConstraints[0].topologyKey).toBe('example.com/rack');
  });

  it('sets the OpenTelemetry variables from the definition and the environment', () => {
    const env = podSpec(synth({ env: { LOG_LEVEL: 'info' }, secretEnv: { DB_PASSWORD: { name: 'orders-db', key: 'password' } } })).containers[0].env;
    expect(env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://collector.observability:4317' },
      { name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'deployment.environment=prod,service.namespace=shop,service.version=2.0.1' },
      { name: 'OTEL_SERVICE_NAME', value: 'orders' },
    ]);
    const dev = podSpec(synth({}, {}, 'dev')).containers[0].env.map((e) => e.name);
    expect(dev).not.toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('autoscales on CPU at 70% by default and leaves the replica count to the autoscaler', () => {
    const objects = synth({ replicas: 3 });
    const hpa = find(objects, 'HorizontalPodAutoscaler').spec as unknown as Record<string, unknown>;
    expect(hpa).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(find(objects, 'Deployment').spec).not.toHaveProperty('replicas');
  });

  it('keeps a fixed replica count when autoscaling is off', () => {
    const objects = synth({ replicas: 2, autoscaling: false });
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(find(objects, 'Deployment').spec).toHaveProperty('replicas', 2);
  });

  it('limits voluntary disruptions to one pod and lets unhealthy pods be evicted', () => {
    expect(find(synth(), 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(find(synth({}, { disruptionBudget: { maxUnavailable: 2 } }), 'PodDisruptionBudget').spec).toHaveProperty('maxUnavailable', 2);
    expect(synth({}, { disruptionBudget: false }).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('denies ingress and egress by default and admits the namespace, the ingress controller of an exposed service and monitoring', () => {
    const policy = find(synth({ exposed: true }, { allowFromNamespaces: ['web', 'api'] }), 'NetworkPolicy').spec as unknown as {
      policyTypes: string[];
      ingress: { from: Record<string, unknown>[]; ports: { port: number }[] }[];
    };
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(policy.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [ns('ingress-nginx'), ns('api'), ns('web')], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [ns('monitoring')], ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
  });

  it('does not admit the ingress controller to an internal service (exposed defaults to whether gcp.publicHost is set)', () => {
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    const internal = find(synth(), 'NetworkPolicy').spec as unknown as { ingress: { from: Record<string, unknown>[] }[] };
    expect(internal.ingress.flatMap((r) => r.from)).not.toContainEqual(ns('ingress-nginx'));
    const publicHost = find(synth({ gcp: { project: 'acme-prod-1234', publicHost: 'orders.example.com' } }), 'NetworkPolicy').spec as unknown as { ingress: { from: Record<string, unknown>[] }[] };
    expect(publicHost.ingress.flatMap((r) => r.from)).toContainEqual(ns('ingress-nginx'));
  });

  it('lets pods reach DNS, the services they depend on, the OTLP collector and the declared egress, nothing else', () => {
    const platform = testPlatform(
      { ...BASE_SERVICE, name: 'catalog', team: 'merchandising', port: 8081 },
      { ...BASE_SERVICE, name: 'checkout', team: 'payments', dependsOn: ['catalog'], egress: [{ cidr: '10.20.0.0/16', ports: [5432] }, { namespace: 'vault', ports: [8200], protocol: 'TCP' }] },
    );
    const chart = Testing.chart();
    new MonitoredService(chart, 'checkout', { service: resolveEnvironment(platform, platform.services[1], 'prod') });
    const policy = find(Testing.synth(chart) as KubeObject[], 'NetworkPolicy').spec as unknown as { egress: unknown[] };
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(policy.egress).toEqual([
      { to: [{ ...ns('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [{ ...ns('merchandising'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'catalog' } } }], ports: [{ port: 8081, protocol: 'TCP' }] },
      { to: [ns('observability')], ports: [{ port: 4317, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [ns('vault')], ports: [{ port: 8200, protocol: 'TCP' }] },
    ]);
  });

  it('takes the cluster DNS from props', () => {
    const policy = find(synth({}, { dns: { namespace: 'dns', podLabels: { app: 'coredns' } } }), 'NetworkPolicy').spec as unknown as { egress: { to: unknown[] }[] };
    expect(policy.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } }]);
  });

  it('admits the pods of services that depend on it, from their namespace only', () => {
    const platform = testPlatform(
      { ...BASE_SERVICE, name: 'catalog', team: 'merchandising' },
      { ...BASE_SERVICE, name: 'checkout', team: 'payments', dependsOn: ['catalog'] },
      { ...BASE_SERVICE, name: 'search', team: 'merchandising', dependsOn: ['catalog'] },
    );
    const chart = Testing.chart();
    new MonitoredService(chart, 'catalog', { service: resolveEnvironment(platform, platform.services[0], 'prod') });
    const policy = find(Testing.synth(chart) as KubeObject[], 'NetworkPolicy').spec as unknown as { ingress: { from: Record<string, unknown>[] }[] };
    expect(policy.ingress[1]).toEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
        },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    expect(policy.ingress).toHaveLength(3);
    expect(schemaProblems(find(Testing.synth(chart) as KubeObject[], 'NetworkPolicy'))).toEqual([]);
  });

  it('exposes only the metrics port of a worker without HTTP', () => {
    const objects = synth({ port: undefined, component: 'worker', metrics: { port: 9100 } });
    const policy = find(objects, 'NetworkPolicy').spec as unknown as { ingress: { ports: { port: number }[] }[] };
    expect(policy.ingress.map((rule) => rule.ports[0].port)).toEqual([9100]);
    const service = find(objects, 'Service').spec as unknown as { ports: { name: string; port: number }[] };
    expect(service.ports.map((p) => p.name)).toEqual(['metrics']);
    expect(podSpec(objects).containers[0].ports).toEqual([{ containerPort: 9100, name: 'metrics' }]);
  });

  it('scrapes the metrics port through a ServiceMonitor selecting the service', () => {
    const monitor = find(synth({ metrics: { path: '/internal/metrics', scrapeInterval: '15s' } }), 'ServiceMonitor').spec;
    expect(monitor).toEqual({
      endpoints: [{ interval: '15s', path: '/internal/metrics', port: 'metrics', scheme: 'http' }],
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
    });
  });

  it('pulls pinned images only when missing, and a latest tag on every start', () => {
    expect(podSpec(synth()).containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(podSpec(synth({ environments: { dev: { image: 'registry.example.com/shop/orders:latest' } } }, {}, 'dev')).containers[0].imagePullPolicy).toBe('Always');
  });

  it('rejects unsafe options with the construct path, field and value', () => {
    const app = new App();
    const chart = new Chart(app, 'prod');
    expect(() => new MonitoredService(chart, 'orders', { service: effective(), runAsUser: 0, tmpSizeLimit: '1G' })).toThrow(
      new DefinitionError('MonitoredService props of "orders"', [
        { path: 'runAsUser', problem: 'must be a positive integer: the container may not run as root', value: 0 },
        { path: 'tmpSizeLimit', problem: 'must be a memory quantity in Ki, Mi or Gi', value: '1G' },
      ], 'prod/orders'),
    );
  });
});
