/**
 * Fuzzing the definition: mutated versions of the example platform are either refused with a
 * DefinitionError, or they synthesize output that promtool, amtool and the Kubernetes schemas
 * accept. Never a TypeError or any other error, never output a consumer refuses.
 *
 * The suite's run is short and repeats (a fixed seed); a long run is the same test:
 *   FUZZ_RUNS=2000 npx jest test/definition/fuzz.test.ts
 * Other seeds: FUZZ_SEED=<n>. A failure prints the seed and path to replay it with FUZZ_PATH.
 */
import { DefinitionError } from '../../lib/definition';
import { exampleInput, fuzzSettings, fuzzSummary, invariantViolation, mutatedInput, runCase, runFuzz } from '../support/fuzz';
import { describeWithTool, hasTool } from '../support/tools';

const settings = fuzzSettings();

describe('the fuzzer', () => {
  it('starts from a copy of the example platform, which defines', async () => {
    expect(mutatedInput([]).input).toEqual(exampleInput());
    const outcome = await runCase([{ op: 'set', path: ['services', 0, 'tier'], value: 'on' }]);
    expect(outcome.kind).toBe('rejected');
    expect(outcome.kind === 'rejected' && outcome.error).toBeInstanceOf(DefinitionError);
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
