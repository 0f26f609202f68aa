/**
 * Game days a service opts into (`gameDays`): chaos experiments run on demand, each watched by
 * a steady-state hypothesis from the service's SLOs, and the date the last game day was held,
 * which the production-readiness check reads.
 * @see https://chaos-mesh.org/docs/simulate-pod-chaos-on-kubernetes/
 * @see https://chaos-mesh.org/docs/simulate-network-chaos-on-kubernetes/
 */
import * as z from 'zod';
import { parseDuration } from '../promql/duration';
import { Checks, DNS_LABEL_PROBLEM, DURATION_PROBLEM } from './checks';
import type { SloInput } from './slos';
import { list, num, obj, str } from './shape';

/** What every experiment has. */
interface ExperimentCommonInput {
  /** DNS-1123 label, unique among the service's experiments; the chaos object is `<service>-<name>`. */
  readonly name: string;
  /** What the team wants to learn, for the runbook. @default a sentence naming the fault */
  readonly description?: string;
  /**
   * How long the fault lasts (`pod-failure` and the network faults) or, for `pod-kill`, how long
   * the hypothesis is watched after the kill; a Prometheus duration from 4 scrape intervals to 1h.
   * @default '5m'
   */
  readonly duration?: string;
  /** Percent of the service's pods hit, a whole number from 1 to 100. @default none: one pod */
  readonly podPercent?: number;
  /** Names of the SLOs whose steady state must hold. @default every SLO of the service */
  readonly slos?: readonly string[];
}

/** Kill pods: Kubernetes replaces them. */
export interface PodKillExperimentInput extends ExperimentCommonInput {
  readonly kind: 'pod-kill';
}

/** Make pods fail (their containers replaced by a pause image) for the duration. */
export interface PodFailureExperimentInput extends ExperimentCommonInput {
  readonly kind: 'pod-failure';
}

/** Delay every packet the pods send. */
export interface NetworkDelayExperimentInput extends ExperimentCommonInput {
  readonly kind: 'network-delay';
  /** Added latency, a duration from 1ms to 10s such as `200ms`. */
  readonly latency: string;
  /** Random variation around the latency, at most the latency. @default '0ms' */
  readonly jitter?: string;
}

/** Drop a share of the packets the pods send. */
export interface NetworkLossExperimentInput extends ExperimentCommonInput {
  readonly kind: 'network-loss';
  /** Percent of packets dropped, above 0 and at most 100. */
  readonly lossPercent: number;
}

/** One chaos experiment, by kind. */
export type GameDayExperimentInput = PodKillExperimentInput | PodFailureExperimentInput | NetworkDelayExperimentInput | NetworkLossExperimentInput;

/** The game days of a service. */
export interface GameDaysInput {
  /** The experiments, each run on demand (`kubectl apply` of its file). @default [] */
  readonly experiments?: readonly GameDayExperimentInput[];
  /** The day the last game day was held, `YYYY-MM-DD`; the readiness check wants one within the last quarter. @default none: never */
  readonly lastHeld?: string;
}

/** A normalized experiment: every field filled, `slos` the SLO names watched. */
export type GameDayExperiment = (
  | { readonly kind: 'pod-kill' | 'pod-failure' }
  | { readonly kind: 'network-delay'; readonly latency: string; readonly jitter: string }
  | { readonly kind: 'network-loss'; readonly lossPercent: number }
) & {
  readonly name: string;
  readonly description: string;
  readonly duration: string;
  /** Absent: one pod. */
  readonly podPercent?: number;
  readonly slos: readonly string[];
};

/** Normalized game days. */
export interface GameDays {
  readonly experiments: readonly GameDayExperiment[];
  readonly lastHeld?: string;
}

/** The experiment kinds. */
export const GAME_DAY_EXPERIMENT_KINDS = ['pod-kill', 'pod-failure', 'network-delay', 'network-loss'] as const;

/** Game-day settings when a definition gives none: the only source of the `@default`s above. */
export const GAME_DAYS_DEFAULTS = Object.freeze({
  duration: '5m',
  jitter: '0ms',
  /** The longest experiment. */
  maxDuration: '1h',
  /** The largest added latency. */
  maxLatency: '10s',
  /** Requests an SLO must have counted over the window for its hypothesis to be judged. */
  minRequests: 100,
  descriptions: Object.freeze({
    'pod-kill': 'Kill pods and watch Kubernetes replace them while the SLOs hold.',
    'pod-failure': 'Make pods fail for the duration and watch the others carry the traffic.',
    'network-delay': 'Delay every packet the pods send and watch the SLOs.',
    'network-loss': 'Drop packets the pods send and watch the SLOs.',
  }) as Readonly<Record<GameDayExperimentInput['kind'], string>>,
});

/** Longest experiment description. */
const MAX_DESCRIPTION = 500;
/** Longest object name: a label, so that it fits every label value the controller derives from it. */
const MAX_OBJECT_NAME = 63;
const PERCENT_PROBLEM = 'must be a whole percentage from 1 to 100';
const DATE_PROBLEM = 'must be a date written YYYY-MM-DD';
const LATENCY_PROBLEM = 'must be a duration such as 200ms, 1s or 1500ms';

const common = {
  name: str(DNS_LABEL_PROBLEM),
  description: str().optional(),
  duration: str(DURATION_PROBLEM).optional(),
  podPercent: num(PERCENT_PROBLEM).optional(),
  slos: list(str(), 'must be a list of SLO names').optional(),
};

/** Schema of `gameDays`. */
export const gameDaysSchema = obj({
  experiments: list(
    z.discriminatedUnion(
      'kind',
      [
        obj({ kind: z.literal('pod-kill'), ...common }),
        obj({ kind: z.literal('pod-failure'), ...common }),
        obj({ kind: z.literal('network-delay'), ...common, latency: str(LATENCY_PROBLEM), jitter: str(LATENCY_PROBLEM).optional() }),
        obj({ kind: z.literal('network-loss'), ...common, lossPercent: num() }),
      ],
      { error: `must be an experiment with a kind: ${GAME_DAY_EXPERIMENT_KINDS.join(', ')}` },
    ),
  ).optional(),
  lastHeld: str(DATE_PROBLEM).optional(),
});

/** Whether text is a real calendar day written `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Milliseconds-or-longer durations for the network latency (`200ms`, `1s`), in seconds. */
function latencySeconds(k: Checks, field: string, value: string): number | undefined {
  const seconds = parseDuration(value);
  if (seconds === undefined && value !== '0ms') {
    k.c.add(field, LATENCY_PROBLEM, value);
    return undefined;
  }
  return seconds ?? 0;
}

/** What the game days are checked against. */
export interface GameDaysContext {
  /** The service's name: the chaos objects are named after it. */
  readonly service: string;
  /** The service's SLOs, which the hypotheses come from; `undefined` when badly shaped. */
  readonly slos: readonly SloInput[] | undefined;
  /** The scrape interval in seconds: a window shorter than 4 scrapes has too few samples. */
  readonly scrapeSeconds: number;
}

/** Checks `gameDays`: names, durations, shares, faults, SLOs to watch and the date. */
export function checkGameDays(k: Checks, gameDays: GameDaysInput | undefined, context: GameDaysContext): void {
  if (gameDays === undefined) return;
  if (gameDays.lastHeld !== undefined && !isCalendarDate(gameDays.lastHeld)) k.c.add('gameDays.lastHeld', DATE_PROBLEM, gameDays.lastHeld);
  const experiments = gameDays.experiments ?? [];
  if (experiments.length > 0 && context.slos !== undefined && context.slos.length === 0) {
    k.c.add('gameDays.experiments', 'need an SLO in slos: each experiment is judged by the steady state of the service\'s SLOs', experiments.map((e) => e.name));
  }
  const minSeconds = Math.max(60, 4 * context.scrapeSeconds);
  const maxSeconds = parseDuration(GAME_DAYS_DEFAULTS.maxDuration) ?? 3600;
  const seen = new Map<string, number>();
  experiments.forEach((e, i) => {
    const at = `gameDays.experiments[${i}]`;
    if (k.label(`${at}.name`, e.name)) {
      const objectName = `${context.service}-${e.name}`;
      if (objectName.length > MAX_OBJECT_NAME) k.c.add(`${at}.name`, `makes the object name ${objectName} longer than ${MAX_OBJECT_NAME} characters`, e.name);
      const first = seen.get(e.name);
      if (first !== undefined) k.c.add(`${at}.name`, `duplicates gameDays.experiments[${first}]: experiment names must be unique`, e.name);
      else seen.set(e.name, i);
    }
    if (e.description !== undefined) k.text(`${at}.description`, e.description, MAX_DESCRIPTION);
    if (e.duration !== undefined) {
      const seconds = k.duration(`${at}.duration`, e.duration);
      if (seconds !== undefined && (seconds < minSeconds || seconds > maxSeconds)) {
        k.c.add(`${at}.duration`, `must be from ${minSeconds}s (4 scrape intervals, at least a minute: the hypothesis needs samples) to ${GAME_DAYS_DEFAULTS.maxDuration}`, e.duration);
      }
    }
    if (e.podPercent !== undefined && !(Number.isInteger(e.podPercent) && e.podPercent >= 1 && e.podPercent <= 100)) k.c.add(`${at}.podPercent`, PERCENT_PROBLEM, e.podPercent);
    if (context.slos !== undefined) {
      const names = context.slos.map((s) => s.name);
      (e.slos ?? []).forEach((name, j) => {
        if (!names.includes(name)) k.c.add(`${at}.slos[${j}]`, `must name an SLO of the service (${names.length > 0 ? names.join(', ') : 'none'})`, name);
      });
      if (e.slos !== undefined && e.slos.length === 0) k.c.add(`${at}.slos`, 'must name at least one SLO, or be left out to watch them all', e.slos);
    }
    if (e.kind === 'network-delay') {
      const latency = latencySeconds(k, `${at}.latency`, e.latency);
      const max = parseDuration(GAME_DAYS_DEFAULTS.maxLatency) ?? 10;
      if (latency !== undefined && !(latency >= 0.001 && latency <= max)) k.c.add(`${at}.latency`, `must be from 1ms to ${GAME_DAYS_DEFAULTS.maxLatency}`, e.latency);
      const jitter = e.jitter === undefined ? 0 : latencySeconds(k, `${at}.jitter`, e.jitter);
      if (jitter !== undefined && latency !== undefined && jitter > latency) k.c.add(`${at}.jitter`, `must be at most the latency (${e.latency})`, e.jitter);
    }
    if (e.kind === 'network-loss' && !(e.lossPercent > 0 && e.lossPercent <= 100)) k.c.add(`${at}.lossPercent`, 'must be a percentage above 0 and at most 100', e.lossPercent);
  });
}

/** Fills the game-day defaults; `slos` are the service's SLOs (every one watched unless an experiment names some). */
export function normalizeGameDays(input: GameDaysInput | undefined, slos: readonly Pick<SloInput, 'name'>[]): GameDays {
  const d = GAME_DAYS_DEFAULTS;
  const experiments = (input?.experiments ?? []).map((e): GameDayExperiment => {
    const base = {
      name: e.name,
      description: e.description ?? d.descriptions[e.kind],
      duration: e.duration ?? d.duration,
      ...(e.podPercent !== undefined ? { podPercent: e.podPercent } : {}),
      slos: [...(e.slos ?? slos.map((s) => s.name))],
    };
    switch (e.kind) {
      case 'network-delay':
        return { kind: e.kind, latency: e.latency, jitter: e.jitter ?? d.jitter, ...base };
      case 'network-loss':
        return { kind: e.kind, lossPercent: e.lossPercent, ...base };
      default:
        return { kind: e.kind, ...base };
    }
  });
  return input?.lastHeld === undefined ? { experiments } : { experiments, lastHeld: input.lastHeld };
}
