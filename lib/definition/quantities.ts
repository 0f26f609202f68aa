/**
 * Kubernetes CPU and memory quantities.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

/** The largest CPU quantity accepted: a million cores, far beyond any node. */
const MAX_CPU_MILLIS = 1e9;
/** The largest memory quantity accepted: 1024Ti. */
const MAX_MEMORY_KIB = 1024 ** 4;

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
  return millis >= 1 && millis <= MAX_CPU_MILLIS && Number.isInteger(millis) ? millis : undefined;
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
  const kibibytes = Number(match[1]) * MEMORY_UNITS[match[2]];
  return kibibytes <= MAX_MEMORY_KIB ? kibibytes : undefined;
}
