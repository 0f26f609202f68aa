import { App, Chart, Testing } from 'cdk8s';
import { ScheduledJob, cronJobProps, filesConfigMapProps, serviceAccountProps } from '../../lib/ops';
import { KubeObject, schemaProblems } from '../support/schema';
import { TEST_IMAGE, jobPlan } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('a ScheduledJob with steps, Secret-backed env, files and annotations', () => {
  const plan = jobPlan({
    initSteps: [{ name: 'prepare', image: TEST_IMAGE, args: ['prepare'] }],
    secretEnv: { TOKEN: { name: 'report', key: 'token' }, API_KEY: { name: 'report', key: 'api-key' } },
    files: { directory: '/config', data: { 'b.txt': 'two\n', 'a.txt': 'one\n' } },
    serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'report@acme-prod-1234.iam.gserviceaccount.com' },
    runAsUser: 999,
    tmpSizeMebibytes: 512,
  });

  it('runs each step as an init container like the job itself: same env, mounts and restricted context', () => {
    const spec = (cronJobProps(plan).spec?.jobTemplate.spec?.template.spec ?? {}) as Json;
    const [step] = spec.initContainers;
    const [job] = spec.containers;
    expect(step.name).toBe('prepare');
    expect(step.command).toEqual(['/bin/sh', '/scripts/check-certificates.sh', 'prepare']);
    for (const key of ['env', 'volumeMounts', 'securityContext', 'resources']) expect([key, step[key]]).toEqual([key, job[key]]);
    expect(job.env.slice(-2)).toEqual([
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'report', key: 'api-key' } } },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'report', key: 'token' } } },
    ]);
    expect(job.volumeMounts).toContainEqual({ name: 'files', mountPath: '/config', readOnly: true });
    expect(job.securityContext.runAsUser).toBe(999);
    expect(spec.securityContext.runAsUser).toBe(999);
  });

  it('ships the files in their own ConfigMap, sorted, and annotates the ServiceAccount', () => {
    expect(filesConfigMapProps(plan)).toMatchObject({ metadata: { name: 'orders-report-files', namespace: 'shop' }, data: { 'a.txt': 'one\n', 'b.txt': 'two\n' } });
    expect(Object.keys(filesConfigMapProps(plan).data ?? {})).toEqual(['a.txt', 'b.txt']);
    expect(serviceAccountProps(plan).metadata?.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'report@acme-prod-1234.iam.gserviceaccount.com' });
    expect(serviceAccountProps(jobPlan()).metadata?.annotations).toBeUndefined();
  });

  it('gives objects the schemas accept', () => {
    const chart = new Chart(new App(), 'orders', { disableResourceNameHashes: true });
    new ScheduledJob(chart, 'report', { plan });
    const objects = Testing.synth(chart) as KubeObject[];
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'ConfigMap', 'CronJob', 'NetworkPolicy', 'PrometheusRule', 'ServiceAccount']);
    for (const object of objects) expect(schemaProblems(object)).toEqual([]);
    const tmp = ((objects.find((o) => o.kind === 'CronJob')?.spec as Json).jobTemplate.spec.template.spec.volumes as Json[]).find((v) => v.name === 'tmp');
    expect(tmp).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '512Mi' } });
  });

  it('refuses a step whose image is not pinned by digest', () => {
    expect(() => jobPlan({ initSteps: [{ name: 'prepare', image: 'alpine:3.20', args: [] }] })).toThrow('scheduled job orders-report: step prepare must use an image pinned by digest, got alpine:3.20');
  });
});
