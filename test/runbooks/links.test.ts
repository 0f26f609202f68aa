import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PlatformDefinition } from '../../lib/definition';
import { parseLogql } from '../../lib/logql/parse';
import { promqlErrors } from '../../lib/promql/parse';
import { RUNBOOK_EXTERNAL_BASES } from '../../lib/runbooks';
import { synthesizePlatform } from '../../lib/synth';
import { platform as example } from '../../apps/platform';
import { fleetPlatform } from '../../bench/fleet';
import { codeBlocks, html, links } from '../support/markdown';
import { scratchDir } from '../support/tools';

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** Every runbook URL written into a text: YAML annotations, dashboard JSON links, Terraform documentation. */
function runbookUrls(text: string, base: string): string[] {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...text.matchAll(new RegExp(`${escaped}/[^\\s"'\\\\,)\\]]+`, 'g'))].map((m) => m[0]);
}

describe.each<[string, PlatformDefinition]>([
  ['the example platform', example],
  ['a fleet of 12 services', fleetPlatform(12)],
])('the runbooks of %s', (_name, platform) => {
  const dir = scratchDir('runbook-links');
  let runbooks: string[] = [];
  let others: string[] = [];
  beforeAll(() => {
    synthesizePlatform(platform, dir(), { enforceReadiness: false });
    runbooks = filesUnder(path.join(dir(), 'runbooks'));
    others = filesUnder(dir()).filter((f) => !f.startsWith('runbooks/'));
  });
  const read = (file: string): string => fs.readFileSync(path.join(dir(), file), 'utf8');
  const page = (file: string): string => read(`runbooks/${file}`);

  it('answer every runbook link of every alert, rule file, dashboard and Terraform stack with a page at the path it names', () => {
    const linked = new Set(others.flatMap((file) => runbookUrls(read(file), platform.runbookBaseUrl)).map((url) => url.slice(platform.runbookBaseUrl.length + 1)));
    expect(linked.size).toBeGreaterThan(platform.services.length * platform.environments.length);
    expect([...linked].filter((p) => !runbooks.includes(p))).toEqual([]);
    // And no alert page waits for an alert that does not link it.
    expect(runbooks.filter((p) => p.includes('/alerts/') && !linked.has(p))).toEqual([]);
  });

  it('give every service a page per alert its rules name, an index and both templates, in every environment', () => {
    for (const env of platform.environments) {
      for (const service of platform.services) {
        const folder = `${env.name}/services/${service.name}`;
        const rules = read(`prometheus/${env.name}/${service.name}.rules.yaml`);
        for (const url of runbookUrls(rules, platform.runbookBaseUrl)) expect(url.startsWith(`${platform.runbookBaseUrl}/${folder}/alerts/`)).toBe(true);
        expect(runbooks).toEqual(expect.arrayContaining([`${folder}/index.md`, `${folder}/incident.md`, `${folder}/post-mortem.md`]));
      }
      expect(runbooks).toContain(`${env.name}/index.md`);
    }
    expect(runbooks).toContain('index.md');
  });

  it('link only generated pages, generated dashboards of the right environment, contacts of the definition and the allowed references', () => {
    const uids = new Set(others.filter((f) => f.startsWith('grafana/')).map((f) => (JSON.parse(read(f)) as { uid: string }).uid));
    const contacts = new Set(platform.services.flatMap((s) => [...(s.contacts.owners ?? []), ...(s.contacts.escalation ?? [])]));
    const wrong: string[] = [];
    for (const file of runbooks) {
      const environment = file.split('/')[0];
      for (const link of links(page(file))) {
        const dashboard = link.startsWith(`${platform.dashboardBaseUrl}/d/`) ? new URL(link) : undefined;
        const ok = dashboard
          ? uids.has(dashboard.pathname.slice('/d/'.length)) && dashboard.searchParams.get('var-environment') === environment
          : link.startsWith('mailto:')
            ? contacts.has(link.slice('mailto:'.length))
            : /^[a-z]+:/.test(link)
              ? RUNBOOK_EXTERNAL_BASES.some((base) => link.startsWith(base))
              : runbooks.includes(path.posix.normalize(path.posix.join(path.posix.dirname(file), link)));
        if (!ok) wrong.push(`${file}: ${link}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('hold no HTML, and only queries the PromQL and LogQL parsers accept', () => {
    for (const file of runbooks) {
      const markdown = page(file);
      expect(html(markdown)).toEqual([]);
      for (const block of codeBlocks(markdown)) {
        if (block.info === 'promql') expect({ file, query: block.content, problems: promqlErrors(block.content) }).toEqual({ file, query: block.content, problems: [] });
        if (block.info === 'logql') expect({ file, query: block.content, problems: parseLogql(block.content).problems }).toEqual({ file, query: block.content, problems: [] });
      }
    }
  });

  it('are byte-identical run after run', () => {
    const again = path.join(dir(), 'again');
    synthesizePlatform(platform, again, { sides: ['runbooks'] });
    expect(filesUnder(path.join(again, 'runbooks'))).toEqual(runbooks);
    for (const file of runbooks) expect(fs.readFileSync(path.join(again, 'runbooks', file), 'utf8')).toBe(page(file));
  });
});

/** Every alerting rule under a parsed YAML value (rule files, PrometheusRule objects): its name and runbook_url. */
function alertRules(value: unknown): { alert: string; runbookUrl: unknown }[] {
  if (Array.isArray(value)) return value.flatMap(alertRules);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (typeof record.alert === 'string') {
    const annotations = record.annotations as Record<string, unknown> | undefined;
    return [{ alert: record.alert, runbookUrl: annotations?.runbook_url }];
  }
  return Object.values(record).flatMap(alertRules);
}

describe('the example platform from apps/', () => {
  const dir = scratchDir('runbook-urls');
  let written = new Set<string>();
  beforeAll(() => {
    synthesizePlatform(example, dir(), { today: '2026-12-02' });
    written = new Set(filesUnder(path.join(dir(), 'runbooks')));
  });
  const read = (file: string): string => fs.readFileSync(path.join(dir(), file), 'utf8');
  /** Where a runbook URL leads under the runbooks folder, or the URL itself when it is not under the base. */
  const target = (url: unknown): string => (typeof url === 'string' && url.startsWith(`${example.runbookBaseUrl}/`) ? url.slice(example.runbookBaseUrl.length + 1) : `not a runbook URL: ${String(url)}`);

  it('names a written runbook in the runbook_url of every alert of every rule file and PrometheusRule', () => {
    const files = filesUnder(dir()).filter((f) => /^(prometheus|loki|k8s)\/.*\.ya?ml$/.test(f) && !f.endsWith('.test.yaml'));
    const alerts = files.flatMap((file) => parseAllDocuments(read(file)).flatMap((doc) => alertRules(doc.toJS()).map((rule) => ({ file, ...rule }))));
    expect(new Set(alerts.map((a) => a.file.split('/')[0]))).toEqual(new Set(['prometheus', 'loki', 'k8s']));
    expect(alerts.filter((a) => !written.has(target(a.runbookUrl))).map((a) => `${a.file}: ${a.alert} -> ${String(a.runbookUrl)}`)).toEqual([]);
  });

  it('names a written runbook in the documentation of every Cloud Monitoring alert policy', () => {
    const stacks = filesUnder(dir()).filter((f) => f.startsWith('gcp/stacks/') && f.endsWith('cdk.tf.json'));
    const policies = stacks.flatMap((file) => {
      const resources = (JSON.parse(read(file)) as { resource?: Record<string, Record<string, { documentation?: { links?: { display_name: string; url: string }[] } }>> }).resource ?? {};
      return Object.entries(resources.google_monitoring_alert_policy ?? {}).map(([name, policy]) => ({ file, name, urls: (policy.documentation?.links ?? []).filter((l) => l.display_name === 'Runbook').map((l) => l.url) }));
    });
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.filter((p) => p.urls.length !== 1 || !written.has(target(p.urls[0]))).map((p) => `${p.file}: ${p.name} -> ${p.urls.join(', ')}`)).toEqual([]);
  });
});

describe('the runbooks of a synthesis of selected environments', () => {
  const dir = scratchDir('runbook-environments');

  it('index only the environments written, and every link of the platform index leads to a page', () => {
    synthesizePlatform(example, dir(), { sides: ['runbooks'], environments: ['prod'] });
    const runbooks = filesUnder(path.join(dir(), 'runbooks'));
    expect(runbooks.filter((f) => !f.startsWith('prod/') && f !== 'index.md')).toEqual([]);
    const index = fs.readFileSync(path.join(dir(), 'runbooks', 'index.md'), 'utf8');
    expect(links(index).filter((link) => !runbooks.includes(link))).toEqual([]);
    expect(links(index)).toContain('prod/index.md');
  });
});
