import { parseAllDocuments } from 'yaml';
import { toYamlDocuments } from '../../lib/private/yaml';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { platform } from '../../apps/platform';
import { synthesizePlatform } from '../../lib';
import { KubeObject, loadObjects, schemaProblems } from '../support/schema';

function synthInto(): { dir: string; files: readonly string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-constructs-'));
  // A fixed day: the example's game days count for a quarter.
  return { dir, files: synthesizePlatform(platform, dir, { today: '2026-12-02' }).files };
}

function readAll(dir: string, files: readonly string[]): Map<string, Buffer> {
  return new Map(files.map((file) => [file, fs.readFileSync(path.join(dir, file))]));
}

describe('the example platform', () => {
  const { dir, files } = synthInto();
  const manifests = files.filter((f) => f.endsWith('.k8s.yaml'));
  const objects: [string, KubeObject][] = manifests.flatMap((file) => loadObjects(path.join(dir, file)).map((o) => [file, o] as [string, KubeObject]));

  it('writes one manifest file per service per environment', () => {
    const expected = ['dev', 'staging', 'prod'].flatMap((env) => ['catalog', 'checkout', 'notifier'].map((s) => `k8s/${env}/${s}.k8s.yaml`));
    expect(manifests.filter((f) => /k8s\/[a-z]+\/(catalog|checkout|notifier)\.k8s\.yaml$/.test(f)).sort()).toEqual(expected.sort());
  });

  it('validates every object against its schema', () => {
    const problems = objects.flatMap(([file, object]) => schemaProblems(object).map((p) => `${file}: ${p}`));
    expect(problems).toEqual([]);
    expect(objects.length).toBeGreaterThanOrEqual(60);
  });

  it('would name the object and the field of a schema violation', () => {
    const [, deployment] = objects.find(([, o]) => o.kind === 'Deployment')!;
    const [, rule] = objects.find(([, o]) => o.kind === 'PrometheusRule')!;
    const brokenDeployment = { ...deployment, spec: { ...(deployment.spec as object), replicas: 'two' } };
    const brokenRule = { ...rule, spec: { groups: [{ name: 'x', rules: [{ alert: 'X', expr: 'up == 0', for: 'soon' }] }] } };
    expect(schemaProblems(brokenDeployment as KubeObject)).toEqual([`Deployment ${deployment.metadata.namespace}/${deployment.metadata.name}: data/spec/replicas must be integer`]);
    expect(schemaProblems(brokenRule as KubeObject).join('\n')).toMatch(new RegExp(`PrometheusRule ${rule.metadata.namespace}/${rule.metadata.name}: .*for.* must match pattern`));
  });

  it('runs every pod Pod-Security-restricted: non-root, no escalation, no capabilities, seccomp, read-only root', () => {
    // Every workload: notifier's Deployments and the Rollouts of checkout (canary) and catalog (blue/green).
    const deployments = objects.filter(([, o]) => o.kind === 'Deployment' || o.kind === 'Rollout');
    expect(deployments).toHaveLength(9);
    for (const [file, deployment] of deployments) {
      const pod = (deployment.spec as { template: { spec: { securityContext: Record<string, unknown>; containers: { securityContext: Record<string, unknown>; resources: { requests?: object; limits?: object } }[] } } }).template.spec;
      expect([file, pod.securityContext.runAsNonRoot]).toEqual([file, true]);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(container.resources.requests).toBeDefined();
        expect(container.resources.limits).toBeDefined();
      }
    }
  });

  it('carries no secret values in plain text', () => {
    const text = manifests.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(text).toMatch(/secretKeyRef/);
    expect(objects.filter(([, o]) => o.kind === 'Secret')).toEqual([]);
  });

  it('applies environment overrides: one replica and a latest image in dev only', () => {
    const deployment = (env: string) => objects.find(([f, o]) => f === `k8s/${env}/checkout.k8s.yaml` && o.kind === 'Rollout')![1] as KubeObject & { spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } } };
    expect(deployment('dev').spec.replicas).toBe(1);
    expect(deployment('dev').spec.template.spec.containers[0].image).toMatch(/:latest$/);
    expect(deployment('prod').spec.replicas).toBeUndefined();
    expect(deployment('prod').spec.template.spec.containers[0].image).toBe('registry.example.com/payments/checkout:1.14.2');
  });

  it('gives byte-identical files run after run', () => {
    const again = synthInto();
    expect(again.files).toEqual(files);
    expect(readAll(again.dir, again.files)).toEqual(readAll(dir, files));
  });

  it.each(['catalog', 'checkout', 'notifier'])('matches the reviewed manifests of %s in prod', (service) => {
    // The dashboard JSON has a snapshot of its own (test/grafana); here its size stands in for it.
    const objects = parseAllDocuments(fs.readFileSync(path.join(dir, `k8s/prod/${service}.k8s.yaml`), 'utf8')).map((d) => d.toJS() as { kind: string; data?: Record<string, string> });
    const dashboard = fs.readFileSync(path.join(dir, `grafana/prod/${service}.json`), 'utf8');
    const board = objects.find((o) => o.kind === 'ConfigMap' && Object.keys(o.data ?? {}).some((k) => k.endsWith('.json')));
    const key = Object.keys(board?.data ?? {})[0];
    expect(board?.data?.[key]).toBe(dashboard);
    board!.data![key] = `<dashboard JSON of ${Buffer.byteLength(dashboard)} bytes>`;
    expect(toYamlDocuments(objects)).toMatchSnapshot();
  });
});
