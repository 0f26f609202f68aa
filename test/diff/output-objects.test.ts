import { diffOutputs, fieldChanges, formatPath, itemIdentity, outputObjects } from '../../lib/diff';

const stack = (threshold: number, channel: string): string =>
  JSON.stringify({
    '//': { metadata: { backend: 'local', stackName: 'shop-prod', version: '0.21.0' } },
    provider: { google: [{}] },
    resource: {
      google_monitoring_alert_policy: {
        'orders_burn-rate_0A1B2C3D': {
          '//': { metadata: { path: 'shop-prod/orders/burn-rate-availability-1h-5m', uniqueId: 'orders_burn-rate_0A1B2C3D' } },
          conditions: [{ condition_threshold: { duration: '60s', threshold_value: threshold }, display_name: `burn rate above ${threshold}` }],
          notification_channels: [channel],
        },
      },
      google_monitoring_notification_channel: { 'channels_pager_1234ABCD': { '//': { metadata: { path: 'shop-prod/notification-channels/pager' } }, type: 'pagerduty' } },
    },
    terraform: { backend: { local: { path: 'terraform.shop-prod.tfstate' } } },
  });

const files = [
  { path: 'k8s/prod/orders.k8s.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n  namespace: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: board\n  namespace: monitoring\ndata:\n  board.json: \'{"panels":[{"title":"Errors","targets":[{"refId":"A","expr":"up"}]}]}\'\n' },
  { path: 'k8s/prod/namespaces/shop.k8s.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n' },
  { path: 'prometheus/prod/orders.rules.yaml', text: 'groups:\n  - name: orders\n    rules: []\n' },
  { path: 'prometheus/prod/jobs/orders.rules.yaml', text: 'groups:\n  - name: orders-jobs\n    rules: []\n' },
  { path: 'prometheus/prod/platform/jobs.rules.yaml', text: 'groups:\n  - name: cleanup\n    rules: []\n' },
  { path: 'grafana/prod/fleet.json', text: '{"uid":"shop_prod"}' },
  { path: 'alertmanager/prod/alertmanager.yml', text: 'route:\n  receiver: pager\n' },
  { path: 'gcp/stacks/shop-prod/cdk.tf.json', text: stack(14.4, 'pager') },
  { path: 'notes.txt', text: 'hello' },
  { path: 'loki/prod/broken.rules.yaml', text: 'groups: [\n' },
];

describe('the objects of an output', () => {
  const objects = outputObjects(files);
  const byKey = new Map(objects.map((o) => [o.key, o]));

  it('reads a runbook page by its sections and places it with its service, and an index with the platform', () => {
    const pages = outputObjects([
      ...files,
      { path: 'runbooks/prod/services/orders/alerts/service-down.md', text: '# ServiceDown: orders in prod\n\nFacts.\n\n## Trigger\n\n```promql\n## not a heading\n```\n\n## Impact\n\nAll of it.\n' },
      { path: 'runbooks/prod/index.md', text: '# Runbooks of shop in prod\n' },
    ]);
    expect(pages.find((o) => o.file === 'runbooks/prod/services/orders/alerts/service-down.md')).toMatchObject({
      kind: 'runbook page',
      environment: 'prod',
      scope: 'orders',
      content: { title: '# ServiceDown: orders in prod\n\nFacts.', Trigger: '```promql\n## not a heading\n```', Impact: 'All of it.' },
    });
    expect(pages.find((o) => o.file === 'runbooks/prod/index.md')).toMatchObject({ kind: 'runbook page', environment: 'prod', scope: 'platform' });
  });

  it('names Kubernetes objects by apiVersion, kind, namespace and name, and places them by their file', () => {
    expect(byKey.get('k8s:v1/Service/shop/orders')).toMatchObject({ kind: 'Service', name: 'shop/orders', environment: 'prod', scope: 'orders', file: 'k8s/prod/orders.k8s.yaml' });
    expect(byKey.get('k8s:v1/Namespace/shop')).toMatchObject({ kind: 'Namespace', name: 'shop', scope: 'namespace shop' });
  });

  it('parses the JSON a ConfigMap holds, so a dashboard diffs panel by panel', () => {
    expect(byKey.get('k8s:v1/ConfigMap/monitoring/board')?.content).toMatchObject({ data: { 'board.json': { panels: [{ title: 'Errors' }] } } });
  });

  it('splits a Terraform stack into its resources, named by construct path, placed by stack and service, without the metadata', () => {
    const policy = byKey.get('tf:shop-prod/google_monitoring_alert_policy.orders_burn-rate_0A1B2C3D');
    expect(policy).toMatchObject({ kind: 'google_monitoring_alert_policy', name: 'shop-prod/orders/burn-rate-availability-1h-5m', environment: 'prod', scope: 'orders' });
    expect(Object.keys(policy?.content as object)).toEqual(['conditions', 'notification_channels']);
    expect(byKey.get('tf:shop-prod/google_monitoring_notification_channel.channels_pager_1234ABCD')?.scope).toBe('platform');
    expect([...byKey.keys()].filter((k) => k.startsWith('tf:'))).toEqual([
      'tf:shop-prod/google_monitoring_alert_policy.orders_burn-rate_0A1B2C3D',
      'tf:shop-prod/google_monitoring_notification_channel.channels_pager_1234ABCD',
      'tf:shop-prod/provider.google',
      'tf:shop-prod/terraform',
    ]);
  });

  it('keeps every other file as one object named by its path, and one that does not parse as its text', () => {
    expect(byKey.get('file:prometheus/prod/orders.rules.yaml')).toMatchObject({ kind: 'Prometheus rule file', scope: 'orders' });
    expect(byKey.get('file:prometheus/prod/jobs/orders.rules.yaml')).toMatchObject({ kind: 'Prometheus rule file', scope: 'orders' });
    expect(byKey.get('file:prometheus/prod/platform/jobs.rules.yaml')).toMatchObject({ kind: 'Prometheus rule file', scope: 'platform' });
    expect(byKey.get('file:grafana/prod/fleet.json')).toMatchObject({ kind: 'Grafana dashboard', scope: 'platform', content: { uid: 'shop_prod' } });
    expect(byKey.get('file:alertmanager/prod/alertmanager.yml')).toMatchObject({ kind: 'Alertmanager configuration', scope: 'platform' });
    expect(byKey.get('file:notes.txt')).toMatchObject({ kind: 'file', content: 'hello' });
    expect(byKey.get('file:loki/prod/broken.rules.yaml')).toMatchObject({ kind: 'Loki rule file', content: 'groups: [\n' });
  });

  it('tells apart two objects of one name in different files', () => {
    const twice = outputObjects([files[1], { path: 'k8s/dev/namespaces/shop.k8s.yaml', text: files[1].text }]);
    expect(twice.map((o) => o.key)).toEqual(['k8s:v1/Namespace/shop@k8s/dev/namespaces/shop.k8s.yaml', 'k8s:v1/Namespace/shop@k8s/prod/namespaces/shop.k8s.yaml']);
  });

  it('highlights a Cloud Monitoring threshold and notification channel, a condition matched by position although its name changed', () => {
    const head = files.map((f) => (f.path.startsWith('gcp/') ? { ...f, text: stack(13.44, 'chat') } : f.path.startsWith('alertmanager/') ? { ...f, text: 'route:\n  receiver: chat\n' } : f));
    const diff = diffOutputs(files, head);
    expect(diff.highlights.map((h) => [h.topic, h.scope, h.subject, h.field, h.before, h.after])).toEqual([
      ['Alert thresholds and windows', 'orders', 'policy burn-rate-availability-1h-5m', 'condition #1 threshold_value', '14.4', '13.44'],
      ['Routing', 'orders', 'policy burn-rate-availability-1h-5m', 'notification channels', 'pager', 'chat'],
      ['Routing', 'platform', 'alertmanager.yml', 'route.receiver', 'pager', 'chat'],
    ]);
  });
});

describe('field changes', () => {
  it('match list items by name, a rule by its name and labels apart from severity, anything else by content', () => {
    expect(itemIdentity({ name: 'orders', image: 'x' })).toBe('orders');
    expect(itemIdentity({ alert: 'Burn', labels: { slo: 'availability', severity: 'critical', long_window: '1h' } })).toBe('Burn{long_window="1h", slo="availability"}');
    expect(itemIdentity({ record: 'slo:objective:ratio' })).toBe('slo:objective:ratio');
    expect(itemIdentity({ setWeight: 5 })).toBeUndefined();
    const changes = fieldChanges({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] }, { containers: [{ name: 'b', image: '2' }, { name: 'a', image: '1' }] });
    expect(changes.map((c) => [formatPath(c.path), c.change, c.before, c.after])).toEqual([
      ['containers[b].image', 'changed', '1', '2'],
      ['containers[b]', 'moved', 1, 0],
    ]);
  });

  it('write paths with keys that are not names quoted', () => {
    expect(formatPath(['data', 'board.json', { index: 2 }, 'title'])).toBe('data["board.json"][2].title');
  });
});
