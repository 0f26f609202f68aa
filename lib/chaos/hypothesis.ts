/**
 * The steady-state hypothesis of a game-day experiment, from the service's SLOs: for each SLO
 * watched, the error ratio over the experiment's window must stay within the SLO's error budget
 * while the fault runs, and the experiment is stopped at once when the ratio over the fastest
 * paging tier's short window crosses that tier's threshold, before the SLO's own alert pages.
 *
 * Each query answers only while the SLO counted enough requests over its window: the
 * hypothesis `holds` query returns the ratio while it holds, `breaks` while it is broken, and
 * both return nothing without data, so a quiet service never passes for a steady one.
 * @see https://principlesofchaos.org/
 */
import type { EffectiveService, GameDayExperiment, Slo } from '../definition';
import { GAME_DAYS_DEFAULTS } from '../definition/game-days';
import { formatNumber, selector } from '../promql/build';
import { parseDuration } from '../promql/duration';
import { assertPromql } from '../promql/parse';
import { instantVectorProblems } from '../promql/types';
import { burnRateAlertSpecs, scopeMatchers, sliErrorRatioQuery, sliTotalRateQuery, sloErrorBudget } from './rule-names';

/** When to stop an experiment at once. */
export interface AbortCondition {
  /** The window of the ratio: the short window of the paging tier. */
  readonly window: string;
  /** The error ratio above which the experiment stops. */
  readonly maxErrorRatio: number;
  /** In words. */
  readonly statement: string;
  /** PromQL returning a series while the experiment must stop; nothing otherwise. */
  readonly query: string;
}

/** The steady state one SLO must keep while an experiment runs. */
export interface SteadyStateHypothesis {
  readonly slo: string;
  readonly sloKind: Slo['kind'];
  /** The experiment's duration: the window the ratio is taken over. */
  readonly window: string;
  /** The SLO's error budget: the highest error ratio the steady state allows. */
  readonly maxErrorRatio: number;
  /** Requests the SLO must have counted over the window for the hypothesis to be judged. */
  readonly minRequests: number;
  /** In words. */
  readonly statement: string;
  /** The SLO's error ratio over the window, while it counted `minRequests` requests. */
  readonly errorRatio: string;
  /** PromQL returning the ratio while the steady state holds; nothing when broken or without data. */
  readonly holds: string;
  /** PromQL returning the ratio while the steady state is broken; nothing when it holds or without data. */
  readonly breaks: string;
  readonly abort: AbortCondition;
}

/** The SLO's error ratio over a window; for availability a missing error series counts as no errors. */
function errorRatio(service: EffectiveService, slo: Slo, window: string): string {
  if (slo.kind !== 'availability') return sliErrorRatioQuery(service, slo, window);
  const scope = scopeMatchers(service);
  const metric = service.metrics.requestsMetric;
  return `(sum(rate(${selector(metric, scope, slo.totalSelector, slo.badSelector)}[${window}])) or on () vector(0))\n/\nsum(rate(${selector(metric, scope, slo.totalSelector)}[${window}]))`;
}

/** `ratio` only while the SLO counted `min` requests over the window. */
function measured(service: EffectiveService, slo: Slo, window: string, ratio: string, min: number): string {
  const seconds = parseDuration(window) ?? 0;
  return `(\n${ratio}\n)\nand on ()\n((${sliTotalRateQuery(service, slo, window)}) * ${seconds} >= ${min})`;
}

/**
 * The paging threshold the abort uses: the fastest burn-rate tier whose threshold an error
 * ratio can cross (below 1); without one, the error budget itself over the short window.
 */
function abortTier(slo: Slo): { window: string; threshold: number; words: string } {
  const tiers = burnRateAlertSpecs(slo).filter((t) => t.threshold < 1).sort((a, b) => b.factor - a.factor);
  const fastest = tiers[0];
  if (fastest !== undefined) return { window: fastest.shortWindow, threshold: fastest.threshold, words: `the ${fastest.severity} tier's burn (${formatNumber(fastest.factor)}× the budget)` };
  const shortest = [...slo.burnRateTiers].sort((a, b) => (parseDuration(a.shortWindow) ?? 0) - (parseDuration(b.shortWindow) ?? 0))[0];
  return { window: shortest?.shortWindow ?? '5m', threshold: sloErrorBudget(slo), words: 'the error budget (no burn-rate tier of this SLO can fire)' };
}

/** Fails when a generated query does not parse or is not an instant vector: a bug of the library, not of the definition. */
function checked(query: string, where: string): string {
  assertPromql(query, where);
  const problems = instantVectorProblems(query);
  if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
  return query;
}

/** The steady-state hypotheses of an experiment: one per SLO it watches, in the service's SLO order. */
export function steadyStateHypotheses(service: EffectiveService, experiment: GameDayExperiment): SteadyStateHypothesis[] {
  const min = GAME_DAYS_DEFAULTS.minRequests;
  const where = `[${service.environment}/${service.name}] game day ${experiment.name}`;
  return service.slos
    .filter((slo) => experiment.slos.includes(slo.name))
    .map((slo) => {
      const budget = sloErrorBudget(slo);
      const window = experiment.duration;
      const ratio = measured(service, slo, window, errorRatio(service, slo, window), min);
      const tier = abortTier(slo);
      const abortRatio = measured(service, slo, tier.window, errorRatio(service, slo, tier.window), min);
      return {
        slo: slo.name,
        sloKind: slo.kind,
        window,
        maxErrorRatio: budget,
        minRequests: min,
        statement: `SLO ${slo.name} (${formatNumber(slo.objective)}%): its error ratio over the last ${window} stays at most ${formatNumber(budget)}, its error budget, while the experiment runs.`,
        errorRatio: checked(ratio, `${where} ${slo.name}`),
        holds: checked(`(\n${ratio}\n) <= ${formatNumber(budget)}`, `${where} ${slo.name} holds`),
        breaks: checked(`(\n${ratio}\n) > ${formatNumber(budget)}`, `${where} ${slo.name} breaks`),
        abort: {
          window: tier.window,
          maxErrorRatio: tier.threshold,
          statement: `Stop at once when SLO ${slo.name}'s error ratio over the last ${tier.window} exceeds ${formatNumber(tier.threshold)}, ${tier.words}: users are hurt at the rate that pages.`,
          query: checked(`(\n${abortRatio}\n) > ${formatNumber(tier.threshold)}`, `${where} ${slo.name} abort`),
        },
      };
    });
}
