/**
 * The platform's blackbox exporter: where Prometheus reaches it, and the module that checks a
 * public host the way Cloud Monitoring's uptime check does (HTTPS GET, 2xx, certificate
 * verified, no redirects followed, IPv4).
 * @see https://github.com/prometheus/blackbox_exporter/blob/master/CONFIGURATION.md
 */
import { BlackboxInput, DefinitionError, DefinitionIssue, PlatformDefinition, moduleProblem, proberProblem } from '../definition';
import { toYaml } from '../private/yaml';

export type { BlackboxInput };

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

/**
 * The blackbox settings of a platform, defaults filled: the exporter in the platform's
 * monitoring namespace, module `http_2xx`. Throws a `DefinitionError` naming every bad field.
 * @param where construct path the message starts with, e.g. `prod/checkout/uptime`
 */
export function blackboxSettings(platform: Pick<PlatformDefinition, 'monitoringNamespace' | 'blackbox'>, input: BlackboxInput = platform.blackbox ?? {}, where?: string): Blackbox {
  const issues: DefinitionIssue[] = [];
  const prober = input.prober ?? `${BLACKBOX_DEFAULTS.service}.${platform.monitoringNamespace}:${BLACKBOX_DEFAULTS.port}`;
  const module = input.module ?? BLACKBOX_DEFAULTS.module;
  const problem = proberProblem(prober);
  if (problem !== undefined) issues.push({ path: 'blackbox.prober', problem, value: prober });
  const badModule = moduleProblem(module);
  if (badModule !== undefined) issues.push({ path: 'blackbox.module', problem: badModule, value: module });
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
