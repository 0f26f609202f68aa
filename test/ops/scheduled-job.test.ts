import { App, Chart, Testing } from 'cdk8s';
import { JOB_RESOURCES, ScheduledJob, ScheduledJobPlan, cronJobProps, readScript } from '../../lib/ops';
import { KubeObject, schemaProblems } from '../support/schema';
import { TEST_IMAGE, jobPlan, jobPlatform } from './fixtures';

function synth(plan: ScheduledJobPlan = jobPlan(), ruleLabels: Record<string, string> = { release: 'kube-prometheus-stack' }): KubeObject[] {
  const chart = new Chart(new App(), 'orders', { disableResourceNameHashes: true });
  new ScheduledJob(chart, 'report', { plan, ruleLabels });
  return Testing.synth(chart) as KubeObject[];
}

const byKind = (objects: readonly KubeObject[], kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('ScheduledJob', () => {
  it('gives objects the Kubernetes and prometheus-operator schemas accept', () => {
    const objects = [...synth(), ...synth(jobPlan({ permissions: { scope: 'cluster', rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'delete'] }] } }))];
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'ConfigMap', 'CronJob', 'CronJob', 'NetworkPolicy', 'NetworkPolicy', 'PrometheusRule', 'PrometheusRule', 'ServiceAccount', 'ServiceAccount'],
    );
    for (const object of objects) expect(schemaProblems(object)).toEqual([]);
  });

  it('never overlaps runs and takes the schedule, deadlines, retries and history of the definition', () => {
    const spec = byKind(synth(jobPlan({}, { schedule: '0 3 * * 1-5', timeZone: 'Europe/Berlin', startingDeadline: '2m', activeDeadline: '30m', backoffLimit: 1, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5 })), 'CronJob')[0].spec as Json;
    expect(spec).toEqual(
      expect.objectContaining({ schedule: '0 3 * * 1-5', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 120, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5, suspend: false }),
    );
    expect(spec.jobTemplate.spec).toEqual(expect.objectContaining({ backoffLimit: 1, activeDeadlineSeconds: 1800 }));
    expect(spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  it('runs a restricted pod: non-root, no escalation, no capabilities, RuntimeDefault seccomp, read-only root, requests and limits', () => {
    const pod = (byKind(synth(), 'CronJob')[0].spec as Json).jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } });
    expect(JOB_RESOURCES).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } });
  });

  it('runs the script from its ConfigMap with the pinned image, /tmp its only writable place', () => {
    const objects = synth(jobPlan({ args: ['--verbose'], env: { REPORT_TO: 'shop@example.com' } }));
    const pod = (byKind(objects, 'CronJob')[0].spec as Json).jobTemplate.spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toBe(TEST_IMAGE);
    expect(container.command).toEqual(['/bin/sh', '/scripts/check-certificates.sh', '--verbose']);
    expect(container.env).toEqual([{ name: 'HOME', value: '/tmp' }, { name: 'REPORT_TO', value: 'shop@example.com' }]);
    expect(container.volumeMounts).toEqual([{ name: 'script', mountPath: '/scripts', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'script', configMap: { name: 'orders-report-script', defaultMode: 0o555 } }, { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }]);
    const config = byKind(objects, 'ConfigMap')[0] as Json;
    expect(config.metadata.name).toBe('orders-report-script');
    expect(config.data).toEqual({ 'check-certificates.sh': readScript('check-certificates.sh') });
    expect(config.data['check-certificates.sh']).toMatch(/^#!\/bin\/sh\n/);
  });

  it('refuses an image that is not pinned by digest, and a script that is no file name', () => {
    expect(() => jobPlan({ image: 'alpine/openssl:3.5.4' })).toThrow('scheduled job orders-report: image must be pinned by digest (name[:tag]@sha256:<64 hex digits>), got alpine/openssl:3.5.4');
    expect(() => jobPlan({ script: '../etc/passwd' })).toThrow('scheduled job orders-report: script must be a file name under lib/ops/scripts ending in .sh, got ../etc/passwd');
  });

  it('gives a job without permissions its own ServiceAccount, no Role and no API token', () => {
    const objects = synth();
    expect(byKind(objects, 'ServiceAccount')[0]).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ name: 'orders-report', namespace: 'shop' }), automountServiceAccountToken: false }));
    expect(objects.some((o) => /Role/.test(o.kind))).toBe(false);
    const pod = (byKind(objects, 'CronJob')[0].spec as Json).jobTemplate.spec.template.spec;
    expect(pod).toEqual(expect.objectContaining({ serviceAccountName: 'orders-report', automountServiceAccountToken: false }));
  });

  it('binds exactly the permissions the job asks for, in its namespace when they are namespaced', () => {
    const plan = jobPlan({ permissions: { scope: 'namespace', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['orders-db'] }] } });
    const objects = synth(plan);
    expect(byKind(objects, 'Role')[0]).toEqual(
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'orders-report', namespace: 'shop' }), rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['orders-db'] }] }),
    );
    expect(byKind(objects, 'RoleBinding')[0]).toEqual(
      expect.objectContaining({
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'orders-report' },
        subjects: [{ kind: 'ServiceAccount', name: 'orders-report', namespace: 'shop' }],
      }),
    );
    expect(byKind(objects, 'ServiceAccount')[0].automountServiceAccountToken).toBe(true);
    expect(cronJobProps(plan).spec?.jobTemplate.spec?.template.spec?.automountServiceAccountToken).toBe(true);
  });

  it('names a ClusterRole after its namespace too, since it is cluster-wide', () => {
    const objects = synth(jobPlan({ permissions: { scope: 'cluster', rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'get', 'delete'] }] } }));
    expect(byKind(objects, 'ClusterRole')[0].metadata.name).toBe('shop-orders-report');
    expect((byKind(objects, 'ClusterRoleBinding')[0] as Json).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'shop-orders-report' });
  });

  it('admits no connection to the job pods and lets them reach DNS and the declared egress only', () => {
    const policy = byKind(synth(jobPlan({ egress: [{ ports: [443] }, { ports: [5432], namespace: 'data', podLabels: { app: 'postgres' } }] })), 'NetworkPolicy')[0] as Json;
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/component': 'scheduled-job', 'app.kubernetes.io/name': 'orders-report' } });
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
    const pod = (byKind(synth(), 'CronJob')[0].spec as Json).jobTemplate.spec.template.metadata;
    expect(pod.labels).toEqual(expect.objectContaining(policy.spec.podSelector.matchLabels));
  });

  it('ships its alerts in a PrometheusRule of its own, labelled for the rule selector', () => {
    const rule = byKind(synth(), 'PrometheusRule')[0] as Json;
    expect(rule.metadata).toEqual(expect.objectContaining({ name: 'orders-report', namespace: 'shop' }));
    expect(rule.metadata.labels).toEqual(expect.objectContaining({ release: 'kube-prometheus-stack', team: 'shop', 'app.kubernetes.io/part-of': 'acme' }));
    expect(rule.spec.groups.map((g: Json) => g.name)).toEqual(['orders-report-job']);
    expect(rule.spec.groups[0].rules.map((r: Json) => r.alert)).toEqual(['OrdersReportJobFailed', 'OrdersReportJobStale']);
  });

  it('orders the CronJob after its ConfigMap, ServiceAccount, NetworkPolicy and role binding', () => {
    const kinds = synth(jobPlan({ permissions: { scope: 'namespace', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } })).map((o) => o.kind);
    for (const kind of ['ConfigMap', 'ServiceAccount', 'NetworkPolicy', 'Role', 'RoleBinding']) expect(kinds.indexOf(kind)).toBeLessThan(kinds.indexOf('CronJob'));
  });

  it('gives the same objects run after run', () => {
    expect(JSON.stringify(synth())).toBe(JSON.stringify(synth()));
    expect(synth()).toMatchSnapshot();
  });

  it('labels a platform-scoped job for the platform and links the fleet dashboard', () => {
    const { platform } = jobPlatform();
    const plan = jobPlan({ name: 'preview-cleanup', owner: { kind: 'platform', environment: 'prod', namespace: 'platform-ops', team: 'platform' }, alerts: { prefix: 'PreviewCleanup', purpose: 'deletes expired previews' } });
    expect(plan.namespace).toBe('platform-ops');
    expect(plan.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/part-of': platform.name, team: 'platform' }));
    expect(plan.alerts[0].labels).toEqual({ namespace: 'platform-ops', service: 'platform', severity: 'high', team: 'platform', cronjob: 'preview-cleanup' });
    expect(plan.alerts[0].annotations).toEqual(
      expect.objectContaining({ runbook_url: 'https://runbooks.example.com/prod/platform/alerts/preview-cleanup-job-failed.md', dashboard_url: 'https://grafana.example.com/d/acme_prod?var-environment=prod' }),
    );
  });
});
