/**
 * Fuzzing the definition: mutated versions of the example platform are either refused with a
 * DefinitionError, or they synthesize output that promtool, amtool and the Kubernetes schemas
 * accept. Never a TypeError or any other error, never output a consumer refuses.
 *
 * The suite's run is short and repeats (a fixed seed); a long run is the same test:
 *   FUZZ_RUNS=2000 npx jest test/definition/fuzz.test.ts
 * Other seeds: FUZZ_SEED=<n>. A failure prints the seed and path to replay it with FUZZ_PATH.
 */
import { platform } from '../../apps/platform';
import { DefinitionError, definePlatform, defineService } from '../../lib/definition';
import { exampleInput, fuzzSettings, fuzzSummary, goYamlV2NonString, invariantViolation, manifestProblems, mutatedInput, runCase, runFuzz } from '../support/fuzz';
import { describeWithTool, hasTool } from '../support/tools';

const settings = fuzzSettings();

describe('the fuzzer', () => {
  it('starts from a copy of the example platform, which defines', async () => {
    expect(mutatedInput([]).input).toEqual(exampleInput());
    const input = exampleInput();
    expect(definePlatform({ ...input, services: input.services.map(defineService) })).toEqual(platform);
    const outcome = await runCase([{ op: 'set', path: ['services', 0, 'tier'], value: 'on' }]);
    expect(outcome.kind).toBe('rejected');
    expect(outcome.kind === 'rejected' && outcome.error).toBeInstanceOf(DefinitionError);
  });

  it('reads plain scalars as go-yaml v2 (kubectl) does', () => {
    for (const text of ['on', 'y', 'No', '~', '1_000', '0777', '1e3', '.5', '2026-12-01']) {
      expect([text, typeof goYamlV2NonString(text)]).toEqual([text, 'string']);
    }
    for (const text of ['e1', '1:20', '=', 'abc', '2026-13-01', '1.2.3', '-']) {
      expect([text, goYamlV2NonString(text)]).toEqual([text, undefined]);
    }
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "on"\n  b: on\n';
    expect(manifestProblems('x.k8s.yaml', manifest)[0]).toBe('x.k8s.yaml: ConfigMap x: the unquoted string "on" is the boolean true to go-yaml v2 (kubectl)');
  });

  it('names the mutations and the error of a violation', () => {
    const mutations = [{ op: 'delete', path: ['services', 0, 'slos', 1, 'thresholdSeconds'] }] as const;
    const message = invariantViolation([...mutations], { kind: 'crashed', stage: 'defineService', error: new TypeError('x is undefined') });
    expect(message).toContain('delete services[0].slos[1].thresholdSeconds');
    expect(message).toContain('TypeError: x is undefined');
  });
});

describeWithTool('promtool', 'mutated definitions of the example platform', () => {
  // amtool is needed as much as promtool; the suite would otherwise pass vacuously without it.
  const tools = ['amtool'].filter((tool) => !hasTool(tool));

  it(
    `are refused with a DefinitionError or synthesize output every consumer accepts (${settings.runs} runs, seed ${settings.seed})`,
    async () => {
      expect(tools).toEqual([]);
      try {
        await runFuzz(settings);
      } finally {
        // eslint-disable-next-line no-console
        console.log(`fuzz: ${fuzzSummary()}`);
      }
    },
    settings.timeoutMs,
  );
});
