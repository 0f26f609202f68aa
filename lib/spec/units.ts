/**
 * Parsing of the quantities a definition carries: Prometheus durations and Kubernetes
 * CPU / memory quantities.
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

/**
 * Parses a CPU quantity (`250m`, `1`, `0.5`) into millicores.
 * @returns millicores, or undefined when the text is not a positive CPU quantity
 */
export function parseCpu(text: string): number | undefined {
  const match = typeof text === 'string' ? /^(\d+(?:\.\d+)?)(m?)$/.exec(text) : null;
  if (!match) {
    return undefined;
  }
  const millis = match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
  return millis >= 1 && Number.isInteger(millis) ? millis : undefined;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = { Ki: 1, Mi: 1024, Gi: 1024 ** 2, Ti: 1024 ** 3 };

/**
 * Parses a memory quantity with a binary unit (`512Mi`, `2Gi`) into kibibytes.
 * @returns kibibytes, or undefined when the text is not a positive binary quantity
 */
export function parseMemory(text: string): number | undefined {
  const match = typeof text === 'string' ? /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(text) : null;
  if (!match || Number(match[1]) === 0) {
    return undefined;
  }
  return Number(match[1]) * MEMORY_UNITS[match[2]];
}
