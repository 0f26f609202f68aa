/**
 * Who a service talks to beyond what the definition already says: traffic from outside the
 * cluster (through the ingress controller) and egress to addresses outside the platform.
 * Calls between services come from `dependsOn`; DNS and the OpenTelemetry collector are
 * allowed by the library.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { Checks, DNS_LABEL_PROBLEM, PORT_PROBLEM } from './checks';
import { list, num, obj, oneOf, str } from './shape';

/** One egress allowance: a CIDR block or a namespace, on some ports. */
export interface EgressRuleInput {
  /** An IPv4 or IPv6 CIDR block, e.g. `10.20.0.0/16`. Give this or `namespace`. @default none */
  readonly cidr?: string;
  /** A namespace of the cluster, all its pods. Give this or `cidr`. @default none */
  readonly namespace?: string;
  /** The destination ports. */
  readonly ports: readonly number[];
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** A normalized egress allowance. */
export interface EgressRule {
  readonly cidr?: string;
  readonly namespace?: string;
  readonly ports: readonly number[];
  readonly protocol: 'TCP' | 'UDP';
}

/** Network settings when a definition gives none: the only source of the `@default`s. */
export const NETWORK_DEFAULTS = Object.freeze({ protocol: 'TCP' as const, maxEgressRules: 20 });

const CIDR_PROBLEM = 'must be an IPv4 or IPv6 CIDR block such as 10.20.0.0/16';

/** Schema of `egress`. */
export const egressSchema = list(
  obj({ cidr: str(CIDR_PROBLEM).optional(), namespace: str(DNS_LABEL_PROBLEM).optional(), ports: list(num(PORT_PROBLEM), 'must be a list of ports'), protocol: oneOf(['TCP', 'UDP']).optional() }),
);

function isCidr(text: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255 && String(Number(o)) === o) && Number(v4[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  if (!v6 || Number(v6[2]) > 128) return false;
  const groups = v6[1].split('::');
  if (groups.length > 2) return false;
  const parts = groups.flatMap((g) => (g === '' ? [] : g.split(':')));
  return parts.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p)) && (groups.length === 2 ? parts.length < 8 : parts.length === 8);
}

/** Checks the egress allowances. */
export function checkEgress(k: Checks, egress: readonly EgressRuleInput[] | undefined): void {
  const rules = egress ?? [];
  if (rules.length > NETWORK_DEFAULTS.maxEgressRules) {
    k.c.add('egress', `must hold at most ${NETWORK_DEFAULTS.maxEgressRules} rules (has ${rules.length})`, `<${rules.length} rules>`);
    return;
  }
  rules.forEach((rule, i) => {
    const field = `egress[${i}]`;
    if ((rule.cidr === undefined) === (rule.namespace === undefined)) {
      k.c.add(field, 'must give exactly one of cidr and namespace', rule);
    }
    if (rule.cidr !== undefined && !isCidr(rule.cidr)) k.c.add(`${field}.cidr`, CIDR_PROBLEM, rule.cidr);
    if (rule.cidr !== undefined && /^0\.0\.0\.0\/0$|^::\/0$/.test(rule.cidr)) {
      k.c.add(`${field}.cidr`, 'must not open egress to every address; name the networks the service calls', rule.cidr);
    }
    if (rule.namespace !== undefined) k.label(`${field}.namespace`, rule.namespace);
    if (rule.ports.length === 0) k.c.add(`${field}.ports`, 'must list at least one port', rule.ports);
    rule.ports.forEach((port, p) => k.port(`${field}.ports[${p}]`, port));
  });
}

/** Fills the egress defaults, rules in the order written, ports sorted. */
export function normalizeEgress(egress: readonly EgressRuleInput[] | undefined): EgressRule[] {
  return (egress ?? []).map((rule) => ({
    ...(rule.cidr !== undefined ? { cidr: rule.cidr } : {}),
    ...(rule.namespace !== undefined ? { namespace: rule.namespace } : {}),
    ports: [...new Set(rule.ports)].sort((a, b) => a - b),
    protocol: rule.protocol ?? NETWORK_DEFAULTS.protocol,
  }));
}
