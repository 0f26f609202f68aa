import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SynthProgress, synthesizePlatform } from '../../lib/synth';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { fileTree } from '../support/files';


describe('synthesizePlatform', () => {
  const platform = testPlatform(
    { ...BASE_SERVICE, name: 'orders' },
    { ...BASE_SERVICE, name: 'payments', team: 'billing' },
    // Named like a property of every JavaScript object: its files must still be its own.
    { ...BASE_SERVICE, name: 'constructor', team: 'shop' },
  );
  const SIDES = ['k8s', 'prometheus', 'alertmanager'] as const;

  it('writes byte-identical files run after run', () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-a-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-b-'));
    synthesizePlatform(platform, a, { sides: SIDES });
    synthesizePlatform(platform, b, { sides: SIDES });
    expect(fileTree(a)).toEqual(fileTree(b));
  });

  it('gives every service, namespace and routing a file of its own, in folders per kind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-'));
    const { files } = synthesizePlatform(platform, dir, { sides: SIDES });
    const prod = files.filter((f) => f.startsWith('k8s/prod/'));
    expect(prod).toEqual([
      'k8s/prod/alert-routing/billing.k8s.yaml',
      'k8s/prod/alert-routing/shop.k8s.yaml',
      'k8s/prod/constructor.k8s.yaml',
      'k8s/prod/dashboards/fleet.k8s.yaml',
      'k8s/prod/namespaces/billing.k8s.yaml',
      'k8s/prod/namespaces/shop.k8s.yaml',
      'k8s/prod/orders.k8s.yaml',
      'k8s/prod/payments.k8s.yaml',
    ]);
    expect(files).toContain('prometheus/prod/constructor.rules.yaml');
    expect(files.filter((f) => f.startsWith('grafana/prod/'))).toEqual([]);
    const withDashboards = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-'));
    const all = synthesizePlatform(platform, withDashboards, { sides: ['k8s', 'grafana'] }).files;
    expect(all.filter((f) => f.startsWith('grafana/prod/'))).toEqual(['grafana/prod/constructor.json', 'grafana/prod/fleet.json', 'grafana/prod/orders.json', 'grafana/prod/payments.json']);
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-'));
    synthesizePlatform(platform, alone, { sides: ['grafana'] });
    expect(fileTree(path.join(alone, 'grafana'))).toEqual(fileTree(path.join(withDashboards, 'grafana')));
    expect(JSON.parse(fs.readFileSync(path.join(alone, 'grafana/prod/orders.json'), 'utf8')).uid).toBe('acme_prod_orders');
    expect(new Set(files).size).toBe(files.length);
  });

  it('reports progress per service and side, up to the total, and nothing when not asked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-'));
    const seen: SynthProgress[] = [];
    synthesizePlatform(platform, dir, { sides: SIDES, onProgress: (p) => seen.push(p) });
    const k8s = seen.filter((p) => p.side === 'k8s');
    expect(k8s.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(k8s.every((p) => p.total === 6)).toBe(true);
    expect(k8s[k8s.length - 1].environment).toBe('prod');
    expect(seen.map((p) => p.side).filter((s, i, all) => all.indexOf(s) === i)).toEqual(['k8s', 'alertmanager']);
    expect(() => synthesizePlatform(platform, dir, { sides: ['prometheus'] })).not.toThrow();
  });

  it('writes the Loki rules of services with log alerts, the same ones their ConfigMap holds, and none for the others', () => {
    const alert = { alert: 'OrdersErrorLogBurst', expr: 'sum(rate({app="orders"} |= "error" [5m])) > 1', severity: 'medium' as const, summary: 'Orders logs errors' };
    const withLogs = testPlatform({ ...BASE_SERVICE, name: 'orders', logAlerts: [alert] }, { ...BASE_SERVICE, name: 'payments', team: 'billing' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-'));
    const { files } = synthesizePlatform(withLogs, dir, { sides: ['k8s', 'loki'] });
    expect(files.filter((f) => f.startsWith('loki/'))).toEqual(['loki/dev/orders.rules.yaml', 'loki/prod/orders.rules.yaml']);
    const rules = fs.readFileSync(path.join(dir, 'loki/prod/orders.rules.yaml'), 'utf8');
    expect(rules).toContain('alert: OrdersErrorLogBurst');
    expect(fs.readFileSync(path.join(dir, 'k8s/prod/orders.k8s.yaml'), 'utf8')).toContain('OrdersErrorLogBurst');
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-synth-'));
    synthesizePlatform(withLogs, alone, { sides: ['loki'] });
    expect(fs.readFileSync(path.join(alone, 'loki/prod/orders.rules.yaml'), 'utf8')).toBe(rules);
  });
});
