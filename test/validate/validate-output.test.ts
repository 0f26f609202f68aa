import * as fs from 'fs';
import * as path from 'path';
import { synthesizePlatform } from '../../lib/synth';
import { CHECKS, CheckResult, failedBlocks, validateOutput } from '../../lib/validate';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { describeWithTool, scratchDir } from '../support/tools';

/** A service with SLOs and a log alert, so that every check has something to read. */
const ORDERS = {
  ...BASE_SERVICE,
  slos: [{ kind: 'availability' as const, name: 'availability', objective: 99.5 }],
  logAlerts: [{ alert: 'OrdersPanics', expr: 'sum(rate({app="orders"} |= "panic" [5m])) > 0', severity: 'medium' as const, summary: 'Orders panics' }],
};

const status = (results: readonly CheckResult[]): Record<string, string> => Object.fromEntries(results.map((r) => [r.check, r.status]));

/** Replaces text in a file of the output, failing when the text is not there. */
function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const target = path.join(dir, file);
  const text = fs.readFileSync(target, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file} has no ${from}`);
  fs.writeFileSync(target, changed);
}

describe('validateOutput', () => {
  const scratch = scratchDir('validate');
  const output = (name: string): string => {
    const dir = path.join(scratch(), name);
    synthesizePlatform(testPlatform(ORDERS), dir, { environments: ['prod'], enforceReadiness: false });
    return dir;
  };

  it('passes a synthesized output, every check in order, the tools left out when asked', () => {
    const dir = output('good');
    const results = validateOutput(dir, { tools: false });
    expect(results.map((r) => r.check)).toEqual([...CHECKS]);
    expect(status(results)).toEqual({ schemas: 'pass', promql: 'pass', logql: 'pass', 'promtool-rules': 'skipped', 'promtool-tests': 'skipped', amtool: 'skipped' });
    expect(results[0].summary).toMatch(/^\d+ Kubernetes objects in 4 files$/);
    expect(results[2].summary).toBe('1 rule expression in 1 Loki rule file');
    expect(results.every((r) => r.problems.length === 0)).toBe(true);
  });

  it('names the file, the object and the field of a schema violation', () => {
    const dir = output('bad-schema');
    edit(dir, 'k8s/prod/orders.k8s.yaml', 'containerPort: 8080', 'containerPort: eighty');
    const [schemas] = validateOutput(dir, { tools: false, skip: ['promql', 'logql'] });
    expect(schemas.status).toBe('fail');
    expect(schemas.problems).toEqual(['k8s/prod/orders.k8s.yaml: Deployment shop/orders: data/spec/template/spec/containers/0/ports/0/containerPort must be integer']);
  });

  it('names the rule and the offset of PromQL and LogQL that does not parse, in the rule files and the PrometheusRule', () => {
    const dir = output('bad-queries');
    edit(dir, 'prometheus/prod/orders.rules.yaml', 'expr: vector(0.995)', 'expr: vector(0.995');
    edit(dir, 'k8s/prod/orders.k8s.yaml', 'expr: vector(0.995)', 'expr: vector(0.995');
    edit(dir, 'loki/prod/orders.rules.yaml', '|= "panic" [5m]', '|= "panic" [5m');
    const results = validateOutput(dir, { tools: false, skip: ['schemas'] });
    expect(status(results)).toMatchObject({ promql: 'fail', logql: 'fail' });
    expect(results[1].problems).toEqual([
      'prometheus/prod/orders.rules.yaml: group orders-slo-availability, slo:objective:ratio: offset 12: unexpected end of expression in "vector(0.995"',
      'k8s/prod/orders.k8s.yaml: PrometheusRule shop/orders: group orders-slo-availability, slo:objective:ratio: offset 12: unexpected end of expression in "vector(0.995"',
    ]);
    expect(results[2].problems).toHaveLength(1);
    expect(results[2].problems[0]).toMatch(/^loki\/prod\/orders\.rules\.yaml: group orders-logs, OrdersPanics: offset \d+: /);
  });

  it('skips what is asked, and what has nothing to look at', () => {
    const empty = path.join(scratch(), 'empty');
    fs.mkdirSync(empty);
    const results = validateOutput(empty, { skip: ['schemas'] });
    expect(results[0]).toEqual({ check: 'schemas', status: 'skipped', summary: 'skipped on request', problems: [] });
    expect(results.slice(3).map((r) => r.summary)).toEqual(['no rule files in the output', 'no rule test files in the output', 'no Alertmanager configurations in the output']);
  });

  it("keeps the lines of the tools' failed files and drops those that succeeded", () => {
    const output = ['Checking a.yaml', '  SUCCESS: 3 rules found', '', 'Checking b.yaml', '  FAILED:', 'b.yaml: 7:13: group "g", rule 1: could not parse expression'].join('\n');
    expect(failedBlocks(output)).toEqual(['Checking b.yaml', '  FAILED:', 'b.yaml: 7:13: group "g", rule 1: could not parse expression']);
  });

  describeWithTool('promtool', 'with promtool', () => {
    it('passes the rule files and their tests, and fails a rule file promtool refuses', () => {
      const dir = output('promtool');
      const good = validateOutput(dir, { skip: ['schemas', 'promql', 'logql', 'amtool'] });
      expect(status(good)).toMatchObject({ 'promtool-rules': 'pass', 'promtool-tests': 'pass' });
      expect(good[3].summary).toBe('promtool check rules on 1 rule file');
      edit(dir, 'prometheus/prod/orders.rules.yaml', /for: \S+/, 'for: soon');
      const bad = validateOutput(dir, { skip: ['schemas', 'promql', 'logql', 'promtool-tests', 'amtool'] });
      expect(bad[3].status).toBe('fail');
      expect(bad[3].problems.join('\n')).toMatch(/prometheus\/prod\/orders\.rules\.yaml.*soon/);
    });
  });

  describeWithTool('amtool', 'with amtool', () => {
    it('passes the Alertmanager configuration, and fails one amtool refuses', () => {
      const dir = output('amtool');
      expect(validateOutput(dir, { skip: ['schemas', 'promql', 'logql', 'promtool-rules', 'promtool-tests'] })[5].status).toBe('pass');
      edit(dir, 'alertmanager/prod/alertmanager.yml', /receiver: \S+/, 'receiver: nobody');
      const amtool = validateOutput(dir, { skip: ['schemas', 'promql', 'logql', 'promtool-rules', 'promtool-tests'] })[5];
      expect(amtool.status).toBe('fail');
      expect(amtool.problems.join('\n')).toContain('nobody');
    });
  });
});
