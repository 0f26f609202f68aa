/**
 * How a canary or blue/green delivery measures the new version (`delivery.analysis`), and the
 * smoke traffic a blue/green preview takes before promotion (`delivery.smokeTraffic`). Every
 * rule against the service's SLOs and scrape interval is checked here, once; the analysis plans
 * of lib/delivery read the normalized settings and check nothing again.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
 */
import * as z from 'zod';
import { parseDuration } from '../promql/duration';
import { errorBudget } from '../slo/burn-rate';
import { Checks, DURATION_PROBLEM, PATH_PROBLEM } from './checks';
import type { Probe } from './probes';
import type { SloInput } from './slos';
import { TYPE, bool, map, num, obj, str } from './shape';

/** How the analysis measures; each setting optional, each with a default. */
export interface DeliveryAnalysisInput {
  /**
   * Time between two measurements, a Prometheus duration: at least the scrape interval, at most
   * a canary's step duration; every pause must be at least this long.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * Requests the canary must have served over a measurement's window for the measurement to
   * count; fewer make it inconclusive.
   * @default 100
   */
  readonly minRequests?: number;
  /**
   * Highest error ratio of the new version per availability SLO (by SLO name), above 0 and at
   * most the SLO's error budget (`1 - objective / 100`).
   * @default each availability SLO's error budget
   */
  readonly maxErrorRatio?: Readonly<Record<string, number>>;
  /**
   * Highest latency in seconds of the new version at the SLO's percentile per latency SLO (by SLO
   * name), above 0 and at most the SLO's threshold.
   * @default each latency SLO's `thresholdSeconds`
   */
  readonly maxLatencySeconds?: Readonly<Record<string, number>>;
  /**
   * Canary only: fail when the canary's error ratio exceeds stable's by more than
   * `maxIncreasePoints` percentage points (a difference, not a ratio of ratios), at most the
   * strictest availability SLO's error budget in percent.
   * @default false (no comparison); `maxIncreasePoints` defaults to that error budget in percent
   */
  readonly compareToStable?: false | { readonly maxIncreasePoints?: number };
  /**
   * The playbook's automatic rollback: more than 5% errors within 10 minutes of the deploy aborts.
   * @default true
   */
  readonly earlyRollback?: boolean;
}

/** The normalized analysis settings: every threshold filled in per SLO. */
export interface DeliveryAnalysis {
  readonly interval: string;
  readonly minRequests: number;
  /** The error-ratio threshold of every availability SLO, by SLO name. */
  readonly maxErrorRatio: Readonly<Record<string, number>>;
  /** The latency threshold in seconds of every latency SLO, by SLO name. */
  readonly maxLatencySeconds: Readonly<Record<string, number>>;
  /** `false`, or the largest increase over stable in percentage points. */
  readonly compareToStable: false | { readonly maxIncreasePoints: number };
  readonly earlyRollback: boolean;
}

/**
 * The requests a blue/green preview takes before promotion, so that its pre-promotion analysis
 * measures something: the preview Service takes no user traffic.
 */
export interface SmokeTrafficInput {
  /**
   * HTTP path of the GET requests, sent to the preview Service: a cheap, idempotent request that
   * the service's requests metric counts.
   * @default the readiness probe's path when it is on the HTTP port, else '/'
   */
  readonly path?: string;
  /** Requests sent, from 1 to 10000. @default 600 */
  readonly requests?: number;
  /** Highest rate, requests per second, from 0.1 to 100 (one request at a time). @default 5 */
  readonly requestsPerSecond?: number;
}

/** The normalized smoke traffic. */
export interface SmokeTraffic {
  readonly path: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
}

/** The analysis settings when a definition gives none: the only source of the `@default`s above. */
export const ANALYSIS_DEFAULTS = Object.freeze({
  /** How often the analysis measures. A pause shorter than that would move on before one measurement. */
  interval: '1m',
  minRequests: 100,
  compareToStable: false as const,
  earlyRollback: true,
  /** The playbook's threshold: more than 5% errors aborts. */
  earlyRollbackErrorRatio: 0.05,
  /** The playbook's window after a deploy. */
  earlyRollbackWindow: '10m',
  /** Failed measurements of an SLO metric tolerated before the analysis fails: one noisy measurement. */
  sloFailureLimit: 1,
  /** Rate windows span at least this many scrapes, so `rate()` always has samples. */
  scrapesPerWindow: 4,
  /** Rate windows span at least this many measurement intervals, so measurements overlap. */
  intervalsPerWindow: 2,
  smokeTraffic: Object.freeze({ path: '/', requests: 600, requestsPerSecond: 5 }),
  /** Seconds the smoke Job's pod may take to start (scheduling, image pull) before its requests begin. */
  smokeStartSeconds: 60,
  /** Seconds each smoke request may take before it counts as unanswered. */
  smokeRequestTimeoutSeconds: 10,
});

/** Bounds of the smoke traffic. */
export const SMOKE_TRAFFIC_LIMITS = Object.freeze({ requests: 10_000, minRate: 0.1, maxRate: 100, maxSeconds: 1800 });

/** Schema of `delivery.analysis`. */
export const analysisSchema = obj({
  interval: str(DURATION_PROBLEM).optional(),
  minRequests: num(TYPE.integer).optional(),
  maxErrorRatio: map(num()).optional(),
  maxLatencySeconds: map(num()).optional(),
  compareToStable: z.union([z.literal(false), obj({ maxIncreasePoints: num().optional() })], { error: 'must be false or { maxIncreasePoints? }' }).optional(),
  earlyRollback: bool().optional(),
});

/** Schema of `delivery.smokeTraffic`. */
export const smokeTrafficSchema = obj({ path: str(PATH_PROBLEM).optional(), requests: num(TYPE.integer).optional(), requestsPerSecond: num().optional() });

/** What the analysis settings are checked against. */
export interface AnalysisContext {
  readonly strategy: 'canary' | 'blue-green';
  /** The service's SLOs; `undefined` when they are badly shaped, so nothing is checked against them. */
  readonly slos: readonly SloInput[] | undefined;
  /** The scrape interval in seconds. */
  readonly scrapeSeconds: number;
  /** A canary's step duration as it applies, and whether the definition wrote it. */
  readonly stepDuration?: { readonly value: string; readonly written: boolean };
}

type MeasuredSlo = Extract<SloInput, { kind: 'availability' | 'latency' }>;

/** The SLOs of a kind whose objective can carry a threshold (a broken objective is reported by the SLO checks). */
function slosOf<K extends MeasuredSlo['kind']>(slos: readonly SloInput[], kind: K): Extract<SloInput, { kind: K }>[] {
  return slos.filter((s): s is Extract<SloInput, { kind: K }> => s.kind === kind && Number.isFinite(s.objective) && s.objective > 0 && s.objective < 100);
}

/** The strictest availability SLO's error budget in percentage points; `undefined` without one. */
function budgetPoints(slos: readonly SloInput[]): number | undefined {
  const availability = slosOf(slos, 'availability');
  return availability.length === 0 ? undefined : Number((Math.min(...availability.map((s) => errorBudget(s.objective))) * 100).toPrecision(12));
}

/** Checks per-SLO thresholds: each names an SLO of the kind and is no looser than it. */
function checkThresholds(k: Checks, field: string, given: Readonly<Record<string, number>> | undefined, slos: readonly MeasuredSlo[], kind: MeasuredSlo['kind']): void {
  for (const [name, value] of Object.entries(given ?? {})) {
    const slo = slos.find((s) => s.name === name);
    if (slo === undefined) {
      k.c.add(`${field}.${name}`, `must name ${kind === 'availability' ? 'an' : 'a'} ${kind} SLO of the service (${slos.length > 0 ? slos.map((s) => s.name).join(', ') : 'none'})`, name);
      continue;
    }
    const limit = slo.kind === 'availability' ? errorBudget(slo.objective) : slo.thresholdSeconds;
    if (!(value > 0) || value > limit) {
      const what = kind === 'availability' ? 'error budget' : 'latency threshold';
      k.c.add(`${field}.${name}`, `must be above 0 and at most ${limit}, the ${what} of SLO ${name}: a looser threshold would pass a new version that breaks the SLO`, value);
    }
  }
}

/** Checks `delivery.analysis` against the service's SLOs, scrape interval and steps. */
export function checkAnalysis(k: Checks, analysis: DeliveryAnalysisInput | undefined, context: AnalysisContext): void {
  if (analysis === undefined) return;
  const at = 'delivery.analysis';
  if (analysis.interval !== undefined) {
    const seconds = k.duration(`${at}.interval`, analysis.interval);
    const step = context.stepDuration;
    if (seconds !== undefined && seconds < context.scrapeSeconds) {
      k.c.add(`${at}.interval`, `must be at least the scrape interval (${context.scrapeSeconds}s): measurements in between see no new samples`, analysis.interval);
    } else if (seconds !== undefined && step !== undefined && !step.written && seconds > (parseDuration(step.value) ?? Infinity)) {
      // A written step duration shorter than the interval is reported on delivery.stepDuration.
      k.c.add(`${at}.interval`, `must be at most the step duration (${step.value}, the default), so that every step is measured`, analysis.interval);
    }
  }
  if (analysis.minRequests !== undefined) k.int(`${at}.minRequests`, analysis.minRequests, 1, 1_000_000);
  if (context.strategy === 'blue-green' && analysis.compareToStable !== undefined && analysis.compareToStable !== false) {
    k.c.add(`${at}.compareToStable`, 'compares a canary with stable: once a blue/green promotion switches, the old version takes no traffic to compare with', analysis.compareToStable);
  }
  const slos = context.slos;
  if (slos === undefined) return;
  checkThresholds(k, `${at}.maxErrorRatio`, analysis.maxErrorRatio, slosOf(slos, 'availability'), 'availability');
  checkThresholds(k, `${at}.maxLatencySeconds`, analysis.maxLatencySeconds, slosOf(slos, 'latency'), 'latency');
  const compare = analysis.compareToStable;
  if (context.strategy === 'canary' && compare !== undefined && compare !== false) {
    const points = budgetPoints(slos);
    if (points === undefined) {
      k.c.add(`${at}.compareToStable`, 'needs an availability SLO: the comparison measures error ratios', compare);
    } else if (compare.maxIncreasePoints !== undefined && !(compare.maxIncreasePoints > 0 && compare.maxIncreasePoints <= points)) {
      k.c.add(`${at}.compareToStable.maxIncreasePoints`, `must be above 0 and at most ${points} percentage points, the strictest availability SLO's error budget`, compare.maxIncreasePoints);
    }
  }
}

/** Checks `delivery.smokeTraffic`. */
export function checkSmokeTraffic(k: Checks, smoke: SmokeTrafficInput | undefined): void {
  if (smoke === undefined) return;
  const at = 'delivery.smokeTraffic';
  const L = SMOKE_TRAFFIC_LIMITS;
  if (smoke.path !== undefined) k.path(`${at}.path`, smoke.path);
  const requestsOk = smoke.requests === undefined || k.int(`${at}.requests`, smoke.requests, 1, L.requests);
  const rate = smoke.requestsPerSecond;
  const rateOk = rate === undefined || (rate >= L.minRate && rate <= L.maxRate);
  if (!rateOk) k.c.add(`${at}.requestsPerSecond`, `must be a number from ${L.minRate} to ${L.maxRate} requests per second`, rate);
  const d = ANALYSIS_DEFAULTS.smokeTraffic;
  const seconds = (smoke.requests ?? d.requests) / (rate ?? d.requestsPerSecond);
  if (requestsOk && rateOk && seconds > L.maxSeconds) {
    const field = smoke.requests !== undefined ? `${at}.requests` : `${at}.requestsPerSecond`;
    k.c.add(field, `sends for ${Math.ceil(seconds)}s at ${rate ?? d.requestsPerSecond} requests per second; at most ${L.maxSeconds}s: the promotion waits for the smoke traffic`, smoke.requests ?? rate);
  }
}

/** Fills the analysis defaults; each SLO without a threshold of its own gets its SLO's. */
export function normalizeAnalysis(input: DeliveryAnalysisInput | undefined, slos: readonly SloInput[]): DeliveryAnalysis {
  const d = ANALYSIS_DEFAULTS;
  const compare = input?.compareToStable ?? d.compareToStable;
  const sorted = (entries: [string, number][]): Record<string, number> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    interval: input?.interval ?? d.interval,
    minRequests: input?.minRequests ?? d.minRequests,
    maxErrorRatio: sorted(slosOf(slos, 'availability').map((s) => [s.name, input?.maxErrorRatio?.[s.name] ?? errorBudget(s.objective)])),
    maxLatencySeconds: sorted(slosOf(slos, 'latency').map((s) => [s.name, input?.maxLatencySeconds?.[s.name] ?? s.thresholdSeconds])),
    compareToStable: compare === false ? false : { maxIncreasePoints: compare.maxIncreasePoints ?? budgetPoints(slos) ?? 0 },
    earlyRollback: input?.earlyRollback ?? d.earlyRollback,
  };
}

/** Fills the smoke-traffic defaults; the path is the readiness probe's when it is served on the HTTP port. */
export function normalizeSmokeTraffic(input: SmokeTrafficInput | undefined, readiness: Pick<Probe, 'path' | 'port'> | undefined, port: number | undefined): SmokeTraffic {
  const d = ANALYSIS_DEFAULTS.smokeTraffic;
  const readinessPath = readiness !== undefined && readiness.port === port ? readiness.path : undefined;
  return { path: input?.path ?? readinessPath ?? d.path, requests: input?.requests ?? d.requests, requestsPerSecond: input?.requestsPerSecond ?? d.requestsPerSecond };
}

/** Seconds the smoke traffic takes at its rate. */
export function smokeSeconds(smoke: SmokeTraffic): number {
  return Math.ceil(smoke.requests / smoke.requestsPerSecond);
}
