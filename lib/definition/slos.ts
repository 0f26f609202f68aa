/**
 * Service level objectives: availability, latency and custom ratios, each with its burn-rate
 * tiers. Selectors and queries are checked with Prometheus's own rules: RE2 regular
 * expressions and PromQL that type-checks as an instant vector.
 * @see https://sre.google/workbook/implementing-slos/
 */
import * as z from 'zod';
import { matches, parseMatchers, re2Problem, substituteWindow, WINDOW_PLACEHOLDER } from '../promql/build';
import { parseDuration } from '../promql/duration';
import { promqlErrors, selectedMetrics } from '../promql/parse';
import { instantVectorProblems } from '../promql/types';
import { DEFAULT_BURN_RATE_TIERS, burnFactor, errorBudget } from '../slo/burn-rate';
import { BurnRateTier, SEVERITIES, SLO_PERIODS, Severity, SloPeriod } from '../slo/types';
import { CONTROL_CHARACTERS, Checks, DURATION_PROBLEM } from './checks';
import { list, num, obj, oneOf, str } from './shape';

/** A multiwindow burn-rate tier: the share of the error budget it detects over a window. */
export interface BurnRateTierInput {
  /** Share of the period's error budget spent when the alert fires, percent (e.g. 2). */
  readonly budgetPercent: number;
  /** Long window, Prometheus duration (e.g. `1h`). */
  readonly longWindow: string;
  /** Short window, Prometheus duration (e.g. `5m`). */
  readonly shortWindow: string;
  /** Severity of the alert. */
  readonly severity: Severity;
}

/** Fields every SLO kind has. */
interface SloCommonInput {
  /** DNS-1123 label, unique within the service (e.g. `availability`). */
  readonly name: string;
  /** Objective in percent, strictly between 0 and 100 (e.g. 99.9). */
  readonly objective: number;
  /** @default '30d' */
  readonly period?: SloPeriod;
  /** @default a sentence derived from the kind and objective */
  readonly description?: string;
  /**
   * Burn-rate tiers; `[]` disables burn-rate alerts for this SLO.
   * @default the SRE workbook tiers: 2%/1h/5m critical, 5%/6h/30m high, 10%/1d/2h medium, 10%/3d/6h medium
   */
  readonly burnRateTiers?: readonly BurnRateTierInput[];
  /**
   * Low-traffic guard: burn-rate alerts page only while the request rate (req/s, over the
   * long window) is at least this much.
   * @default no guard
   */
  readonly minRequestRate?: number;
}

/** Availability: the share of requests that did not fail. */
export interface AvailabilitySloInput extends SloCommonInput {
  readonly kind: 'availability';
  /**
   * Label matchers selecting failed requests on the request counter.
   * @default 'code=~"5.."'
   */
  readonly badSelector?: string;
  /**
   * Label matchers selecting all counted requests.
   * @default '' (every request)
   */
  readonly totalSelector?: string;
}

/** Latency: the share of requests faster than a threshold. */
export interface LatencySloInput extends SloCommonInput {
  readonly kind: 'latency';
  /** Threshold in seconds; must be one of the metrics' latency buckets. */
  readonly thresholdSeconds: number;
  /**
   * Label matchers selecting the requests counted.
   * @default ''
   */
  readonly selector?: string;
}

/**
 * A custom ratio given as PromQL. `{{window}}` in each query is replaced by the range
 * (e.g. `5m`), as in `sum(rate(jobs_succeeded_total[{{window}}]))`.
 */
export interface CustomSloInput extends SloCommonInput {
  readonly kind: 'custom';
  /** PromQL for the rate of good events, with `{{window}}`. */
  readonly goodQuery: string;
  /** PromQL for the rate of all events, with `{{window}}`. */
  readonly totalQuery: string;
}

/** A service level objective, as data. */
export type SloInput = AvailabilitySloInput | LatencySloInput | CustomSloInput;

export type { BurnRateTier } from '../slo/types';

interface SloCommon {
  readonly name: string;
  readonly objective: number;
  readonly period: SloPeriod;
  readonly description: string;
  readonly burnRateTiers: readonly BurnRateTier[];
  readonly minRequestRate?: number;
}

/** A normalized availability SLO. */
export interface AvailabilitySlo extends SloCommon {
  readonly kind: 'availability';
  readonly badSelector: string;
  readonly totalSelector: string;
}

/** A normalized latency SLO. */
export interface LatencySlo extends SloCommon {
  readonly kind: 'latency';
  readonly thresholdSeconds: number;
  readonly selector: string;
}

/** A normalized custom SLO. */
export interface CustomSlo extends SloCommon {
  readonly kind: 'custom';
  readonly goodQuery: string;
  readonly totalQuery: string;
}

/** A normalized SLO. */
export type Slo = AvailabilitySlo | LatencySlo | CustomSlo;

/** SLO settings when a definition gives none: the only source of the `@default`s above. */
export const SLO_DEFAULTS = Object.freeze({
  period: '30d' as SloPeriod,
  burnRateTiers: DEFAULT_BURN_RATE_TIERS,
  badSelector: 'code=~"5.."',
  totalSelector: '',
  selector: '',
});

/** Limits on what an SLO may hold. */
export const SLO_LIMITS = Object.freeze({ slosPerService: 20, tiersPerSlo: 6, descriptionLength: 512, queryLength: 1024, selectorLength: 256, minRequestRate: 0.001, maxRequestRate: 1e9, minObjective: 50 });

const OBJECTIVE_PROBLEM = 'must be a percentage strictly between 0 and 100 (e.g. 99.9)';
const SELECTOR_PROBLEM = 'must be PromQL label matchers separated by commas, e.g. code=~"5..",method!="OPTIONS"';
const QUERY_PROBLEM = `must be PromQL containing ${WINDOW_PLACEHOLDER} where the range goes`;
const BUDGET_PROBLEM = 'must be a percentage above 0 and at most 100';
const RATE_PROBLEM = 'must be a positive number of requests per second';
const DNS_LABEL_PROBLEM = 'must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';

const tierSchema = obj({
  budgetPercent: num(BUDGET_PROBLEM),
  longWindow: str(DURATION_PROBLEM),
  shortWindow: str(DURATION_PROBLEM),
  severity: oneOf(SEVERITIES as unknown as readonly [Severity, ...Severity[]]),
});

const common = {
  name: str(DNS_LABEL_PROBLEM),
  objective: num(OBJECTIVE_PROBLEM),
  period: oneOf(SLO_PERIODS as unknown as readonly [SloPeriod, ...SloPeriod[]]).optional(),
  description: str().optional(),
  burnRateTiers: list(tierSchema, 'must be a list of tiers').optional(),
  minRequestRate: num(RATE_PROBLEM).optional(),
};

/** Schema of one SLO, chosen by `kind`. */
export const sloSchema = z.discriminatedUnion(
  'kind',
  [
    obj({ kind: z.literal('availability'), ...common, badSelector: str(SELECTOR_PROBLEM).optional(), totalSelector: str(SELECTOR_PROBLEM).optional() }),
    obj({ kind: z.literal('latency'), ...common, thresholdSeconds: num('must be a positive number of seconds'), selector: str(SELECTOR_PROBLEM).optional() }),
    obj({ kind: z.literal('custom'), ...common, goodQuery: str(QUERY_PROBLEM), totalQuery: str(QUERY_PROBLEM) }),
  ],
  { error: 'must be an SLO object with a kind: availability, latency or custom' },
);

/** Schema of `slos`. */
export const slosSchema = list(sloSchema);

export { re2Problem };

/**
 * The labels the library selects a service's series by (`scopeMatchers`): `job` (the service's
 * name) and `namespace`, with `=`, ANDed with an SLO's selectors.
 */
export type SelectorScope = Readonly<Record<'job' | 'namespace', string>>;

/**
 * A selector is the inside of `{...}`: comma-separated label matchers. Regular expressions
 * must compile as RE2, the engine Prometheus uses; the metric name is the library's to set.
 */

function checkSelector(k: Checks, field: string, selector: string | undefined, scope?: SelectorScope, bad = false): void {
  if (selector === undefined) {
    return;
  }
  if (selector.length > SLO_LIMITS.selectorLength) {
    k.c.add(field, `must be at most ${SLO_LIMITS.selectorLength} characters long (has ${selector.length})`, `<${selector.length} characters>`);
    return;
  }
  const matchers = parseMatchers(selector);
  if (matchers === undefined) {
    k.c.add(field, SELECTOR_PROBLEM, selector);
    return;
  }
  let valid = true;
  for (const matcher of matchers) {
    const problem =
      matcher.name === '__name__'
        ? 'must not match __name__: the library selects the metric'
        : matcher.name === 'le'
          ? 'must not match le: the library selects the histogram buckets'
          : CONTROL_CHARACTERS.test(matcher.value)
            ? `has a value for ${matcher.name} with control or non-characters, which YAML and Prometheus cannot carry`
            : (matcher.op === '=~' || matcher.op === '!~') && re2Problem(matcher.value) !== undefined
              ? `has an invalid regular expression for ${matcher.name} (Prometheus uses RE2: ${re2Problem(matcher.value)})`
              : undefined;
    if (problem !== undefined) {
      k.c.add(field, problem, selector);
      valid = false;
    }
  }
  if (!valid || scope === undefined) return;
  const selected = `the library selects job=${JSON.stringify(scope.job)}, namespace=${JSON.stringify(scope.namespace)} on every series`;
  const onScope = matchers.filter((m): m is typeof m & { name: keyof SelectorScope } => Object.hasOwn(scope, m.name));
  for (const matcher of onScope) {
    if (!matches(matcher, scope[matcher.name])) {
      k.c.add(field, `must accept the service's own ${matcher.name} ${JSON.stringify(scope[matcher.name])} (${matcher.name}${matcher.op}${JSON.stringify(matcher.value)} refuses it): ${selected}, so the selector would read no series`, selector);
    }
  }
  if (bad && onScope.length === matchers.length && onScope.every((m) => matches(m, scope[m.name]))) {
    k.c.add(field, `must select the failed requests by a label other than job and namespace: ${selected}, so it would count every request as failed`, selector);
  }
}

/** The query without its string literals, where a placeholder would be text, not a range. */
function withoutStrings(query: string): string {
  return query.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

function checkCustomQuery(k: Checks, field: string, query: string): void {
  if (query.length > SLO_LIMITS.queryLength) {
    k.c.add(field, `must be at most ${SLO_LIMITS.queryLength} characters long (has ${query.length})`, `<${query.length} characters>`);
    return;
  }
  if (!withoutStrings(query).includes(WINDOW_PLACEHOLDER)) {
    k.c.add(field, query.includes(WINDOW_PLACEHOLDER) ? `must use ${WINDOW_PLACEHOLDER} as a range, not inside a string` : QUERY_PROBLEM, query);
    return;
  }
  if (withoutStrings(query).split(WINDOW_PLACEHOLDER).length !== query.split(WINDOW_PLACEHOLDER).length) {
    k.c.add(field, `must use ${WINDOW_PLACEHOLDER} only as a range, not inside a string`, query);
    return;
  }
  const expr = substituteWindow(query, '5m');
  const types = instantVectorProblems(expr);
  const syntax = promqlErrors(expr);
  if (syntax.length > 0) {
    // The grammar knows only Prometheus's functions: say so rather than "unexpected input".
    const unknown = types.find((t) => t.startsWith('unknown function'));
    k.c.add(field, `must be valid PromQL once ${WINDOW_PLACEHOLDER} is replaced by a range: ${unknown ?? syntax[0].message}`, query);
    return;
  }
  if (types.length > 0) {
    k.c.add(field, `must be PromQL giving an instant vector once ${WINDOW_PLACEHOLDER} is replaced by a range: ${types[0]}`, query);
    return;
  }
  const own = selectedMetrics(expr).find((metric) => LIBRARY_RECORDS.some((prefix) => metric.startsWith(prefix)));
  if (own !== undefined) {
    k.c.add(field, `must not read ${own}: the library records the ${LIBRARY_RECORDS.join(' and ')} series itself, so the SLI would read its own rules' output`, query);
  }
}

/** The prefixes of the series the library's rules record (SLOs, right-sizing). */
const LIBRARY_RECORDS = ['slo:', 'service:'] as const;

/** Checks one SLO against the metrics it reads; `buckets` are the latency buckets that apply. */
export function checkSlo(k: Checks, field: string, slo: SloInput, buckets: readonly number[], bucketsGiven: boolean, scrapeSeconds: number, scope?: SelectorScope): void {
  k.label(`${field}.name`, slo.name, 40);
  const objectiveOk = slo.objective >= SLO_LIMITS.minObjective && slo.objective < 100;
  if (!(slo.objective > 0 && slo.objective < 100)) {
    k.c.add(`${field}.objective`, OBJECTIVE_PROBLEM, slo.objective);
  } else if (!objectiveOk) {
    // Below that, a burn at a multiple of the budget is more than every request failing.
    k.c.add(`${field}.objective`, `must be at least ${SLO_LIMITS.minObjective}: an error budget above half the requests makes burn rates meaningless`, slo.objective);
  }
  if (slo.description !== undefined) k.text(`${field}.description`, slo.description, SLO_LIMITS.descriptionLength);
  if (slo.minRequestRate !== undefined && !(slo.minRequestRate > 0 && slo.minRequestRate <= SLO_LIMITS.maxRequestRate)) {
    k.c.add(`${field}.minRequestRate`, `${RATE_PROBLEM}, at most ${SLO_LIMITS.maxRequestRate}`, slo.minRequestRate);
  } else if (slo.minRequestRate !== undefined && slo.minRequestRate < SLO_LIMITS.minRequestRate) {
    k.c.add(`${field}.minRequestRate`, `must be at least ${SLO_LIMITS.minRequestRate} requests per second (one request in about 17 minutes); leave it out for no guard`, slo.minRequestRate);
  }
  switch (slo.kind) {
    case 'availability':
      if (slo.badSelector !== undefined && slo.badSelector.trim() === '') {
        k.c.add(`${field}.badSelector`, 'must select the failed requests; an empty selector counts every request as failed', slo.badSelector);
      } else {
        checkSelector(k, `${field}.badSelector`, slo.badSelector, scope, true);
      }
      checkSelector(k, `${field}.totalSelector`, slo.totalSelector, scope);
      break;
    case 'latency':
      checkSelector(k, `${field}.selector`, slo.selector, scope);
      if (!(slo.thresholdSeconds > 0)) {
        k.c.add(`${field}.thresholdSeconds`, 'must be a positive number of seconds', slo.thresholdSeconds);
      } else if (!buckets.includes(slo.thresholdSeconds)) {
        const where = bucketsGiven ? 'metrics.latencyBuckets' : 'the default latency buckets';
        k.c.add(`${field}.thresholdSeconds`, `must be one of ${where}: ${buckets.join(', ')}`, slo.thresholdSeconds);
      } else if (slo.thresholdSeconds === buckets[buckets.length - 1]) {
        k.c.add(
          `${field}.thresholdSeconds`,
          `must be below the largest latency bucket (${slo.thresholdSeconds}): without a bucket above the threshold, percentiles never exceed it and the latency alert could never fire`,
          slo.thresholdSeconds,
        );
      }
      break;
    case 'custom':
      checkCustomQuery(k, `${field}.goodQuery`, slo.goodQuery);
      checkCustomQuery(k, `${field}.totalQuery`, slo.totalQuery);
      break;
  }
  const period = slo.period ?? SLO_DEFAULTS.period;
  const tiers = slo.burnRateTiers;
  if (tiers === undefined) {
    if (objectiveOk) checkTierThresholds(k, field, slo, undefined);
    return;
  }
  if (tiers.length > SLO_LIMITS.tiersPerSlo) {
    k.c.add(`${field}.burnRateTiers`, `must hold at most ${SLO_LIMITS.tiersPerSlo} tiers (has ${tiers.length})`, `<${tiers.length} tiers>`);
    return;
  }
  const seenWindows = new Map<string, number>();
  let tiersOk = true;
  tiers.forEach((tier, i) => {
    const t = `${field}.burnRateTiers[${i}]`;
    const before = k.c.count;
    if (!(tier.budgetPercent > 0 && tier.budgetPercent <= 100)) {
      k.c.add(`${t}.budgetPercent`, BUDGET_PROBLEM, tier.budgetPercent);
    }
    const long = k.duration(`${t}.longWindow`, tier.longWindow);
    const short = k.duration(`${t}.shortWindow`, tier.shortWindow);
    if (long !== undefined && short !== undefined && short >= long) {
      k.c.add(`${t}.shortWindow`, `must be shorter than the long window ${tier.longWindow}`, tier.shortWindow);
    } else if (short !== undefined && short < 2 * scrapeSeconds) {
      k.c.add(`${t}.shortWindow`, `must be at least twice the scrape interval (${scrapeSeconds}s) so that a rate over it has two samples`, tier.shortWindow);
    }
    const periodSeconds = parseDuration(period);
    if (long !== undefined && periodSeconds !== undefined && long >= periodSeconds) {
      k.c.add(`${t}.longWindow`, `must be shorter than the SLO period ${period}`, tier.longWindow);
    }
    const windows = `${tier.longWindow}/${tier.shortWindow}`;
    const first = seenWindows.get(windows);
    if (first !== undefined) {
      k.c.add(t, `duplicates the windows of burnRateTiers[${first}]; each tier needs its own window pair`, windows);
    } else {
      seenWindows.set(windows, i);
    }
    if (k.c.count > before) tiersOk = false;
  });
  if (objectiveOk && tiersOk) checkTierThresholds(k, field, slo, tiers);
}

function checkTierThresholds(k: Checks, field: string, slo: SloInput, tiers: readonly BurnRateTierInput[] | undefined): void {
  const list = tiers ?? SLO_DEFAULTS.burnRateTiers;
  const period = slo.period ?? SLO_DEFAULTS.period;
  list.forEach((tier, i) => {
    const factor = burnFactor(tier, period);
    const budget = errorBudget(slo.objective);
    const threshold = factor * budget;
    if (threshold >= 1) {
      const where = tiers === undefined ? `the default burn-rate tier ${tier.budgetPercent}%/${tier.longWindow}` : `burnRateTiers[${i}]`;
      k.c.add(
        `${field}.objective`,
        `is too low for ${where}: burn factor ${factor} × error budget ${budget} = ${Number(threshold.toPrecision(4))} ≥ 1, so it could never fire; raise the objective or give burnRateTiers without that tier`,
        slo.objective,
      );
    }
  });
}

/** Checks a service's SLO list: each SLO, unique names, and that HTTP SLOs have HTTP metrics. */
export function checkSlos(k: Checks, slos: readonly SloInput[], buckets: readonly number[], bucketsGiven: boolean, scrapeSeconds: number, hasPort: boolean, scope?: SelectorScope): void {
  if (slos.length > SLO_LIMITS.slosPerService) {
    k.c.add('slos', `must hold at most ${SLO_LIMITS.slosPerService} SLOs (has ${slos.length})`, `<${slos.length} SLOs>`);
    return;
  }
  const seen = new Set<string>();
  slos.forEach((slo, i) => {
    checkSlo(k, `slos[${i}]`, slo, buckets, bucketsGiven, scrapeSeconds, scope);
    if (seen.has(slo.name)) {
      k.c.add(`slos[${i}].name`, 'must be unique within the service', slo.name);
    }
    seen.add(slo.name);
  });
  if (!hasPort) {
    slos.forEach((slo, i) => {
      if (slo.kind !== 'custom') {
        k.c.add(`slos[${i}].kind`, 'needs HTTP request metrics, but the service has no port; use a custom SLO for workers', slo.kind);
      }
    });
  }
}

/** Fills the defaults of one SLO. */
export function normalizeSlo(slo: SloInput): Slo {
  const d = SLO_DEFAULTS;
  const base = {
    name: slo.name,
    objective: slo.objective,
    period: slo.period ?? d.period,
    burnRateTiers: (slo.burnRateTiers ?? d.burnRateTiers).map((t) => ({ ...t })),
    ...(slo.minRequestRate !== undefined ? { minRequestRate: slo.minRequestRate } : {}),
  };
  switch (slo.kind) {
    case 'availability':
      return {
        ...base,
        kind: 'availability',
        description: slo.description ?? `${slo.objective}% of requests succeed over ${base.period}`,
        badSelector: slo.badSelector ?? d.badSelector,
        totalSelector: slo.totalSelector ?? d.totalSelector,
      };
    case 'latency':
      return {
        ...base,
        kind: 'latency',
        description: slo.description ?? `${slo.objective}% of requests complete within ${Number((slo.thresholdSeconds * 1000).toPrecision(12))}ms over ${base.period}`,
        thresholdSeconds: slo.thresholdSeconds,
        selector: slo.selector ?? d.selector,
      };
    case 'custom':
      return {
        ...base,
        kind: 'custom',
        description: slo.description ?? `${slo.objective}% of events are good over ${base.period}`,
        goodQuery: slo.goodQuery,
        totalQuery: slo.totalQuery,
      };
  }
}
