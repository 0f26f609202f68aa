import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { DefinitionError, MonitoredService, MonitoredServiceProps, resolveEnvironment } from '../../lib';
import { MONITORED_SERVICE_DEFAULTS, ROLLOUT_RELABELINGS } from '../../lib/k8s';
import { KubeObject, schemaProblems } from '../support/schema';
import { BASE_SERVICE } from '../fixtures/services';
import { PlatformService, hasKind, k8sPlatform, onlyOfKind, platformService, synthMonitoredService } from '../fixtures/k8s-services';

interface PodSpec {
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: { sizeLimit?: string } }[];
  topologySpreadConstraints: { topologyKey: string; whenUnsatisfiable: string; maxSkew: number; matchLabelKeys: string[]; labelSelector: unknown }[];
  terminationGracePeriodSeconds: number;
}
interface Container {
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
interface NetworkPolicySpec {
  policyTypes: string[];
  podSelector: unknown;
  ingress: { from: Record<string, unknown>[]; ports: { port: number; protocol: string }[] }[];
  egress: { to: Record<string, unknown>[]; ports: { port: number; protocol: string }[] }[];
}

const ORDERS = platformService();

function synth(props: Partial<MonitoredServiceProps> = {}, target: PlatformService = ORDERS): KubeObject[] {
  return synthMonitoredService(target, props);
}

function podSpec(objects: readonly KubeObject[]): PodSpec {
  return onlyOfKind<{ template: { spec: PodSpec } }>(objects, 'Deployment').spec.template.spec;
}

function container(objects: readonly KubeObject[]): Container {
  return podSpec(objects).containers[0];
}

function networkPolicy(objects: readonly KubeObject[]): NetworkPolicySpec {
  return onlyOfKind<NetworkPolicySpec>(objects, 'NetworkPolicy').spec;
}

const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } }, podSelector: {} });
const inNs = (name: string, labels: Record<string, string>) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } }, podSelector: { matchLabels: labels } });

/** The DefinitionError the constructor throws with these props, or undefined. */
function propsError(props: Partial<MonitoredServiceProps>, target: PlatformService = ORDERS): DefinitionError | undefined {
  const chart = new Chart(new App(), 'prod');
  try {
    new MonitoredService(chart, 'orders', { ...target, ...props });
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  return undefined;
}

describe('MonitoredService', () => {
  it('emits the workload and its companions, each named after the service in its namespace and valid for Kubernetes', () => {
    const objects = synth();
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceMonitor']);
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

  it('selects its pods by the stable name label only, not by a construct address', () => {
    const deployment = onlyOfKind<{ selector: unknown; template: { metadata: { labels: Record<string, string> } } }>(synth(), 'Deployment').spec;
    expect(deployment.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
    expect(Object.keys(deployment.template.metadata.labels).sort()).toEqual([
      'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'app.kubernetes.io/version', 'team',
    ]);
    expect(onlyOfKind<{ selector: unknown }>(synth(), 'Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders' });
    expect(networkPolicy(synth()).podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
  });

  it('meets Pod Security "restricted" on the pod and the container, seccomp included at pod level', () => {
    const pod = podSpec(synth());
    expect(pod.securityContext).toEqual({ fsGroup: 65532, fsGroupChangePolicy: 'Always', runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 65532,
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.serviceAccountName).toBe('orders');
    expect(onlyOfKind(synth(), 'ServiceAccount')).toHaveProperty('automountServiceAccountToken', false);
  });

  it('applies the requests and limits of the definition', () => {
    expect(container(synth()).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    const given = platformService({ resources: { requests: { cpu: '1', memory: '2048Ki' }, limits: { cpu: '1500m', memory: '1Gi' } } });
    expect(container(synth({}, given)).resources).toEqual({ requests: { cpu: '1', memory: '2Mi' }, limits: { cpu: '1500m', memory: '1024Mi' } });
  });

  it('wires liveness, readiness and startup probes to the health endpoints, and none when the definition has none', () => {
    const probed = container(synth({}, platformService({ health: { liveness: { path: '/healthz' }, readiness: { path: '/ready', port: 8081 }, startup: { path: '/started' } } })));
    expect(probed.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 });
    expect(probed.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8081 } });
    expect(probed.startupProbe).toMatchObject({ httpGet: { path: '/started', port: 8080 }, failureThreshold: 30, periodSeconds: 5 });
    const bare = container(synth());
    expect([bare.livenessProbe, bare.readinessProbe, bare.startupProbe]).toEqual([undefined, undefined, undefined]);
  });

  it('sets the OpenTelemetry variables and the definition variables, sorted, secrets by reference', () => {
    const env = container(synth({}, platformService({ env: { LOG_LEVEL: 'info' }, secretEnv: { DB_PASSWORD: { name: 'orders-db', key: 'password' } } }))).env;
    expect(env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://collector.observability:4317' },
      { name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'deployment.environment=prod,service.namespace=shop,service.version=2.0.1' },
      { name: 'OTEL_SERVICE_NAME', value: 'orders' },
    ]);
  });

  it('autoscales on CPU and leaves the replica count to the autoscaler', () => {
    const objects = synth({}, platformService({ replicas: 3 }));
    expect(onlyOfKind(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(onlyOfKind(objects, 'Deployment').spec).not.toHaveProperty('replicas');
  });

  it('keeps a fixed replica count and no autoscaler when autoscaling is off', () => {
    const objects = synth({}, platformService({ replicas: 2, autoscaling: false }));
    expect(hasKind(objects, 'HorizontalPodAutoscaler')).toBe(false);
    expect(onlyOfKind(objects, 'Deployment').spec).toHaveProperty('replicas', 2);
  });

  it('rolls a rolling delivery out as defined, as a Deployment and no Rollout', () => {
    const objects = synth({}, platformService({ delivery: { strategy: 'rolling', maxSurge: '1', maxUnavailable: '10%' } }));
    expect(onlyOfKind<{ strategy: unknown }>(objects, 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } });
    expect(hasKind(objects, 'Rollout')).toBe(false);
    expect(hasKind(objects, 'AnalysisTemplate')).toBe(false);
  });

  it('exposes only the metrics port of a worker without HTTP', () => {
    const objects = synth({}, platformService({ port: undefined, component: 'worker', metrics: { port: 9100 } }));
    expect(networkPolicy(objects).ingress).toEqual([{ from: [ns('monitoring')], ports: [{ port: 9100, protocol: 'TCP' }] }]);
    expect(onlyOfKind<{ ports: unknown[] }>(objects, 'Service').spec.ports).toEqual([{ name: 'metrics', port: 9100, protocol: 'TCP', targetPort: 'metrics' }]);
    expect(container(objects).ports).toEqual([{ containerPort: 9100, name: 'metrics' }]);
  });

  it('scrapes the metrics port through a ServiceMonitor selecting the service', () => {
    const monitor = onlyOfKind(synth({}, platformService({ metrics: { path: '/internal/metrics', scrapeInterval: '15s' } })), 'ServiceMonitor').spec;
    expect(monitor).toEqual({
      endpoints: [{ interval: '15s', path: '/internal/metrics', port: 'metrics', scheme: 'http', relabelings: [...ROLLOUT_RELABELINGS] }],
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
    });
  });

  it('pulls pinned images only when missing, and a latest tag on every start', () => {
    expect(container(synth()).imagePullPolicy).toBe('IfNotPresent');
    const latest = platformService({ environments: { dev: { image: 'registry.example.com/shop/orders:latest' } } }, 'dev');
    expect(container(synth({}, latest)).imagePullPolicy).toBe('Always');
  });

  it('resolves every prop once into a public field, its default when not given', () => {
    const chart = Testing.chart();
    const service = new MonitoredService(chart, 'svc', ORDERS);
    expect({
      allowFromNamespaces: service.allowFromNamespaces,
      runAsUser: service.runAsUser,
      readOnlyRootFilesystem: service.readOnlyRootFilesystem,
      tmpSizeLimit: service.tmpSizeLimit.asString(),
      automountServiceAccountToken: service.automountServiceAccountToken,
      topologyKey: service.topologyKey,
      terminationGracePeriod: service.terminationGracePeriod.toSeconds(),
      servicePort: service.servicePort,
      dns: service.dns,
    }).toEqual({
      allowFromNamespaces: [],
      runAsUser: 65532,
      readOnlyRootFilesystem: true,
      tmpSizeLimit: '64Mi',
      automountServiceAccountToken: false,
      topologyKey: 'topology.kubernetes.io/zone',
      terminationGracePeriod: 30,
      servicePort: 80,
      dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
    });
    expect(MONITORED_SERVICE_DEFAULTS.networkPolicy).toBe(true);
    expect([service.platform, service.service]).toEqual([ORDERS.platform, ORDERS.service]);
    expect([service.autoscaler, service.disruptionBudget, service.networkPolicy].every((part) => part !== undefined)).toBe(true);
  });

  describe('props: each default, and its override or opt-out', () => {
    it('platform: admits its ingress controller and Prometheus namespaces and labels the ServiceMonitor for its Prometheus', () => {
      const exposed = { exposed: true };
      const byDefault = synth({}, platformService(exposed));
      expect(networkPolicy(byDefault).ingress.flatMap((r) => r.from)).toEqual(expect.arrayContaining([ns('ingress-nginx'), ns('monitoring')]));
      expect(onlyOfKind(byDefault, 'ServiceMonitor').metadata.labels).not.toHaveProperty('release');
      const custom = synth({}, platformService(exposed, 'prod', { ingressNamespace: 'gateway', monitoringNamespace: 'observability', monitoringLabels: { release: 'kube-prometheus' } }));
      const from = networkPolicy(custom).ingress.flatMap((r) => r.from);
      expect(from).toEqual(expect.arrayContaining([ns('gateway'), ns('observability')]));
      expect(from).not.toContainEqual(ns('ingress-nginx'));
      expect(from).not.toContainEqual(ns('monitoring'));
      expect(onlyOfKind(custom, 'ServiceMonitor').metadata.labels).toMatchObject({ release: 'kube-prometheus', 'app.kubernetes.io/name': 'orders' });
    });

    it('allowFromNamespaces: none by default; the given ones, sorted and once each, may call the HTTP port', () => {
      expect(networkPolicy(synth()).ingress.map((r) => r.from)).toEqual([[{ podSelector: {} }], [ns('monitoring')]]);
      const given = networkPolicy(synth({ allowFromNamespaces: ['web', 'api', 'web'] })).ingress;
      expect(given[1]).toEqual({ from: [ns('api'), ns('web')], ports: [{ port: 8080, protocol: 'TCP' }] });
    });

    it('runAsUser: 65532 by default; the given user and group otherwise', () => {
      expect(podSpec(synth()).securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
      const pod = podSpec(synth({ runAsUser: 1000 }));
      expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true });
      expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    });

    it('readOnlyRootFilesystem: true by default; a writable root filesystem when false', () => {
      expect(container(synth()).securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container(synth({ readOnlyRootFilesystem: false })).securityContext.readOnlyRootFilesystem).toBe(false);
    });

    it('tmpSizeLimit: a writable /tmp of 64Mi by default; the size given otherwise', () => {
      const pod = podSpec(synth());
      expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
      expect(pod.containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
      expect(podSpec(synth({ tmpSizeLimit: Size.gibibytes(1) })).volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '1024Mi' } }]);
    });

    it('automountServiceAccountToken: no API token by default; a token when true', () => {
      expect(podSpec(synth()).automountServiceAccountToken).toBe(false);
      expect(podSpec(synth({ automountServiceAccountToken: true })).automountServiceAccountToken).toBe(true);
    });

    it('topologyKey: spreads across zones and then nodes by default, without blocking scheduling; the key given otherwise', () => {
      const spread = podSpec(synth()).topologySpreadConstraints;
      expect(spread).toEqual([
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } }, matchLabelKeys: ['pod-template-hash'] },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } }, matchLabelKeys: ['pod-template-hash'] },
      ]);
      expect(podSpec(synth({ topologyKey: 'example.com/rack' })).topologySpreadConstraints.map((s) => s.topologyKey)).toEqual(['example.com/rack', 'kubernetes.io/hostname']);
      expect(podSpec(synth({ topologyKey: 'kubernetes.io/hostname' })).topologySpreadConstraints.map((s) => s.topologyKey)).toEqual(['kubernetes.io/hostname']);
    });

    it('terminationGracePeriod: 30 seconds by default; the duration given otherwise', () => {
      expect(podSpec(synth()).terminationGracePeriodSeconds).toBe(30);
      expect(podSpec(synth({ terminationGracePeriod: Duration.minutes(2) })).terminationGracePeriodSeconds).toBe(120);
    });

    it('servicePort: the Service serves HTTP on 80 by default, on the port given otherwise, always to the named container port', () => {
      const ports = (objects: KubeObject[]) => onlyOfKind<{ ports: unknown[] }>(objects, 'Service').spec.ports;
      expect(ports(synth())).toEqual([
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' },
      ]);
      expect(ports(synth({ servicePort: 8000 }))[0]).toEqual({ name: 'http', port: 8000, protocol: 'TCP', targetPort: 'http' });
    });

    it('disruptionBudget: one pod at a time by default, unhealthy pods evictable; the budget given, or none when false', () => {
      const budget = (objects: KubeObject[]) => onlyOfKind(objects, 'PodDisruptionBudget').spec;
      expect(budget(synth())).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
      expect(budget(synth({ disruptionBudget: {} }))).toHaveProperty('maxUnavailable', 1);
      expect(budget(synth({ disruptionBudget: { maxUnavailable: 2 } }))).toHaveProperty('maxUnavailable', 2);
      const chart = Testing.chart();
      const without = new MonitoredService(chart, 'svc', { ...ORDERS, disruptionBudget: false });
      expect(without.disruptionBudget).toBeUndefined();
      expect(hasKind(Testing.synth(chart) as KubeObject[], 'PodDisruptionBudget')).toBe(false);
    });

    it('networkPolicy: a deny-by-default policy for ingress and egress by default; none when false', () => {
      expect(networkPolicy(synth()).policyTypes).toEqual(['Egress', 'Ingress']);
      const chart = Testing.chart();
      const without = new MonitoredService(chart, 'svc', { ...ORDERS, networkPolicy: false });
      expect(without.networkPolicy).toBeUndefined();
      expect(hasKind(Testing.synth(chart) as KubeObject[], 'NetworkPolicy')).toBe(false);
    });

    it('dns: CoreDNS in kube-system by default; the endpoint given otherwise, each field on its own', () => {
      const dnsRule = (objects: KubeObject[]) => networkPolicy(objects).egress[0];
      expect(dnsRule(synth())).toEqual({ to: [inNs('kube-system', { 'k8s-app': 'kube-dns' })], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
      expect(dnsRule(synth({ dns: { namespace: 'dns', podLabels: { app: 'coredns' } } })).to).toEqual([inNs('dns', { app: 'coredns' })]);
      expect(dnsRule(synth({ dns: { namespace: 'dns' } })).to).toEqual([inNs('dns', { 'k8s-app': 'kube-dns' })]);
    });
  });

  describe('network policy', () => {
    it('admits the namespace, the ingress controller of an exposed service and monitoring', () => {
      expect(networkPolicy(synth({}, platformService({ exposed: true }))).ingress).toEqual([
        { from: [{ podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] },
        { from: [ns('ingress-nginx')], ports: [{ port: 8080, protocol: 'TCP' }] },
        { from: [ns('monitoring')], ports: [{ port: 9090, protocol: 'TCP' }] },
      ]);
    });

    it('admits the ingress controller to a service with a public host (exposed defaults to whether gcp.publicHost is set)', () => {
      const publicHost = synth({}, platformService({ gcp: { project: 'acme-prod-1234', publicHost: 'orders.example.com' } }));
      expect(networkPolicy(publicHost).ingress.flatMap((r) => r.from)).toContainEqual(ns('ingress-nginx'));
      expect(networkPolicy(synth()).ingress.flatMap((r) => r.from)).not.toContainEqual(ns('ingress-nginx'));
    });

    it('lets pods reach DNS, the services they depend on, the OTLP collector and the declared egress, nothing else', () => {
      const platform = k8sPlatform([
        { ...BASE_SERVICE, name: 'catalog', team: 'merchandising', port: 8081 },
        { ...BASE_SERVICE, name: 'checkout', team: 'payments', dependsOn: ['catalog'], egress: [{ cidr: '10.20.0.0/16', ports: [5432] }, { cidr: '2001:DB8::/32', ports: [443] }, { namespace: 'vault', ports: [8200], protocol: 'TCP' }] },
      ]);
      const objects = synth({}, { platform, service: resolveEnvironment(platform, 'checkout', 'prod') });
      expect(networkPolicy(objects).egress).toEqual([
        { to: [inNs('kube-system', { 'k8s-app': 'kube-dns' })], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
        { to: [inNs('merchandising', { 'app.kubernetes.io/name': 'catalog' })], ports: [{ port: 8081, protocol: 'TCP' }] },
        { to: [ns('observability')], ports: [{ port: 4317, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 443, protocol: 'TCP' }] },
        { to: [ns('vault')], ports: [{ port: 8200, protocol: 'TCP' }] },
      ]);
      expect(schemaProblems(onlyOfKind(objects, 'NetworkPolicy'))).toEqual([]);
    });

    it('admits the pods of each service that depends on it from their namespace only, one rule per caller', () => {
      const platform = k8sPlatform([
        { ...BASE_SERVICE, name: 'catalog', team: 'merchandising' },
        { ...BASE_SERVICE, name: 'checkout', team: 'payments', dependsOn: ['catalog'] },
        { ...BASE_SERVICE, name: 'search', team: 'merchandising', dependsOn: ['catalog'] },
        { ...BASE_SERVICE, name: 'shipping', team: 'logistics', dependsOn: ['catalog'] },
      ]);
      const objects = synth({}, { platform, service: resolveEnvironment(platform, 'catalog', 'prod') });
      const http = [{ port: 8080, protocol: 'TCP' }];
      expect(networkPolicy(objects).ingress).toEqual([
        { from: [{ podSelector: {} }], ports: http },
        { from: [inNs('payments', { 'app.kubernetes.io/name': 'checkout' })], ports: http },
        { from: [inNs('logistics', { 'app.kubernetes.io/name': 'shipping' })], ports: http },
        { from: [ns('monitoring')], ports: [{ port: 9090, protocol: 'TCP' }] },
      ]);
      expect(schemaProblems(onlyOfKind(objects, 'NetworkPolicy'))).toEqual([]);
    });
  });

  describe('bad props', () => {
    it('are all refused at once, each with the construct path, the prop, what is allowed and the value', () => {
      const error = propsError({
        allowFromNamespaces: ['web', 'Bad_Namespace'],
        runAsUser: 0,
        tmpSizeLimit: Size.kibibytes(100),
        topologyKey: 'not a key',
        terminationGracePeriod: Duration.millis(1500),
        servicePort: 0,
        disruptionBudget: { maxUnavailable: 0 },
        dns: { namespace: 'kube_system', podLabels: { 'k8s-app': 'kube dns' } },
      });
      expect(error?.message).toBe(
        [
          'Invalid MonitoredService props of "orders" (9 problems):',
          '  - [prod/orders] allowFromNamespaces[1]: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "Bad_Namespace")',
          '  - [prod/orders] runAsUser: must be an integer from 1 to 2147483647: the container may not run as root (0) (got 0)',
          '  - [prod/orders] tmpSizeLimit: must be a whole number of mebibytes, at least 1 (got "100Ki")',
          '  - [prod/orders] topologyKey: must be a Kubernetes label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." (got "not a key")',
          '  - [prod/orders] terminationGracePeriod: must be a whole number of seconds (got "1 second 500 millis")',
          '  - [prod/orders] servicePort: must be an integer from 1 to 65535 (got 0)',
          '  - [prod/orders] disruptionBudget.maxUnavailable: must be an integer from 1 to 2147483647: at 0 no node running the pods could be drained (got 0)',
          '  - [prod/orders] dns.namespace: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "kube_system")',
          '  - [prod/orders] dns.podLabels.k8s-app: must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (got "kube dns")',
        ].join('\n'),
      );
    });

    it.each<[string, Partial<MonitoredServiceProps>, string]>([
      ['runAsUser above int32', { runAsUser: 2 ** 31 }, 'runAsUser'],
      ['a fractional runAsUser', { runAsUser: 1.5 }, 'runAsUser'],
      ['a tmp limit below one mebibyte', { tmpSizeLimit: Size.kibibytes(512) }, 'tmpSizeLimit'],
      ['a servicePort above 65535', { servicePort: 65536 }, 'servicePort'],
      ['a fractional maxUnavailable', { disruptionBudget: { maxUnavailable: 1.5 } }, 'disruptionBudget.maxUnavailable'],
      ['a bad dns label key', { dns: { podLabels: { 'bad key': 'x' } } }, 'dns.podLabels.bad key'],
      ['a namespace longer than 63 characters', { allowFromNamespaces: ['a'.repeat(64)] }, 'allowFromNamespaces[0]'],
    ])('refuses %s', (_, props, path) => {
      expect(propsError(props)?.issues.map((issue) => issue.path)).toEqual([path]);
    });

    it('accepts the edges of each range', () => {
      expect(propsError({ runAsUser: 2 ** 31 - 1, tmpSizeLimit: Size.kibibytes(1024), servicePort: 65535, terminationGracePeriod: Duration.seconds(0), topologyKey: 'zone', dns: { podLabels: { 'example.com/app': '' } } })).toBeUndefined();
    });

    it('refuses a service of another platform', () => {
      const other = platformService({}, 'prod', { name: 'globex' });
      expect(propsError({ platform: ORDERS.platform, service: other.service })?.lines).toEqual([
        'service: must be a service of platform acme, from resolveEnvironment(platform, service, environment) (got "orders of platform globex")',
      ]);
    });

    it('refuses a platform that is not from definePlatform', () => {
      expect(propsError({ platform: { ...ORDERS.platform } })?.lines).toEqual(['platform: must be a platform from definePlatform (got "acme")']);
    });
  });
});
