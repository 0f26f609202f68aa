import { resolveEnvironment } from '../../lib/definition';
import { platformOutputs, serviceOutputs } from '../../lib/k8s';
import { platformJobPlans, serviceJobPlans } from '../../lib/ops';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

describe('where the jobs and their alerts are listed', () => {
  const platform = testPlatform({ ...BASE_SERVICE, gcp: { project: 'acme-prod-4821', publicHost: 'orders.acme.example.com' }, certificates: [{ issuer: { name: 'letsencrypt-prod' } }] });
  const service = resolveEnvironment(platform, 'orders', 'prod');

  it('lists a service\'s jobs and their rule groups in serviceOutputs, apart from its SLO and symptom groups', () => {
    const outputs = serviceOutputs(platform, service);
    expect(outputs.jobs.map((j) => j.name)).toEqual(['orders-tls-check']);
    expect(outputs.jobRuleGroups).toEqual(outputs.jobs.map((j) => j.ruleGroup));
    expect(outputs.jobRuleGroups.map((g) => g.name)).toEqual(['orders-tls-check-job']);
    expect(outputs.ruleGroups.some((g) => g.name.endsWith('-job'))).toBe(false);
    expect(serviceJobPlans(platform, service)).toEqual(outputs.jobs);
  });

  it('lists no job for a service whose definition asks for none', () => {
    const plain = testPlatform(BASE_SERVICE);
    expect(serviceOutputs(plain, resolveEnvironment(plain, 'orders', 'prod')).jobRuleGroups).toEqual([]);
  });

  it('lists the platform\'s own jobs per environment in platformOutputs, none until one is defined', () => {
    expect(platformOutputs(platform, 'prod')).toEqual({ jobs: [], jobRuleGroups: [] });
    expect(platformJobPlans(platform, 'prod')).toEqual([]);
  });
});
