import { stringify } from 'yaml';
import { OutputDiff, OutputFileText, diffOutputs, expressionEdits, renderDiffMarkdown, renderDiffText } from '../../lib/diff';

/** A multi-document YAML file of Kubernetes objects. */
const yamlFile = (path: string, ...docs: object[]): OutputFileText => ({ path, text: docs.map((d) => stringify(d)).join('---\n') });

interface OrdersOptions {
  readonly replicas?: number;
  readonly image?: string;
  readonly cpu?: string;
  readonly maxReplicas?: number;
  readonly alert?: { expr: string; for: string; severity: string };
  readonly receiver?: string;
  readonly sidecar?: boolean;
}

/** One service's objects in one environment, as a synthesis would write them. */
function orders(env: string, o: OrdersOptions = {}): OutputFileText[] {
  const container = { name: 'orders', image: o.image ?? 'registry.example.com/shop/orders:1.0.0', resources: { requests: { cpu: o.cpu ?? '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } };
  const containers = o.sidecar === true ? [container, { name: 'proxy', image: 'registry.example.com/proxy:2.0' }] : [container];
  const alert = o.alert ?? { expr: 'sum(rate(errors_total{job="orders"}[5m])) > 5', for: '5m', severity: 'high' };
  return [
    yamlFile(
      `k8s/${env}/orders.k8s.yaml`,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders', namespace: 'shop' }, spec: { replicas: o.replicas ?? 2, template: { spec: { containers } } } },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'orders', namespace: 'shop' }, spec: { minReplicas: 2, maxReplicas: o.maxReplicas ?? 5 } },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'orders', namespace: 'shop' },
        spec: { groups: [{ name: 'orders-symptoms', rules: [{ alert: 'OrdersErrors', expr: alert.expr, for: alert.for, labels: { service: 'orders', severity: alert.severity } }] }] },
      },
    ),
    yamlFile(`k8s/${env}/alert-routing/shop.k8s.yaml`, {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { route: { receiver: o.receiver ?? 'shop-pager', routes: [{ matchers: [{ name: 'severity', value: 'low' }], receiver: 'null' }] } },
    }),
  ];
}

const both = (o: OrdersOptions = {}): OutputFileText[] => [...orders('dev', o), ...orders('prod', o)];

function lines(diff: OutputDiff): string[] {
  return diff.highlights.map((h) => `${h.topic} | ${h.scope} | ${h.subject}${h.field !== undefined ? ` ${h.field}` : ''}: ${h.before ?? '(none)'} → ${h.after ?? '(none)'} | ${h.environments.join(',')}`);
}

describe('the changes that matter', () => {
  it('picks out replicas, resources, autoscaling, images, alert thresholds, windows, severities and routing, each once for every environment', () => {
    const diff = diffOutputs(
      both(),
      both({ replicas: 3, image: 'registry.example.com/shop/orders:1.1.0', cpu: '200m', maxReplicas: 10, alert: { expr: 'sum(rate(errors_total{job="orders"}[5m])) > 10', for: '10m', severity: 'critical' }, receiver: 'shop-chat', sidecar: true }),
    );
    expect(lines(diff)).toEqual([
      'Alert thresholds and windows | orders | alert OrdersErrors expr: 5 → 10 | dev,prod',
      'Alert thresholds and windows | orders | alert OrdersErrors for: 5m → 10m | dev,prod',
      'Replicas and resources | orders | Deployment orders replicas: 2 → 3 | dev,prod',
      'Replicas and resources | orders | autoscaler orders maxReplicas: 5 → 10 | dev,prod',
      'Replicas and resources | orders | container orders resources: requests cpu 100m, memory 128Mi; limits cpu 500m, memory 256Mi → requests cpu 200m, memory 128Mi; limits cpu 500m, memory 256Mi | dev,prod',
      'Images | orders | container orders image: registry.example.com/shop/orders:1.0.0 → registry.example.com/shop/orders:1.1.0 | dev,prod',
      'Images | orders | container proxy image: (none) → registry.example.com/proxy:2.0 | dev,prod',
      'Routing | orders | alert OrdersErrors severity: high → critical | dev,prod',
      'Routing | namespace shop | AlertmanagerConfig route.receiver: shop-pager → shop-chat | dev,prod',
    ]);
  });

  it('tells a changed severity apart from a new alert: the rule is the same, its severity changed', () => {
    const diff = diffOutputs(orders('prod'), orders('prod', { alert: { expr: 'sum(rate(errors_total{job="orders"}[5m])) > 5', for: '5m', severity: 'critical' } }));
    const rule = diff.objects.find((o) => o.object.kind === 'PrometheusRule');
    expect(rule?.fields.map((f) => [f.change, f.before, f.after])).toEqual([['changed', 'high', 'critical']]);
    expect(lines(diff)).toEqual(['Routing | orders | alert OrdersErrors severity: high → critical | prod']);
  });

  it('reports an added or removed alert with its expression and window', () => {
    const withTwo = orders('prod');
    const doc = withTwo[0].text.split('---\n');
    const extra = doc[2].replace('  - alert: OrdersErrors', '  - alert: OrdersSlow\n          expr: histogram_quantile(0.99, rate(latency_bucket[5m])) > 1\n          for: 15m\n        - alert: OrdersErrors');
    const head = [{ path: withTwo[0].path, text: [doc[0], doc[1], extra].join('---\n') }, withTwo[1]];
    expect(lines(diffOutputs(orders('prod'), head))).toEqual(['Alert thresholds and windows | orders | alert OrdersSlow: (none) → histogram_quantile(0.99, rate(latency_bucket[5m])) > 1 for 15m | prod']);
    expect(lines(diffOutputs(head, orders('prod')))).toEqual(['Alert thresholds and windows | orders | alert OrdersSlow: histogram_quantile(0.99, rate(latency_bucket[5m])) > 1 for 15m → (none) | prod']);
  });

  it('keeps apart values that differ per environment', () => {
    const diff = diffOutputs(both(), [...orders('dev', { replicas: 1 }), ...orders('prod', { replicas: 4 })]);
    expect(lines(diff)).toEqual(['Replicas and resources | orders | Deployment orders replicas: 2 → 1 | dev', 'Replicas and resources | orders | Deployment orders replicas: 2 → 4 | prod']);
  });

  it('lists objects added and removed per service, and files added and removed', () => {
    const gone = both().filter((f) => !f.path.includes('/alert-routing/'));
    const diff = diffOutputs(gone, both());
    expect(diff.objects.map((o) => [o.change, o.object.scope, o.object.environment, o.object.kind, o.object.name])).toEqual([
      ['added', 'namespace shop', 'dev', 'AlertmanagerConfig', 'shop/shop'],
      ['added', 'namespace shop', 'prod', 'AlertmanagerConfig', 'shop/shop'],
    ]);
    expect(diff.files.added).toEqual(['k8s/dev/alert-routing/shop.k8s.yaml', 'k8s/prod/alert-routing/shop.k8s.yaml']);
    expect(diff.highlights).toEqual([]);
    expect(renderDiffText(diff)).toContain('    + AlertmanagerConfig shop/shop (dev, prod)\n');
    expect(renderDiffText(diffOutputs(both(), gone))).toContain('    - AlertmanagerConfig shop/shop (dev, prod)\n');
  });
});

describe('expression edits', () => {
  it('are the tokens removed and added, a threshold written twice counted once', () => {
    expect(expressionEdits('a > 0.0144 and b > 0.0144', 'a > 0.0072 and b > 0.0072')).toEqual([{ removed: '0.0144', added: '0.0072' }]);
    expect(expressionEdits('rate(x[5m]) > 1', 'rate(x[10m]) > 1')).toEqual([{ removed: '5m', added: '10m' }]);
    expect(expressionEdits('up == 0', 'up == 0 and on() vector(1)')).toEqual([{ removed: '', added: 'and on() vector(1)' }]);
  });

  it('show the whole expression before and after when the change is not a few short edits', () => {
    const diff = diffOutputs(orders('prod'), orders('prod', { alert: { expr: 'absent(up{job="orders"})', for: '5m', severity: 'high' } }));
    expect(lines(diff)).toEqual(['Alert thresholds and windows | orders | alert OrdersErrors expr: sum(rate(errors_total{job="orders"}[5m])) > 5 → absent(up{job="orders"}) | prod']);
  });
});

describe('the rendering', () => {
  const diff = diffOutputs(both(), both({ image: 'registry.example.com/shop/orders:1.1.0|x`y', replicas: 3 }));

  it('writes long values before and after on lines of their own in text', () => {
    const text = renderDiffText(diff);
    expect(text).toContain('    orders · container orders image  (dev, prod)\n        - registry.example.com/shop/orders:1.0.0\n        + registry.example.com/shop/orders:1.1.0|x`y\n');
    expect(text).toContain('    orders · Deployment orders replicas: 2 → 3  (dev, prod)\n');
  });

  it('escapes pipes and fences backticks in Markdown tables', () => {
    const markdown = renderDiffMarkdown(diff);
    expect(markdown).toContain('| orders | container orders image | `registry.example.com/shop/orders:1.0.0` | `` registry.example.com/shop/orders:1.1.0\\|x`y `` | dev, prod |');
    expect(markdown).toContain('<details>\n<summary>orders: 1 changed</summary>');
  });
});

describe('a diff too long for a pull-request comment', () => {
  const diff = diffOutputs(both(), both({ replicas: 3, sidecar: true }));

  it('counts the objects per service instead of listing them, and keeps the changes that matter', () => {
    const full = renderDiffMarkdown(diff);
    const short = renderDiffMarkdown(diff, { maxMarkdownLength: full.length - 1 });
    expect(short.length).toBeLessThan(full.length);
    expect(short).toContain('| orders | Deployment orders replicas | `2` | `3` | dev, prod |');
    expect(short).not.toContain('<details>');
    expect(short).toContain('- orders: 1 object line\n');
    expect(short).toContain(`The full diff is ${full.length} characters, more than a comment holds`);
  });

  it('cuts even the changes that matter at a whole line when they alone are too long', () => {
    const tiny = renderDiffMarkdown(diff, { maxMarkdownLength: 400 });
    expect(tiny.length).toBeLessThanOrEqual(400);
    expect(tiny.startsWith('### Synthesized output: `base` → `head`\n')).toBe(true);
    expect(tiny.endsWith('to see all of it.\n')).toBe(true);
  });
});
