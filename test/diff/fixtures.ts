import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parsePlatform } from '../../lib/definition';
import { OutputFileText, readOutputFiles } from '../../lib/diff';
import { synthesizePlatform } from '../../lib/synth';

/** The example platform as a file (the same platform as apps/platform.ts, a test checks). */
export const EXAMPLE_YAML = fs.readFileSync(path.resolve(__dirname, '../../apps/platform.yaml'), 'utf8');

/** The example with checkout's escalation contacts dropped: a critical service that fails readiness (alerting.escalation). */
export function withoutCheckoutEscalation(yaml: string): string {
  const lines = '      escalation:\n        - payments-oncall@example.com\n        - head-of-payments@example.com\n';
  if (!yaml.includes(lines)) throw new Error("the example's checkout escalation moved");
  return yaml.replace(lines, '');
}

/**
 * A realistic change of the example: checkout's availability objective raised from 99.9% to
 * 99.95%, and a 75% step added to its canary (the default steps are 1, 5, 10, 25, 50, 100).
 */
export function raiseObjectiveAndAddCanaryStep(yaml: string): string {
  const changed = yaml
    .replace(/(name: availability\n\s+objective: )99\.9\n/, '$199.95\n')
    .replace(/(\n(\s+)strategy: canary\n)/, '$1$2steps: [1, 5, 10, 25, 50, 75, 100]\n');
  if (changed.split('\n').length !== yaml.split('\n').length + 1 || !changed.includes('objective: 99.95\n')) {
    throw new Error('the example platform no longer has the fields this change edits');
  }
  return changed;
}

/** The files of a synthesis of the example (or of a changed copy of it), in a fresh folder. */
export function synthesizeExample(yaml = EXAMPLE_YAML, environments?: readonly string[]): { dir: string; files: OutputFileText[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-diff-'));
  synthesizePlatform(parsePlatform(yaml), dir, environments !== undefined ? { environments } : {});
  return { dir, files: readOutputFiles(dir) };
}

/** The same change in apps/platform.ts. */
export function raiseObjectiveAndAddCanaryStepInTypeScript(ts: string): string {
  const changed = ts
    .replace("{ kind: 'availability', name: 'availability', objective: 99.9, minRequestRate: 1 }", "{ kind: 'availability', name: 'availability', objective: 99.95, minRequestRate: 1 }")
    .replace("delivery: { strategy: 'canary', stepDuration: '10m',", "delivery: { strategy: 'canary', steps: [1, 5, 10, 25, 50, 75, 100], stepDuration: '10m',");
  if (!changed.includes('objective: 99.95,') || !changed.includes('steps: [1, 5, 10, 25, 50, 75, 100]')) {
    throw new Error('apps/platform.ts no longer has the fields this change edits');
  }
  return changed;
}
