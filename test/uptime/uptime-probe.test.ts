import { Testing } from 'cdk8s';
import { PlatformDefinition } from '../../lib/definition';
import { UptimeProbe, UptimeProbeProps, uptimeProbePlan } from '../../lib/uptime';
import { KubeObject, crdProblems, schemaProblems } from '../support/schema';
import { definitionErrorOf } from '../support/tools';
import { PUBLIC_HOST, checkout, uptimePlatform } from './fixtures';

type ProbeManifest = KubeObject & {
  spec: {
    jobName: string;
    interval: string;
    scrapeTimeout: string;
    module: string;
    prober: { url: string; scheme: string; path: string };
    targets: { staticConfig: { static: string[]; labels: Record<string, string> } };
  };
};

function synth(platform: PlatformDefinition, props: Partial<UptimeProbeProps> = {}, environment = 'prod'): { uptime: UptimeProbe; objects: ProbeManifest[] } {
  const chart = Testing.chart();
  const uptime = new UptimeProbe(chart, 'uptime', { platform, service: checkout(platform, environment), ...props });
  return { uptime, objects: Testing.synth(chart) as ProbeManifest[] };
}

describe('UptimeProbe', () => {
  const platform = uptimePlatform({}, { monitoringLabels: { release: 'kube-prometheus' } });
  const { uptime, objects } = synth(platform);
  const [probe] = objects;

  it('synthesizes one Probe named after the service, in its namespace', () => {
    expect(objects).toHaveLength(1);
    expect(probe.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(probe.kind).toBe('Probe');
    expect(probe.metadata.name).toBe('checkout');
    expect(probe.metadata.namespace).toBe(checkout(platform).namespace);
  });

  it('puts the platform monitoringLabels on the Probe next to its own labels', () => {
    expect(probe.metadata.labels).toEqual({
      'app.kubernetes.io/component': 'uptime-probe',
      'app.kubernetes.io/managed-by': 'ops-constructs',
      'app.kubernetes.io/name': 'checkout',
      'app.kubernetes.io/part-of': 'shop',
      release: 'kube-prometheus',
      team: 'payments',
    });
  });

  it('takes other labels instead of the monitoringLabels when given, none with {}', () => {
    expect(synth(platform, { labels: { prometheus: 'edge' } }).objects[0].metadata.labels).toMatchObject({ prometheus: 'edge' });
    expect(synth(platform, { labels: { prometheus: 'edge' } }).objects[0].metadata.labels).not.toHaveProperty('release');
    expect(synth(platform, { labels: {} }).objects[0].metadata.labels).not.toHaveProperty('release');
  });

  it('probes the public host through the blackbox exporter at the uptime check period', () => {
    expect(probe.spec).toEqual({
      jobName: 'uptime',
      interval: '60s',
      scrapeTimeout: '10s',
      module: 'http_2xx',
      prober: { url: 'blackbox-exporter.monitoring:9115', scheme: 'http', path: '/probe' },
      targets: { staticConfig: { static: [`https://${PUBLIC_HOST}/`], labels: { namespace: probe.metadata.namespace, service: 'checkout', team: 'payments' } } },
    });
  });

  it('takes the prober and module given', () => {
    const [custom] = synth(platform, { blackbox: { prober: 'prober.edge:9000', module: 'https_public' } }).objects;
    expect(custom.spec.prober.url).toBe('prober.edge:9000');
    expect(custom.spec.module).toBe('https_public');
  });

  it('exposes the plan and the alert group for the service rules', () => {
    expect(uptime.plan).toEqual(uptimeProbePlan(platform, checkout(platform), { where: uptime.node.path }));
    expect(uptime.groups.map((g) => g.name)).toEqual(['checkout-uptime']);
    expect(uptime.probe?.kind).toBe('Probe');
  });

  it('validates against the vendored Probe CRD and the Probe model, for every period', () => {
    expect(crdProblems(probe)).toEqual([]);
    expect(schemaProblems(probe)).toEqual([]);
    for (const period of ['60s', '300s', '600s', '900s']) {
      const [other] = synth(uptimePlatform({ uptimeCheck: { period, path: '/status', severity: 'low' } })).objects;
      expect(schemaProblems(other)).toEqual([]);
    }
  });

  it('the CRD check catches a Probe the API server would refuse', () => {
    const broken = { ...probe, spec: { ...probe.spec, interval: '1 minute' } };
    expect(crdProblems(broken).join('\n')).toContain('/spec/interval must match pattern');
  });

  it('adds nothing for a service without a public host', () => {
    const internal = synth(uptimePlatform({ gcp: { project: 'shop-prod-4821' } }));
    expect(internal.objects).toEqual([]);
    expect(internal.uptime.probe).toBeUndefined();
    expect(internal.uptime.plan).toBeUndefined();
    expect(internal.uptime.groups).toEqual([]);
  });

  it('refuses bad blackbox settings naming the construct path', () => {
    expect(definitionErrorOf(() => synth(platform, { blackbox: { prober: 'https://blackbox:9115' } }))).toContain(
      '[test/uptime] blackbox.prober: must be host:port without a scheme',
    );
  });

  it('synthesizes the same manifest every time', () => {
    expect(JSON.stringify(synth(uptimePlatform({}, { monitoringLabels: { release: 'kube-prometheus' } })).objects)).toBe(JSON.stringify(objects));
  });

  it('matches the snapshot, for review', () => {
    expect(probe).toMatchSnapshot();
  });
});
