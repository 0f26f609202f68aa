import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { platform } from '../../apps/platform';
import { effectiveServices } from '../../lib/definition';
import { parseMatchers } from '../../lib/promql/build';
import { formatGoFloat } from '../../lib/private/go-float';
import { toYaml } from '../../lib/private/yaml';
import { bucketMatcher } from '../../lib/prometheus/sli';
import { serviceRuleGroups } from '../../lib/prometheus';
import { isAlertingRule } from '../../lib/prometheus/rule-group';
import { describeWithTool, runTool } from '../support/tools';

/**
 * Every value of the example platform that a consumer parses is parsed here by that consumer:
 * URLs and time zones by Alertmanager (Go's url.Parse and time.LoadLocation), regular
 * expressions by Prometheus (RE2), histogram bounds against series labelled as the Go client
 * labels them.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ops-consumers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const services = effectiveServices(platform);

function urlsOfPlatform(): string[] {
  const urls = new Set<string>([platform.runbookBaseUrl, platform.dashboardBaseUrl, platform.prometheusUrl]);
  for (const env of platform.environments) if (env.otlpEndpoint) urls.add(env.otlpEndpoint);
  for (const receiver of Object.values(platform.receivers)) if (receiver.type === 'webhook') urls.add(receiver.url);
  for (const service of services) {
    for (const group of serviceRuleGroups(platform, service)) {
      for (const rule of group.rules) {
        if (isAlertingRule(rule)) {
          urls.add(rule.annotations.runbook_url);
          urls.add(rule.annotations.dashboard_url);
        }
      }
    }
  }
  return [...urls].sort();
}

describeWithTool('amtool', 'values of the example platform read by Alertmanager', () => {
  it('parses every URL of the platform and of every alert link with Go url.Parse', () => {
    const urls = urlsOfPlatform();
    expect(urls.length).toBeGreaterThan(10);
    const config = {
      route: { receiver: 'r0' },
      receivers: urls.map((url, i) => ({ name: `r${i}`, webhook_configs: [{ url }] })),
    };
    writeFileSync(join(dir, 'urls.yml'), toYaml(config));
    const result = runTool('amtool', ['check-config', 'urls.yml'], dir);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('refuses, like the definition, a URL Go cannot parse (the check above can fail)', () => {
    writeFileSync(join(dir, 'bad-url.yml'), toYaml({ route: { receiver: 'r' }, receivers: [{ name: 'r', webhook_configs: [{ url: 'http://host/%zz' }] }] }));
    expect(runTool('amtool', ['check-config', 'bad-url.yml'], dir).status).not.toBe(0);
  });

  it('loads the business-hours time zone with Go time.LoadLocation, and refuses a mis-cased one', () => {
    const config = (location: string) =>
      toYaml({ route: { receiver: 'r' }, receivers: [{ name: 'r' }], time_intervals: [{ name: 'hours', time_intervals: [{ weekdays: ['monday'], location }] }] });
    writeFileSync(join(dir, 'tz.yml'), config(platform.businessHours.timezone));
    expect(runTool('amtool', ['check-config', 'tz.yml'], dir).status).toBe(0);
    writeFileSync(join(dir, 'tz-bad.yml'), config(platform.businessHours.timezone.toLowerCase()));
    expect(runTool('amtool', ['check-config', 'tz-bad.yml'], dir).status).not.toBe(0);
  });
});

describeWithTool('promtool', 'values of the example platform read by Prometheus', () => {
  it('compiles every regular expression of every SLO selector as RE2', () => {
    const regexes = services.flatMap((s) =>
      s.slos.flatMap((slo) => {
        const selectors = slo.kind === 'availability' ? [slo.badSelector, slo.totalSelector] : slo.kind === 'latency' ? [slo.selector] : [];
        return selectors.flatMap((sel) => (parseMatchers(sel) ?? []).filter((m) => m.op === '=~' || m.op === '!~'));
      }),
    );
    expect(regexes.length).toBeGreaterThan(0);
    const rules = { groups: [{ name: 'regexes', rules: regexes.map((m, i) => ({ record: `regex_${i}`, expr: `up{${m.name}${m.op}${JSON.stringify(m.value)}}` })) }] };
    writeFileSync(join(dir, 'regex.rules.yaml'), toYaml(rules));
    const result = runTool('promtool', ['check', 'rules', 'regex.rules.yaml'], dir);
    expect(result.output).toContain('SUCCESS');
  });

  it('selects each latency bucket on series whose le is written as the Go client writes it', () => {
    const latency = services.find((s) => s.environment === 'prod' && s.slos.some((slo) => slo.kind === 'latency'))!;
    const buckets = [...latency.metrics.latencyBuckets, 0.00005, 0.000001];
    const metric = `${latency.metrics.latencyMetric}_bucket`;
    const tests = {
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: buckets.map((b) => ({ series: `${metric}{le="${formatGoFloat(b)}"}`, values: `${b}` })),
          promql_expr_test: buckets.map((b) => ({
            expr: `${metric}{${bucketMatcher(b)}}`,
            eval_time: '0m',
            exp_samples: [{ labels: `${metric}{le="${formatGoFloat(b)}"}`, value: b }],
          })),
        },
      ],
    };
    writeFileSync(join(dir, 'le.test.yaml'), toYaml(tests));
    const result = runTool('promtool', ['test', 'rules', 'le.test.yaml'], dir);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    expect(formatGoFloat(0.00005)).toBe('5e-05');
  });
});
