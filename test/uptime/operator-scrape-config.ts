import { KubeObject } from '../support/schema';

/** The fields of a synthesized Probe that prometheus-operator reads for a static target. */
export type ProbeManifest = KubeObject & {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly jobName?: string;
    readonly interval?: string;
    readonly scrapeTimeout?: string;
    readonly module?: string;
    readonly prober: { readonly url: string; readonly scheme?: string; readonly path?: string };
    readonly targets: { readonly staticConfig: { readonly static: readonly string[]; readonly labels?: Readonly<Record<string, string>> } };
  };
};

/** Scrape timings that replace the Probe's in a test, so it need not wait for minutes. */
export interface ScrapeTimings {
  readonly scrape_interval: string;
  readonly scrape_timeout: string;
}

/**
 * The Prometheus scrape job prometheus-operator (v0.93) generates from a Probe with a static
 * target (`generateProbeConfig` in `pkg/prometheus/promcfg.go`): job `probe/<ns>/<name>`,
 * the module as a parameter, the static labels plus `namespace`, then relabelings that keep the
 * original job, set `job` to `spec.jobName`, pass the target as `__param_target` and
 * `instance`, and send the scrape to the prober. Only the timings can be replaced.
 * @see https://github.com/prometheus-operator/prometheus-operator/blob/v0.93.0/pkg/prometheus/promcfg.go
 */
export function probeScrapeConfig(probe: ProbeManifest, timings?: ScrapeTimings): Record<string, unknown> {
  const { metadata, spec } = probe;
  const labels = { ...spec.targets.staticConfig.labels };
  labels.namespace ??= metadata.namespace;
  return {
    job_name: `probe/${metadata.namespace}/${metadata.name}`,
    honor_timestamps: true,
    metrics_path: spec.prober.path ?? '/probe',
    scrape_interval: timings?.scrape_interval ?? spec.interval,
    scrape_timeout: timings?.scrape_timeout ?? spec.scrapeTimeout,
    scheme: spec.prober.scheme ?? 'http',
    ...(spec.module === undefined ? {} : { params: { module: [spec.module] } }),
    static_configs: [{ targets: [...spec.targets.staticConfig.static], labels }],
    relabel_configs: [
      { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' },
      ...(spec.jobName === undefined ? [] : [{ target_label: 'job', replacement: spec.jobName }]),
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: spec.prober.url },
    ],
  };
}
