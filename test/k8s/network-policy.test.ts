import { Testing } from 'cdk8s';
import { resolveEnvironment } from '../../lib';
import { DNS_DEFAULTS, NetworkPolicyOptions, canonicalCidr, egressRules, ingressRules, otlpPeer, serviceNetworkPolicy } from '../../lib/k8s';
import { BASE_SERVICE } from '../fixtures/services';
import { k8sPlatform, platformService } from '../fixtures/k8s-services';
import { KubeObject, schemaProblems } from '../support/schema';

const OPTIONS: NetworkPolicyOptions = { ingressNamespace: 'ingress-nginx', monitoringNamespace: 'monitoring', allowFromNamespaces: [], dns: DNS_DEFAULTS };
const HTTP = [{ port: 8080, protocol: 'TCP' }];

describe('ingressRules', () => {
  it('admits the own namespace to HTTP and Prometheus to the metrics port', () => {
    expect(ingressRules(platformService().service, OPTIONS)).toEqual([
      { peer: { pods: {} }, ports: HTTP },
      { peer: { namespaces: ['monitoring'] }, ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
  });

  it('admits the ingress controller first, then the namespaces given, sorted, once each and never the own', () => {
    const rules = ingressRules(platformService({ exposed: true }).service, { ...OPTIONS, allowFromNamespaces: ['web', 'shop', 'api', 'ingress-nginx'] });
    expect(rules[1]).toEqual({ peer: { namespaces: ['ingress-nginx', 'api', 'web'] }, ports: HTTP });
  });

  it('admits each caller from another namespace by its pods, and leaves callers of the own namespace to the namespace rule', () => {
    const platform = k8sPlatform([
      { ...BASE_SERVICE, name: 'catalog', team: 'merchandising' },
      { ...BASE_SERVICE, name: 'checkout', team: 'payments', dependsOn: ['catalog'] },
      { ...BASE_SERVICE, name: 'search', team: 'merchandising', dependsOn: ['catalog'] },
    ]);
    const rules = ingressRules(resolveEnvironment(platform, 'catalog', 'prod'), OPTIONS);
    expect(rules.map((r) => r.peer)).toEqual([{ pods: {} }, { pods: { 'app.kubernetes.io/name': 'checkout' }, namespace: 'payments' }, { namespaces: ['monitoring'] }]);
  });

  it('opens only the metrics port of a service without HTTP', () => {
    expect(ingressRules(platformService({ port: undefined, component: 'worker', metrics: { port: 9100 } }).service, { ...OPTIONS, allowFromNamespaces: ['web'] })).toEqual([
      { peer: { namespaces: ['monitoring'] }, ports: [{ port: 9100, protocol: 'TCP' }] },
    ]);
  });
});

describe('egressRules', () => {
  it('lets a service without dependencies reach only DNS, and the collector where the environment has one', () => {
    const dns = { peer: { pods: { 'k8s-app': 'kube-dns' }, namespace: 'kube-system' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };
    expect(egressRules(platformService({}, 'dev').service, OPTIONS)).toEqual([dns]);
    expect(egressRules(platformService().service, OPTIONS)).toEqual([dns, { peer: { namespaces: ['observability'] }, ports: [{ port: 4317, protocol: 'TCP' }] }]);
  });

  it('takes the DNS endpoint from the options', () => {
    expect(egressRules(platformService({}, 'dev').service, { ...OPTIONS, dns: { namespace: 'dns', podLabels: { app: 'coredns' } } })[0].peer).toEqual({ pods: { app: 'coredns' }, namespace: 'dns' });
  });

  it('writes the declared egress with its protocol, IPv6 blocks in canonical form', () => {
    const service = platformService({ egress: [{ cidr: '2001:DB8:0:0:0:0:0:0/32', ports: [53], protocol: 'UDP' }, { namespace: 'vault', ports: [8200, 8201] }] }, 'dev').service;
    expect(egressRules(service, OPTIONS).slice(1)).toEqual([
      { peer: { cidr: '2001:db8::/32' }, ports: [{ port: 53, protocol: 'UDP' }] },
      { peer: { namespaces: ['vault'] }, ports: [{ port: 8200, protocol: 'TCP' }, { port: 8201, protocol: 'TCP' }] },
    ]);
  });
});

describe('otlpPeer', () => {
  it.each([
    ['http://otel-collector.observability:4317', { namespace: 'observability', port: 4317 }],
    ['https://collector.telemetry.svc.cluster.local/v1', { namespace: 'telemetry', port: 443 }],
    ['http://collector.telemetry.svc', { namespace: 'telemetry', port: 80 }],
    ['https://otlp.example.com.:4317', undefined],
    ['https://api.honeycomb.io', undefined],
  ])('reads %s', (endpoint, peer) => {
    expect(otlpPeer(endpoint)).toEqual(peer);
  });
});

describe('canonicalCidr', () => {
  it.each([
    ['10.20.0.0/16', '10.20.0.0/16'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['1:2:3:4:5:6:7::/64', '1:2:3:4:5:6:7:0/64'],
    ['fd00:0:0:0:0:0:0:0/8', 'fd00::/8'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
  ])('writes %s as %s', (cidr, canonical) => {
    expect(canonicalCidr(cidr)).toBe(canonical);
  });
});

describe('serviceNetworkPolicy', () => {
  it('denies both directions but the rules, one peer each, as Kubernetes accepts it', () => {
    const chart = Testing.chart();
    serviceNetworkPolicy(chart, 'policy', {
      metadata: { name: 'orders', namespace: 'shop', labels: { team: 'shop' } },
      podLabels: { 'app.kubernetes.io/name': 'orders' },
      ingress: [{ peer: { pods: {} }, ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [{ peer: { cidr: '1:2:3:4:5:6:7:0/64' }, ports: [{ port: 53, protocol: 'UDP' }] }, { peer: { namespaces: ['a', 'b'] }, ports: [] }],
    });
    const [policy] = Testing.synth(chart) as KubeObject[];
    expect(policy.metadata).toEqual({ name: 'orders', namespace: 'shop', labels: { team: 'shop' } });
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
      policyTypes: ['Egress', 'Ingress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [
        { to: [{ ipBlock: { cidr: '1:2:3:4:5:6:7:0/64' } }], ports: [{ port: 53, protocol: 'UDP' }] },
        { to: ['a', 'b'].map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } }, podSelector: {} })), ports: [] },
      ],
    });
    expect(schemaProblems(policy)).toEqual([]);
  });

  it('denies everything when there are no rules', () => {
    const chart = Testing.chart();
    serviceNetworkPolicy(chart, 'policy', { metadata: { name: 'x', namespace: 'shop', labels: {} }, podLabels: { app: 'x' }, ingress: [], egress: [] });
    expect((Testing.synth(chart) as KubeObject[])[0].spec).toEqual({ podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Egress', 'Ingress'] });
  });
});
