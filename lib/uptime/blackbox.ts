/**
 * The platform's blackbox exporter: where Prometheus reaches it, and the module that checks a
 * public host the way Cloud Monitoring's uptime check does (HTTPS GET, 2xx, certificate
 * verified, no redirects followed, IPv4).
 * @see https://github.com/prometheus/blackbox_exporter/blob/master/CONFIGURATION.md
 */
import { DNS_SUBDOMAIN } from '../definition/checks';
import { DefinitionError, DefinitionIssue, PlatformDefinition } from '../definition';
import { toYaml } from '../private/yaml';

/**
 * Where the platform's blackbox exporter runs and which of its modules checks public hosts.
 * Meant to become the platform field `blackbox`; until then passed to the uptime constructs.
 */
export interface BlackboxInput {
  /**
   * Address of the exporter as Prometheus reaches it, `host:port` without a scheme (the
   * `Probe`'s `spec.prober.url`).
   * @default 'blackbox-exporter.<monitoringNamespace>:9115'
   */
  readonly prober?: string;
  /**
   * The exporter module probing public hosts; it must exist in the exporter's configuration
   * (`blackboxConfig` renders one that matches Cloud Monitoring's check).
   * @default 'http_2xx'
   */
  readonly module?: string;
}

/** Normalized blackbox exporter settings. */
export interface Blackbox {
  readonly prober: string;
  readonly module: string;
}

/** Blackbox settings when none are given: the only source of the `@default`s above. */
export const BLACKBOX_DEFAULTS = Object.freeze({
  /** Service name of the exporter in the monitoring namespace. */
  service: 'blackbox-exporter',
  /** The exporter's default port. */
  port: 9115,
  module: 'http_2xx',
  /** The exporter's probe endpoint. */
  path: '/probe',
  /** How long one probe may take: Cloud Monitoring's uptime check timeout. */
  timeout: '10s',
});

const MODULE_NAME = /^[A-Za-z0-9_-]{1,63}$/;
const MODULE_PROBLEM = 'must be a blackbox exporter module name: 1-63 letters, digits, "-" or "_"';
const PROBER_PROBLEM = 'must be host:port without a scheme, such as blackbox-exporter.monitoring:9115 (the Probe\'s spec.prober.url)';

/** The problem with a prober address, or undefined when it is `host:port`. */
function proberProblem(prober: unknown): string | undefined {
  if (typeof prober !== 'string') return PROBER_PROBLEM;
  const match = /^([^:]+):(\d{1,5})$/.exec(prober);
  if (match === null) return PROBER_PROBLEM;
  const [, host, port] = match;
  if (host.length > 253 || !DNS_SUBDOMAIN.test(host)) return PROBER_PROBLEM;
  const number = Number(port);
  return number >= 1 && number <= 65535 && String(number) === port ? undefined : `${PROBER_PROBLEM}; the port must be 1-65535`;
}

/**
 * The blackbox settings of a platform, defaults filled: the exporter in the platform's
 * monitoring namespace, module `http_2xx`. Throws a `DefinitionError` naming every bad field.
 * @param where construct path the message starts with, e.g. `prod/checkout/uptime`
 */
export function blackboxSettings(platform: Pick<PlatformDefinition, 'monitoringNamespace'>, input: BlackboxInput = {}, where?: string): Blackbox {
  const issues: DefinitionIssue[] = [];
  const prober = input.prober ?? `${BLACKBOX_DEFAULTS.service}.${platform.monitoringNamespace}:${BLACKBOX_DEFAULTS.port}`;
  const module = input.module ?? BLACKBOX_DEFAULTS.module;
  const problem = proberProblem(prober);
  if (problem !== undefined) issues.push({ path: 'blackbox.prober', problem, value: prober });
  if (typeof module !== 'string' || !MODULE_NAME.test(module)) issues.push({ path: 'blackbox.module', problem: MODULE_PROBLEM, value: module });
  if (issues.length > 0) throw new DefinitionError('blackbox exporter settings', issues, where);
  return { prober, module };
}

/** Options of `blackboxConfig`. */
export interface BlackboxConfigOptions {
  /**
   * Whether a plain-HTTP answer fails the probe. Only a test against a local plain-HTTP server
   * turns this off; public hosts are checked over HTTPS like Cloud Monitoring does.
   * @default true
   */
  readonly requireTls?: boolean;
}

/**
 * The blackbox exporter configuration holding the module that checks public hosts: an HTTP GET
 * that passes on 2xx only, does not follow redirects, verifies the certificate, fails on plain
 * HTTP, prefers IPv4 (falling back to IPv6) and gives up after Cloud Monitoring's 10 seconds. Mount it as the
 * exporter's `--config.file`.
 * @see https://github.com/prometheus/blackbox_exporter/blob/master/CONFIGURATION.md#http_probe
 * @example
 * fs.writeFileSync('blackbox.yml', renderBlackboxConfig(blackboxSettings(platform)));
 */
export function blackboxConfig(settings: Pick<Blackbox, 'module'>, options: BlackboxConfigOptions = {}): { modules: Record<string, unknown> } {
  return {
    modules: {
      [settings.module]: {
        prober: 'http',
        timeout: BLACKBOX_DEFAULTS.timeout,
        http: {
          method: 'GET',
          // Empty: any 2xx, what Cloud Monitoring's STATUS_CLASS_2XX accepts.
          valid_status_codes: [],
          follow_redirects: false,
          fail_if_not_ssl: options.requireTls ?? true,
          preferred_ip_protocol: 'ip4',
          tls_config: { insecure_skip_verify: false },
        },
      },
    },
  };
}

/** `blackboxConfig` as the YAML file the exporter reads. */
export function renderBlackboxConfig(settings: Pick<Blackbox, 'module'>, options: BlackboxConfigOptions = {}): string {
  return toYaml(blackboxConfig(settings, options));
}
