import { evaluateCondition, measurementPhase, metricPhase, parseCondition } from '../support/argo-expression';

describe('the Argo condition subset evaluator', () => {
  it('compares numbers of the result, with NaN comparing false', () => {
    expect(evaluateCondition('result[0] <= 0.01', [0.01])).toBe(true);
    expect(evaluateCondition('result[0] > 0.01', [0.01])).toBe(false);
    expect(evaluateCondition('result[1] == 2 && result[0] != 2', [1, 2])).toBe(true);
    expect(evaluateCondition('result[0] >= -1', [-1])).toBe(true);
    expect(evaluateCondition('result[0] < 5e-05', [1e-5])).toBe(true);
    expect(evaluateCondition('result[0] <= 1', [NaN])).toBe(false);
    expect(evaluateCondition('result[0] > 1', [NaN])).toBe(false);
  });

  it('reads len, isNaN, negation, || and && with && binding tighter', () => {
    expect(evaluateCondition('len(result) == 0 || isNaN(result[0])', [])).toBe(true);
    expect(evaluateCondition('len(result) == 0 || isNaN(result[0])', [NaN])).toBe(true);
    expect(evaluateCondition('len(result) == 0 || isNaN(result[0])', [1])).toBe(false);
    expect(evaluateCondition('!isNaN(result[0])', [1])).toBe(true);
    expect(evaluateCondition('len(result) == 1 || len(result) == 2 && result[1] > 5', [1])).toBe(true);
    expect(evaluateCondition('(len(result) == 1 || len(result) == 2) && result[0] > 5', [1])).toBe(false);
  });

  it('short-circuits, so a guarded index never errors', () => {
    expect(evaluateCondition('len(result) == 1 && result[0] > 0', [])).toBe(false);
    expect(() => evaluateCondition('result[0] > 0', [])).toThrow('index out of range: 0 (len 0)');
  });

  it('refuses anything outside the subset', () => {
    expect(() => parseCondition('result[0] in [1, 2]')).toThrow('outside the supported subset');
    expect(() => parseCondition('asFloat(result) > 1')).toThrow('outside the supported subset: asFloat');
    expect(() => parseCondition('result[0] > 1 1')).toThrow('unexpected 1');
    expect(() => parseCondition('result[0] > "a"')).toThrow('outside the supported subset');
  });

  it('assigns the measurement phase as Argo Rollouts does', () => {
    const both = { successCondition: 'len(result) == 1 && result[0] <= 1', failureCondition: 'len(result) == 1 && result[0] > 1' };
    expect(measurementPhase(both, [0.5])).toBe('Successful');
    expect(measurementPhase(both, [2])).toBe('Failed');
    expect(measurementPhase(both, [])).toBe('Inconclusive');
    expect(measurementPhase({ successCondition: 'result[0] <= 1' }, [2])).toBe('Failed');
    expect(measurementPhase({ failureCondition: 'result[0] > 1' }, [0])).toBe('Successful');
    expect(measurementPhase({}, [])).toBe('Successful');
    expect(measurementPhase({ successCondition: 'result[0] <= 1' }, [])).toBe('Error');
  });
});

describe('the metric assessment', () => {
  const limits = { count: 3, failureLimit: 0, inconclusiveLimit: 2, consecutiveErrorLimit: 1 };

  it('passes a metric once count measurements took place without crossing a limit', () => {
    expect(metricPhase(['Inconclusive', 'Inconclusive', 'Successful'], limits)).toBe('Successful');
    expect(metricPhase(['Successful', 'Error', 'Successful'], limits)).toBe('Successful');
  });

  it('fails, errs or gives up as soon as a limit is crossed, and runs until then', () => {
    expect(metricPhase(['Successful', 'Failed'], limits)).toBe('Failed');
    expect(metricPhase(['Inconclusive', 'Inconclusive', 'Inconclusive'], limits)).toBe('Inconclusive');
    expect(metricPhase(['Error', 'Error'], limits)).toBe('Error');
    expect(metricPhase(['Successful'], limits)).toBe('Running');
    expect(metricPhase(['Failed'], { ...limits, failureLimit: 1 })).toBe('Running');
  });
});
