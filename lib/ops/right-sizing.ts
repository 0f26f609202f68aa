/**
 * Right-sizing suggestions: from 7 days of recorded usage of a service (what the right-sizing
 * rules record), the `resources` its definition should have, as a change to paste into the
 * definition. Pure: the readings come in as plain numbers (see `right-sizing-report.ts` for
 * reading them from Prometheus).
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
import { EffectiveService, PlatformDefinition, Resources, ServiceDefinition } from '../definition';
import { parseCpu, parseMemory } from '../definition/quantities';
import { formatNumber } from '../promql/build';
import { parseDuration } from '../promql/duration';
import { RIGHT_SIZING_INTERVAL, RIGHT_SIZING_QUANTILE, RIGHT_SIZING_WINDOW } from '../prometheus/right-sizing-rules';

/** CPU in cores and memory in bytes, as Prometheus records them; undefined where nothing was recorded. */
export interface ResourceAmounts {
  readonly cpu?: number;
  readonly memory?: number;
}

/** What the right-sizing rules recorded about one service in one environment. */
export interface RightSizingReadings {
  /** The 95th percentile over 7 days of the busiest pod's usage. */
  readonly p95: ResourceAmounts;
  /** The maximum over 7 days of the busiest pod's memory; `cpu` is not read. */
  readonly max: ResourceAmounts;
  /** The largest request of the running containers (kube-state-metrics). */
  readonly requests: ResourceAmounts;
  /** The largest limit of the running containers. */
  readonly limits: ResourceAmounts;
  /** How many hours of the 7 days the usage covers. @default unknown */
  readonly historyHours?: number;
}

/** One service's suggestion. */
export interface RightSizingSuggestion {
  readonly service: string;
  readonly environment: string;
  readonly namespace: string;
  /**
   * Where in the service's definition the suggestion goes: `resources`, or
   * `environments.<env>.resources` when that environment sets its own.
   */
  readonly field: string;
  /** The resources the definition gives the service in the environment. */
  readonly current: Resources;
  /** The headroom the suggestion keeps above usage (`rightSizing.headroomPercent`). */
  readonly headroomPercent: number;
  /** The suggested resources; equal to `current` where usage was not recorded. Undefined without any reading. */
  readonly suggested?: Resources;
  /** Whether `suggested` differs from `current`. */
  readonly changed: boolean;
  readonly readings: RightSizingReadings;
  /** What the suggestion rests on and what to watch: short history, drift, missing series, other environments touched. */
  readonly notes: readonly string[];
}

/** Bytes in a mebibyte: the definition writes memory in whole MiB. */
const MIB = 1024 * 1024;
/** Rounding slack: `0.1 × 1.2 × 1000` is 120.00000000000001 in floating point, and must round up to 120, not 121. */
const EPSILON = 1e-9;

/** Whole millicores at or above `cores`, at least 1m. */
export function roundCpu(cores: number): number {
  return Math.max(1, Math.ceil(cores * 1000 - EPSILON));
}

/** Whole mebibytes at or above `bytes`, at least 1Mi. */
export function roundMemory(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / MIB - EPSILON));
}

/** Millicores in Kubernetes notation, whole cores without a unit: `250m`, `2`. */
export function cpuQuantity(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Mebibytes in Kubernetes notation, whole gibibytes as `Gi`: `320Mi`, `1Gi`. */
export function memoryQuantity(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

/** Cores in a reading, for a note: `0.083 cores`. */
function cores(value: number): string {
  return `${formatNumber(Math.round(value * 1000) / 1000)} cores`;
}

/** Bytes in a reading, for a note: `180.4Mi`. */
function mebibytes(value: number): string {
  return `${formatNumber(Math.round((value / MIB) * 10) / 10)}Mi`;
}

function sameResources(a: Resources, b: Resources): boolean {
  return (['requests', 'limits'] as const).every((k) => a[k].cpu === b[k].cpu && a[k].memory === b[k].memory);
}

/**
 * The field of the definition a service's resources come from in an environment:
 * `environments.<env>.resources` when that environment overrides them, else `resources`.
 */
export function resourcesField(definition: ServiceDefinition, environment: string): string {
  return definition.input.environments?.[environment]?.resources !== undefined ? `environments.${environment}.resources` : 'resources';
}

/**
 * The suggested resources of a service from its readings, with `rightSizing.headroomPercent`
 * (h) of headroom:
 * - CPU request: the 7-day p95 × (1 + h), rounded up to whole millicores;
 * - CPU limit: the suggested request × the current limit / request ratio (the burst the team
 *   chose stays), rounded up;
 * - memory request: the 7-day p95 × (1 + h), rounded up to whole MiB;
 * - memory limit: the 7-day maximum × (1 + h), rounded up to whole MiB, at least the request.
 * A resource without readings keeps its current values.
 * @param platform the platform, for where the service's resources are written and which
 *   environments share them
 * @param service the service in the environment the readings are from
 * @example
 * const s = suggestResources(platform, resolveEnvironment(platform, 'checkout', 'prod'), readings);
 * console.log(renderSuggestion(s));
 */
export function suggestResources(platform: PlatformDefinition, service: EffectiveService, readings: RightSizingReadings): RightSizingSuggestion {
  const current = service.resources;
  const { headroomPercent } = service.rightSizing;
  const headroom = 1 + headroomPercent / 100;
  const notes: string[] = [];
  const definition = platform.services.find((d) => d.name === service.name);
  const field = definition === undefined ? 'resources' : resourcesField(definition, service.environment);
  const base = { service: service.name, environment: service.environment, namespace: service.namespace, field, current, headroomPercent, readings };

  const { p95, max } = readings;
  if (p95.cpu === undefined && p95.memory === undefined) {
    notes.push(
      `no usage recorded over ${RIGHT_SIZING_WINDOW}: is ${service.name} running in ${service.namespace}, and does this Prometheus evaluate its right-sizing rules?`,
    );
    return { ...base, changed: false, notes };
  }

  const requestMillis = parseCpu(current.requests.cpu) ?? 1;
  const limitMillis = parseCpu(current.limits.cpu) ?? requestMillis;
  const cpu =
    p95.cpu === undefined
      ? { request: current.requests.cpu, limit: current.limits.cpu }
      : (() => {
          const request = roundCpu(p95.cpu * headroom);
          return { request: cpuQuantity(request), limit: cpuQuantity(Math.max(request, Math.ceil((request * limitMillis) / requestMillis - EPSILON))) };
        })();
  const memory =
    p95.memory === undefined
      ? { request: current.requests.memory, limit: current.limits.memory }
      : (() => {
          const request = roundMemory(p95.memory * headroom);
          const limit = max.memory === undefined ? request : Math.max(request, roundMemory(max.memory * headroom));
          return { request: memoryQuantity(request), limit: memoryQuantity(limit) };
        })();
  if (p95.cpu === undefined) notes.push('no CPU usage recorded: the CPU request and limit stay');
  if (p95.memory === undefined) notes.push('no memory usage recorded: the memory request and limit stay');
  else if (max.memory === undefined) notes.push('no memory maximum recorded: the memory limit is the suggested request');

  const window = (parseDuration(RIGHT_SIZING_WINDOW) ?? 0) / 3600;
  const step = (parseDuration(RIGHT_SIZING_INTERVAL) ?? 0) / 3600;
  if (readings.historyHours !== undefined && readings.historyHours < window - step) {
    notes.push(`usage recorded for ${formatNumber(Math.round(readings.historyHours))} of the last ${formatNumber(window)} hours: the suggestion covers those only`);
  }
  const drift = runningDrift(current, readings);
  if (drift !== undefined) notes.push(drift);

  const suggested: Resources = { requests: { cpu: cpu.request, memory: memory.request }, limits: { cpu: cpu.limit, memory: memory.limit } };
  const changed = !sameResources(current, suggested);
  const sharing = definition === undefined || field !== 'resources' ? [] : platform.environments.map((e) => e.name).filter((e) => e !== service.environment && resourcesField(definition, e) === 'resources');
  if (changed && sharing.length > 0) notes.push(`resources also sizes ${sharing.join(', ')}: set environments.${service.environment}.resources instead to change ${service.environment} alone`);
  return { ...base, suggested, changed, notes };
}

/** A note when the containers run with other requests or limits than the definition gives. */
function runningDrift(current: Resources, readings: RightSizingReadings): string | undefined {
  const differs: string[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    const running = readings[kind];
    const cpu = running.cpu === undefined ? undefined : Math.round(running.cpu * 1000);
    const memory = running.memory === undefined ? undefined : running.memory / 1024;
    if (cpu !== undefined && cpu !== parseCpu(current[kind].cpu)) differs.push(`${kind}.cpu ${cpuQuantity(cpu)}`);
    if (memory !== undefined && memory !== parseMemory(current[kind].memory)) differs.push(`${kind}.memory ${mebibytes(running.memory ?? 0)}`);
  }
  return differs.length === 0 ? undefined : `the containers run with ${differs.join(', ')}, not what the definition gives: is its last synthesis applied?`;
}

/** `resources` as one line that is both a TypeScript property and a YAML flow mapping. */
export function resourcesLine(resources: Resources): string {
  const q = (value: string): string => `'${value}'`;
  const part = (k: 'requests' | 'limits'): string => `${k}: { cpu: ${q(resources[k].cpu)}, memory: ${q(resources[k].memory)} }`;
  return `resources: { ${part('requests')}, ${part('limits')} }`;
}

/**
 * A suggestion as text: the readings, then a unified-diff-like change of the service's
 * `resources` whose `+` line pastes as it is into a TypeScript or a YAML definition (in the
 * field the header names).
 * @example
 * // checkout in prod (namespace payments), over 7d of the busiest pod:
 * //   cpu     p95 0.083 cores                  request 500m   limit 2
 * //   memory  p95 180.4Mi   max 201.2Mi        request 512Mi  limit 1Gi
 * // --- checkout: resources
 * // +++ checkout: resources (suggested, 20% headroom)
 * // -resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } }
 * // +resources: { requests: { cpu: '100m', memory: '217Mi' }, limits: { cpu: '400m', memory: '242Mi' } }
 */
export function renderSuggestion(s: RightSizingSuggestion): string {
  const { p95, max } = s.readings;
  const lines = [
    `${s.service} in ${s.environment} (namespace ${s.namespace}), over ${RIGHT_SIZING_WINDOW} of the busiest pod:`,
    `  cpu     p${formatNumber(RIGHT_SIZING_QUANTILE * 100)} ${p95.cpu === undefined ? 'none' : cores(p95.cpu)}`.padEnd(48) + `request ${s.current.requests.cpu.padEnd(6)} limit ${s.current.limits.cpu}`,
    `  memory  p${formatNumber(RIGHT_SIZING_QUANTILE * 100)} ${p95.memory === undefined ? 'none' : mebibytes(p95.memory)}   max ${max.memory === undefined ? 'none' : mebibytes(max.memory)}`.padEnd(48) +
      `request ${s.current.requests.memory.padEnd(6)} limit ${s.current.limits.memory}`,
    ...s.notes.map((n) => `  note: ${n}`),
  ];
  if (s.suggested === undefined) return `${lines.join('\n')}\n`;
  if (!s.changed) return `${lines.join('\n')}\n  right-sized: ${s.field} already holds the suggestion\n`;
  const where = `${s.service}: ${s.field}`;
  lines.push(`--- ${where}`, `+++ ${where} (suggested, ${s.headroomPercent}% headroom)`, `-${resourcesLine(s.current)}`, `+${resourcesLine(s.suggested)}`);
  return `${lines.join('\n')}\n`;
}
