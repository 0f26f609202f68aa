/**
 * The NetworkPolicy of one service, as a pure builder: who may reach it (pods of its
 * namespace, its callers, the ingress controller when it is exposed, Prometheus on the metrics
 * port) and whom it may reach (DNS, the services it depends on, the OTLP collector, and the
 * egress the definition declares). Namespaces deny everything else (see `namespace-chart.ts`).
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { k8s } from 'cdk8s-plus-28';
import { EffectiveService } from '../definition';
import { selectorLabels } from './labels';

/** Where cluster DNS runs. */
export interface DnsEndpoint {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default { 'k8s-app': 'kube-dns' } */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** What the NetworkPolicy of a service needs beyond the service itself. */
export interface NetworkPolicyOptions {
  /** Namespace of the ingress controller. */
  readonly ingressNamespace: string;
  /** Namespace of Prometheus. */
  readonly monitoringNamespace: string;
  /** More namespaces whose pods may call the HTTP port. */
  readonly allowFromNamespaces: readonly string[];
  /** Cluster DNS. */
  readonly dns: DnsEndpoint;
}

/** The DNS endpoint when none is given: CoreDNS as most clusters deploy it. */
export const DNS_DEFAULTS = Object.freeze({ namespace: 'kube-system', podLabels: Object.freeze({ 'k8s-app': 'kube-dns' }) });

function namespaceSelector(name: string): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } };
}

function tcp(port: number): k8s.NetworkPolicyPort {
  return { port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' };
}

/**
 * The in-cluster namespace and port of an OTLP endpoint such as
 * `http://otel-collector.observability:4317` (`<service>.<namespace>[.svc[.cluster.local]]`),
 * or undefined for an endpoint outside the cluster, which needs an `egress` rule.
 */
export function otlpPeer(endpoint: string): { namespace: string; port: number } | undefined {
  const match = /^(https?):\/\/([a-z0-9-]+)\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?(?::(\d+))?(?:\/|$)/.exec(endpoint);
  if (match === null) return undefined;
  const port = match[4] !== undefined ? Number(match[4]) : match[1] === 'https' ? 443 : 80;
  return { namespace: match[3], port };
}

/** The ingress rules of a service. */
export function ingressRules(service: EffectiveService, options: NetworkPolicyOptions): k8s.NetworkPolicyIngressRule[] {
  const rules: k8s.NetworkPolicyIngressRule[] = [];
  if (service.port !== undefined) {
    const http = [tcp(service.port)];
    rules.push({ from: [{ podSelector: {} }], ports: http });
    const namespaces = [...new Set(options.allowFromNamespaces)].sort();
    const outside = [...(service.exposed ? [namespaceSelector(options.ingressNamespace)] : []), ...namespaces.map(namespaceSelector)];
    if (outside.length > 0) rules.push({ from: outside, ports: http });
    // Services that declare `dependsOn` this one: their pods only, from their namespace.
    const callers = service.callers.filter((caller) => caller.namespace !== service.namespace);
    if (callers.length > 0) {
      rules.push({ from: callers.map((caller) => ({ ...namespaceSelector(caller.namespace), podSelector: { matchLabels: selectorLabels(caller) } })), ports: http });
    }
  }
  rules.push({ from: [namespaceSelector(options.monitoringNamespace)], ports: [tcp(service.metrics.port)] });
  return rules;
}

/** The egress rules of a service. */
export function egressRules(service: EffectiveService, options: NetworkPolicyOptions): k8s.NetworkPolicyEgressRule[] {
  const dns = { namespace: options.dns.namespace ?? DNS_DEFAULTS.namespace, podLabels: options.dns.podLabels ?? DNS_DEFAULTS.podLabels };
  const rules: k8s.NetworkPolicyEgressRule[] = [
    {
      to: [{ ...namespaceSelector(dns.namespace), podSelector: { matchLabels: { ...dns.podLabels } } }],
      ports: [
        { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
        { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
      ],
    },
  ];
  for (const callee of service.callees) {
    rules.push({ to: [{ ...namespaceSelector(callee.namespace), podSelector: { matchLabels: selectorLabels(callee) } }], ports: [tcp(callee.port)] });
  }
  const otlp = service.otlpEndpoint !== undefined ? otlpPeer(service.otlpEndpoint) : undefined;
  if (otlp !== undefined) {
    rules.push({ to: [namespaceSelector(otlp.namespace)], ports: [tcp(otlp.port)] });
  }
  for (const rule of service.egress) {
    const to: k8s.NetworkPolicyPeer = rule.cidr !== undefined ? { ipBlock: { cidr: rule.cidr } } : namespaceSelector(rule.namespace as string);
    rules.push({ to: [to], ports: rule.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: rule.protocol })) });
  }
  return rules;
}
