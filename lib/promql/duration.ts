/**
 * Prometheus durations: parsing (`1h30m` → 5400 seconds) and rendering (5400 → `1h30m`).
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#time-durations
 */

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/** Units largest first, each at most once, as Prometheus requires (`1h30m`, not `30m1h`). */
const DURATION = /^(?=\d)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
const DURATION_PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/**
 * Parses a Prometheus duration (`5m`, `1h30m`, `30d`) into seconds.
 * @returns the seconds, or undefined when the text is not a positive duration
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#time-durations
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || !DURATION.test(text)) {
    return undefined;
  }
  let seconds = 0;
  for (const match of text.matchAll(DURATION_PART)) {
    seconds += Number(match[1]) * DURATION_UNITS[match[2]];
  }
  return seconds > 0 ? seconds : undefined;
}

const DURATION_STEPS: readonly [string, number][] = [
  ['d', 86400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/**
 * Renders whole seconds as a Prometheus duration, largest units first: 4320 → `1h12m`.
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#time-durations
 */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    return '0s';
  }
  let rest = seconds;
  let text = '';
  for (const [unit, size] of DURATION_STEPS) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
