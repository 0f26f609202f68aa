import { ServiceDefinitionInput } from '../../lib/definition';
import { readinessFiles, readinessReport, renderReadinessJson, renderReadinessMarkdown, renderReadinessText, reportEnvironments } from '../../lib/readiness';
import { definitionErrorOf } from '../support/tools';
import { READY, TODAY, readinessPlatform } from './fixtures';

const LEDGER: ServiceDefinitionInput = {
  name: 'ledger',
  team: 'finance',
  tier: 'critical',
  image: 'registry.example.com/finance/ledger:3.1.0',
  port: 8080,
  replicas: 1,
  autoscaling: false,
  readiness: { waivers: [{ item: 'operations.autoscaling', reason: 'one writer | until the queue is partitioned `FIN-9`', expires: '2027-03-31' }] },
};

describe('the readiness report', () => {
  const platform = readinessPlatform([READY, LEDGER], [{ name: 'dev' }, { name: 'staging', production: true }, { name: 'prod' }]);
  const report = readinessReport(platform, { today: TODAY });

  it('covers the production environments, in platform order, services by name', () => {
    expect(report.services.map((s) => `${s.environment}/${s.service}`)).toEqual(['staging/ledger', 'staging/orders', 'prod/ledger', 'prod/orders']);
    expect(report).toMatchObject({ platform: 'acme', today: TODAY });
  });

  it('covers the environments named, production or not', () => {
    expect(readinessReport(platform, { today: TODAY, environments: ['prod', 'dev'] }).services.map((s) => `${s.environment}/${s.service}`)).toEqual(['dev/ledger', 'dev/orders', 'prod/ledger', 'prod/orders']);
    expect(definitionErrorOf(() => reportEnvironments(platform, ['qa', 'prod']))).toBe('Invalid readiness report (1 problem):\n  - acme.environment: is not an environment of platform acme (dev, staging, prod) (got "qa")');
  });

  it('checks for the current date in UTC when given none', () => {
    const before = new Date().toISOString().slice(0, 10);
    const { today } = readinessReport(platform, { environments: [] });
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(today);
  });

  it('renders a Markdown table per service, blocking fails in bold, text that breaks no table', () => {
    const markdown = renderReadinessMarkdown(report);
    expect(markdown.match(/^## .*$/gm)).toEqual(['## ledger in staging', '## orders in staging', '## ledger in prod', '## orders in prod']);
    const ledger = markdown.slice(markdown.indexOf('## ledger in prod'), markdown.indexOf('## orders in prod'));
    expect(ledger).toContain('Tier critical, team finance: 9 pass, 2 warn, 5 fail, 4 blocking.');
    expect(ledger).toContain('| `deployment.progressive-delivery` | **fail** | releases by rolling update: a bad version reaches every pod with no analysis to stop it; choose canary or blue-green | `ledger.delivery.strategy` |');
    expect(ledger).toContain(
      '| `operations.autoscaling` | fail (waived until 2027-03-31) | autoscaling is off: a fixed 1 replica whatever the load; waived until 2027-03-31: one writer \\| until the queue is partitioned `FIN-9` | `ledger.autoscaling` |',
    );
    // Every row has the four cells of the header.
    for (const row of markdown.split('\n').filter((l) => l.startsWith('| '))) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
    expect(markdown).toMatchSnapshot();
  });

  it('says so when there is no production environment to check', () => {
    const none = readinessReport(readinessPlatform([READY], [{ name: 'dev' }]), { today: TODAY });
    expect(none.services).toEqual([]);
    expect(renderReadinessMarkdown(none)).toContain('No environment was checked: the platform has no production environment.');
  });

  it('renders JSON with sorted keys, without the day, the same bytes run after run', () => {
    const json = renderReadinessJson(report);
    expect(json).toBe(renderReadinessJson(readinessReport(platform, { today: '2027-01-15' })));
    const parsed = JSON.parse(json) as { platform: string; services: { items: Record<string, unknown>[] }[] };
    expect(Object.keys(parsed)).toEqual(['platform', 'services']);
    expect(Object.keys(parsed.services[0])).toEqual(['blocking', 'counts', 'environment', 'items', 'production', 'service', 'team', 'tier']);
    expect(Object.keys(parsed.services[0].items.find((i) => i.item === 'operations.autoscaling')!)).toEqual(['blocking', 'category', 'field', 'item', 'reason', 'status', 'title', 'value', 'waiver']);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('renders text for a terminal: the day, blocking fails in capitals, the field after each item that is not a pass', () => {
    const text = renderReadinessText(report);
    expect(text.split('\n')[0]).toBe('Readiness of platform acme on 2026-12-02');
    expect(text).toContain('prod/ledger (critical, team finance): 9 pass, 2 warn, 5 fail, 4 blocking');
    expect(text).toMatch(/^ {2}FAIL {2}deployment\.progressive-delivery {2}releases by rolling update: .* -> ledger\.delivery\.strategy$/m);
    expect(text).toMatch(/^ {2}fail {2}operations\.autoscaling {11}autoscaling is off: .*FIN-9` \[waived\] -> ledger\.autoscaling$/m);
    expect(text).toMatch(/^ {2}pass {2}deployment\.rollback {14}kubectl rollout undo deployment\/ledger -n finance .*the Kubernetes default$/m);
  });

  it('gives the files synthesis writes', () => {
    expect(readinessFiles(report).map((f) => f.path)).toEqual(['readiness.json', 'readiness.md']);
    expect(readinessFiles(report).map((f) => f.content)).toEqual([renderReadinessJson(report), renderReadinessMarkdown(report)]);
  });
});
