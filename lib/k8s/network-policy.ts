/**
 * The NetworkPolicy of one service. The pure builders plan who may reach it (pods of its
 * namespace, its callers, the ingress controller when it is exposed, Prometheus on the metrics
 * port) and whom it may reach (DNS, the services it depends on, the OTLP collector, and the
 * egress the definition declares), as plain data; `serviceNetworkPolicy` turns the plan into a
 * cdk8s-plus `NetworkPolicy` that denies everything else. Namespaces deny by default too (see
 * `namespace-chart.ts`).
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EffectiveService } from '../definition';
import { selectorLabels } from './labels';

/** Where cluster DNS runs. */
export interface DnsEndpoint {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default { 'k8s-app': 'kube-dns' } */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** What the NetworkPolicy of a service needs beyond the service itself, defaults resolved. */
export interface NetworkPolicyOptions {
  /** Namespace of the ingress controller. */
  readonly ingressNamespace: string;
  /** Namespace of Prometheus. */
  readonly monitoringNamespace: string;
  /** More namespaces whose pods may call the HTTP port. */
  readonly allowFromNamespaces: readonly string[];
  /** Cluster DNS. */
  readonly dns: Required<DnsEndpoint>;
}

/** The DNS endpoint when none is given: CoreDNS as most clusters deploy it. */
export const DNS_DEFAULTS: Required<DnsEndpoint> = Object.freeze({ namespace: 'kube-system', podLabels: Object.freeze({ 'k8s-app': 'kube-dns' }) });

/** Pods by their labels, in one namespace or, without one, in the policy's own (`{}`: all of them). */
export interface PodsPeer {
  readonly pods: Readonly<Record<string, string>>;
  readonly namespace?: string;
}

/** Every pod of some namespaces, by name. */
export interface NamespacesPeer {
  readonly namespaces: readonly string[];
}

/** An address block (IPv4 or IPv6 CIDR). */
export interface IpBlockPeer {
  readonly cidr: string;
}

/** One side of a connection a NetworkPolicy allows. */
export type NetworkPeer = PodsPeer | NamespacesPeer | IpBlockPeer;

/** A port a rule opens. */
export interface NetworkPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** One allowance: traffic from (ingress) or to (egress) a peer, on some ports. */
export interface NetworkRule {
  readonly peer: NetworkPeer;
  readonly ports: readonly NetworkPort[];
}

function tcp(port: number): NetworkPort {
  return { port, protocol: 'TCP' };
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

/**
 * Who may reach a service: on the HTTP port, every pod of its namespace, the ingress controller
 * when it is exposed and the namespaces given, and the pods of each caller (a service listing
 * it in `dependsOn`) from the caller's namespace; on the metrics port, Prometheus.
 */
export function ingressRules(service: EffectiveService, options: NetworkPolicyOptions): NetworkRule[] {
  const rules: NetworkRule[] = [];
  if (service.port !== undefined) {
    const http = [tcp(service.port)];
    rules.push({ peer: { pods: {} }, ports: http });
    const outside = new Set([...(service.exposed ? [options.ingressNamespace] : []), ...[...options.allowFromNamespaces].sort()]);
    outside.delete(service.namespace);
    if (outside.size > 0) rules.push({ peer: { namespaces: [...outside] }, ports: http });
    for (const caller of service.callers.filter((c) => c.namespace !== service.namespace)) {
      rules.push({ peer: { pods: selectorLabels(caller), namespace: caller.namespace }, ports: http });
    }
  }
  rules.push({ peer: { namespaces: [options.monitoringNamespace] }, ports: [tcp(service.metrics.port)] });
  return rules;
}

/** Egress to cluster DNS, UDP and TCP 53. */
export function dnsRule(dns: Required<DnsEndpoint>): NetworkRule {
  return { peer: { pods: dns.podLabels, namespace: dns.namespace }, ports: [{ port: 53, protocol: 'UDP' }, tcp(53)] };
}

/**
 * Whom a service may reach: cluster DNS (UDP and TCP 53), the HTTP port of each service it
 * depends on, the OTLP collector when it runs in the cluster, and the declared `egress`.
 */
export function egressRules(service: EffectiveService, options: NetworkPolicyOptions): NetworkRule[] {
  const rules: NetworkRule[] = [dnsRule(options.dns)];
  for (const callee of service.callees) {
    rules.push({ peer: { pods: selectorLabels(callee), namespace: callee.namespace }, ports: [tcp(callee.port)] });
  }
  const otlp = service.otlpEndpoint !== undefined ? otlpPeer(service.otlpEndpoint) : undefined;
  if (otlp !== undefined) {
    rules.push({ peer: { namespaces: [otlp.namespace] }, ports: [tcp(otlp.port)] });
  }
  for (const rule of service.egress) {
    const peer: NetworkPeer = rule.cidr !== undefined ? { cidr: canonicalCidr(rule.cidr) } : { namespaces: [rule.namespace as string] };
    rules.push({ peer, ports: rule.ports.map((port) => ({ port, protocol: rule.protocol })) });
  }
  return rules;
}

/**
 * A CIDR block as cdk8s-plus-28 accepts it: IPv4 as written, IPv6 in the canonical form of
 * RFC 5952 (lower case, the longest run of zero groups compressed), which is the only form its
 * IPv6 check is sure to accept (it refuses upper case and `1:2:3:4:5:6:7::`).
 * @see https://www.rfc-editor.org/rfc/rfc5952#section-4
 */
export function canonicalCidr(cidr: string): string {
  const slash = cidr.lastIndexOf('/');
  const address = cidr.slice(0, slash);
  if (!address.includes(':')) return cidr;
  // The WHATWG URL parser serializes an IPv6 host in exactly that form.
  return `${new URL(`http://[${address}]/`).hostname.slice(1, -1)}${cidr.slice(slash)}`;
}

/** What `serviceNetworkPolicy` needs. */
export interface ServiceNetworkPolicyProps {
  /** Name, namespace and labels of the policy. */
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  /** Labels of the pods the policy applies to. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The traffic the pods may receive. */
  readonly ingress: readonly NetworkRule[];
  /** The traffic the pods may send. */
  readonly egress: readonly NetworkRule[];
}

/**
 * A cdk8s-plus `NetworkPolicy` that denies the pods all ingress and egress but the rules given,
 * each rule a peer of its own.
 */
export function serviceNetworkPolicy(scope: Construct, id: string, props: ServiceNetworkPolicyProps): kplus.NetworkPolicy {
  const policy = new kplus.NetworkPolicy(scope, id, {
    metadata: { ...props.metadata, labels: { ...props.metadata.labels } },
    selector: kplus.Pods.select(scope, `${id}-pods`, { labels: { ...props.podLabels } }),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  props.ingress.forEach((rule, i) => policy.addIngressRule(peerOf(policy, `ingress-${i}`, rule.peer), rule.ports.map(portOf)));
  props.egress.forEach((rule, i) => policy.addEgressRule(peerOf(policy, `egress-${i}`, rule.peer), rule.ports.map(portOf)));
  return policy;
}

function peerOf(scope: Construct, id: string, peer: NetworkPeer): kplus.INetworkPolicyPeer {
  if ('cidr' in peer) {
    return peer.cidr.includes(':') ? kplus.NetworkPolicyIpBlock.ipv6(scope, id, peer.cidr) : kplus.NetworkPolicyIpBlock.ipv4(scope, id, peer.cidr);
  }
  if ('namespaces' in peer) {
    return kplus.Namespaces.select(scope, id, { names: [...peer.namespaces] });
  }
  const namespaces = peer.namespace === undefined ? undefined : kplus.Namespaces.select(scope, `${id}-namespace`, { names: [peer.namespace] });
  return kplus.Pods.select(scope, id, { labels: { ...peer.pods }, namespaces });
}

function portOf(port: NetworkPort): kplus.NetworkPolicyPort {
  return kplus.NetworkPolicyPort.of({ port: port.port, protocol: port.protocol === 'UDP' ? kplus.NetworkProtocol.UDP : kplus.NetworkProtocol.TCP });
}
