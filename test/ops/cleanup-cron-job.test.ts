import { writeFileSync } from 'fs';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { PlatformDefinition } from '../../lib/definition';
import { CLEANUP_IMAGE, CLEANUP_JOB, CLEANUP_RESOURCES, CleanupCronJob, cleanupJobPlan, jobRuleTests, platformJobPlans, readScript } from '../../lib/ops';
import { platformOutputs } from '../../lib/k8s/platform-outputs';
import { renderRuleFile, renderRuleTests } from '../../lib/prometheus';
import { KubeObject, schemaProblems } from '../support/schema';
import { definitionErrorOf, describeWithTool, runTool, scratchDir } from '../support/tools';
import { k8sPlatform } from '../fixtures/k8s-services';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The test platform (dev, prod) with the base service and these previews. */
function withPreviews(previews: Record<string, unknown> = {}): PlatformDefinition {
  return k8sPlatform([BASE_SERVICE], { previews, monitoringLabels: { release: 'kube-prometheus-stack' } });
}

function synth(platform: PlatformDefinition = withPreviews(), environment = 'dev'): KubeObject[] {
  const chart = new Chart(new App(), 'cleanup', { disableResourceNameHashes: true });
  new CleanupCronJob(chart, 'cleanup', { platform, environment });
  return Testing.synth(chart) as KubeObject[];
}

const byKind = (objects: readonly KubeObject[], kind: string): Json => objects.find((o) => o.kind === kind);
const container = (objects: readonly KubeObject[]): Json => byKind(objects, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0];
const env = (objects: readonly KubeObject[]): Record<string, string> => Object.fromEntries(container(objects).env.map((e: { name: string; value: string }) => [e.name, e.value]));

describe('CleanupCronJob', () => {
  it('runs the cleanup script hourly at :17 in the monitoring namespace, with the pinned kubectl image', () => {
    const objects = synth();
    const cronJob = byKind(objects, 'CronJob');
    expect(cronJob.metadata).toMatchObject({ name: 'preview-cleanup', namespace: 'monitoring' });
    expect(cronJob.spec).toMatchObject({ schedule: '17 * * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid' });
    expect(container(objects)).toMatchObject({ image: CLEANUP_IMAGE, command: ['/bin/sh', '/scripts/cleanup-namespaces.sh'] });
    expect(CLEANUP_IMAGE).toMatch(/^docker\.io\/alpine\/k8s:1\.31\.0@sha256:[0-9a-f]{64}$/);
    expect(byKind(objects, 'ConfigMap').data).toEqual({ 'cleanup-namespaces.sh': readScript('cleanup-namespaces.sh') });
  });

  it('gives kubectl more memory than a small script gets', () => {
    expect(container(synth()).resources).toEqual({ requests: CLEANUP_RESOURCES.requests, limits: CLEANUP_RESOURCES.limits });
    expect(CLEANUP_RESOURCES).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
  });

  it('hands the script the label, the expiry annotation, the protected list, the cap, and dry-run outside production', () => {
    expect(env(synth())).toEqual({
      DRY_RUN: 'true',
      EXPIRY_ANNOTATION: 'ops-constructs/expires-at',
      HOME: '/tmp',
      MAX_DELETIONS: '10',
      PREVIEW_LABEL: 'ops-constructs/preview',
      PROTECTED_NAMESPACES: 'default ingress-nginx kube-node-lease kube-public kube-system monitoring shop',
    });
    expect(env(synth(withPreviews(), 'prod')).DRY_RUN).toBe('false');
    const tuned = withPreviews({ label: 'example.com/preview', protectedNamespaces: ['argocd'], cleanup: { dryRun: false, maxDeletions: 3, namespace: 'platform-ops' } });
    expect(env(synth(tuned))).toMatchObject({
      DRY_RUN: 'false',
      MAX_DELETIONS: '3',
      PREVIEW_LABEL: 'example.com/preview',
      PROTECTED_NAMESPACES: 'argocd default ingress-nginx kube-node-lease kube-public kube-system monitoring platform-ops shop',
    });
    expect(byKind(synth(tuned), 'CronJob').metadata.namespace).toBe('platform-ops');
  });

  it('takes the schedule options of the definition', () => {
    const spec = byKind(synth(withPreviews({ cleanup: { schedule: '*/30 8-18 * * 1-5', timeZone: 'Europe/Berlin', activeDeadline: '5m' } })), 'CronJob').spec;
    expect(spec).toMatchObject({ schedule: '*/30 8-18 * * 1-5', timeZone: 'Europe/Berlin' });
    expect(spec.jobTemplate.spec.activeDeadlineSeconds).toBe(300);
  });

  it('may list, get and delete namespaces and nothing else, through a ClusterRole bound to its own ServiceAccount', () => {
    const objects = synth();
    expect(byKind(objects, 'ClusterRole')).toMatchObject({ metadata: { name: 'monitoring-preview-cleanup' }, rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['delete', 'get', 'list'] }] });
    expect(byKind(objects, 'ClusterRole').rules).toHaveLength(1);
    expect(byKind(objects, 'ClusterRoleBinding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'monitoring-preview-cleanup' },
      subjects: [{ kind: 'ServiceAccount', name: 'preview-cleanup', namespace: 'monitoring' }],
    });
    expect(objects.some((o) => o.kind === 'Role' || o.kind === 'RoleBinding')).toBe(false);
    expect(byKind(objects, 'CronJob').spec.jobTemplate.spec.template.spec).toMatchObject({ serviceAccountName: 'preview-cleanup', automountServiceAccountToken: true });
  });

  it('reaches DNS and the API server ports only', () => {
    const policy = byKind(synth(), 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
      ports: [
        { port: 443, protocol: 'TCP' },
        { port: 6443, protocol: 'TCP' },
      ],
    });
    expect(policy.spec.egress).toHaveLength(2);
  });

  it('binds an admission policy that keeps its ServiceAccount to preview namespaces, unless turned off', () => {
    const objects = synth();
    const policy = byKind(objects, 'ValidatingAdmissionPolicy');
    expect(policy.metadata.name).toBe('monitoring-preview-cleanup');
    expect(policy.spec.matchConditions[0].expression).toBe("request.userInfo.username == 'system:serviceaccount:monitoring:preview-cleanup'");
    expect(policy.spec.validations[1].expression).toBe("!(oldObject.metadata.name in ['default', 'ingress-nginx', 'kube-node-lease', 'kube-public', 'kube-system', 'monitoring', 'shop'])");
    expect(byKind(objects, 'ValidatingAdmissionPolicyBinding').spec).toEqual({ policyName: 'monitoring-preview-cleanup', validationActions: ['Deny'] });
    expect(synth(withPreviews({ cleanup: { admissionPolicy: false } })).some((o) => o.kind.startsWith('ValidatingAdmissionPolicy'))).toBe(false);
  });

  it('watches itself: PreviewCleanupJobFailed and PreviewCleanupJobStale, platform-scoped, with runbook and fleet dashboard', () => {
    const rule = byKind(synth(), 'PrometheusRule');
    expect(rule.metadata).toMatchObject({ name: 'preview-cleanup', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
    const alerts = rule.spec.groups[0].rules;
    expect(alerts.map((a: Json) => [a.alert, a.labels])).toEqual([
      ['PreviewCleanupJobFailed', { cronjob: 'preview-cleanup', namespace: 'monitoring', service: 'platform', severity: 'high', team: 'platform' }],
      ['PreviewCleanupJobStale', { cronjob: 'preview-cleanup', namespace: 'monitoring', service: 'platform', severity: 'medium', team: 'platform' }],
    ]);
    expect(alerts[0].annotations).toMatchObject({
      runbook_url: 'https://runbooks.example.com/dev/platform/alerts/preview-cleanup-job-failed.md',
      dashboard_url: 'https://grafana.example.com/d/acme_dev?var-environment=dev',
    });
    expect(alerts[0].annotations.description).toContain('deletes expired preview namespaces (labelled ops-constructs/preview=true, at most 10 a run, in dry-run mode: it only logs)');
  });

  it('is listed with the platform-level jobs of each environment holding previews, and only there', () => {
    const platform = withPreviews({ environments: ['dev'] });
    expect(platformJobPlans(platform, 'dev').map((p) => p.name)).toEqual(['preview-cleanup']);
    expect(platformOutputs(platform, 'dev').jobRuleGroups.map((g) => g.name)).toEqual(['preview-cleanup-job']);
    expect(platformJobPlans(platform, 'prod')).toEqual([]);
    expect(platformJobPlans(testPlatform(BASE_SERVICE), 'dev')).toEqual([]);
    expect(cleanupJobPlan(platform, 'prod')).toBeUndefined();
  });

  it('gives objects the Kubernetes and prometheus-operator schemas accept', () => {
    const objects = synth();
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'CronJob',
      'NetworkPolicy',
      'PrometheusRule',
      'ServiceAccount',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]);
    for (const object of objects) expect(schemaProblems(object)).toEqual([]);
  });

  it('keeps the objects of the snapshot', () => {
    expect(synth()).toMatchSnapshot();
  });

  it('refuses an environment without previews, naming the construct path', () => {
    expect(definitionErrorOf(() => synth(withPreviews({ environments: ['dev'] }), 'prod'))).toBe(
      'Invalid preview cleanup job (1 problem):\n  - [cleanup/cleanup] props.environment: must be an environment holding previews: dev (got "prod")',
    );
    expect(definitionErrorOf(() => synth(testPlatform(BASE_SERVICE)))).toBe(
      'Invalid preview cleanup job (1 problem):\n  - [cleanup/cleanup] props.environment: must be an environment holding previews: none (the platform sets no previews) (got "dev")',
    );
  });

  it('names the job within the CronJob limit', () => {
    expect(CLEANUP_JOB.name.length).toBeLessThanOrEqual(52);
  });
});

describeWithTool('promtool', 'the alerts of the preview cleanup under promtool', () => {
  const dir = scratchDir('cleanup-alerts');
  it('pass their own promtool tests', () => {
    const plan = cleanupJobPlan(withPreviews(), 'dev');
    if (plan === undefined) throw new Error('no cleanup job');
    writeFileSync(join(dir(), 'cleanup.rules.yaml'), renderRuleFile([plan.ruleGroup]));
    writeFileSync(join(dir(), 'cleanup.test.yaml'), renderRuleTests(jobRuleTests([plan], 'cleanup.rules.yaml')));
    expect(runTool('promtool', ['check', 'rules', 'cleanup.rules.yaml'], dir())).toMatchObject({ status: 0 });
    const tested = runTool('promtool', ['test', 'rules', 'cleanup.test.yaml'], dir());
    expect(tested.output).toContain('SUCCESS');
    expect(tested.status).toBe(0);
  });
});
