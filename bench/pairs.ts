/**
 * Timing by interleaved pairs: each pair runs two commands one after the other in fresh
 * processes, alternating which goes first, so drift of the machine (a virtual machine here)
 * hits both sides alike. A ratio is reported as the median of the pairs' ratios with its range.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Measurement } from './measurement';

/** A command to time: argv and extra environment. */
export interface Job {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** One timed run: wall time of the process and, for bench workers, what the worker measured. */
export interface Run {
  readonly wallMs: number;
  readonly measured?: Measurement;
}

/** The result of interleaved pairs of two jobs. */
export interface PairResult {
  readonly a: readonly Run[];
  readonly b: readonly Run[];
  /** Per pair, a's figure over b's. */
  readonly ratios: readonly number[];
}

const root = path.resolve(__dirname, '..');

/** Runs a job once in a fresh process. Throws with its stderr when it fails. */
export function run(job: Job): Run {
  const start = process.hrtime.bigint();
  const result = spawnSync(job.command, [...job.args], { cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false', ...job.env }, maxBuffer: 64 * 2 ** 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${job.label} failed (${result.status}):\n${result.stderr.slice(-3000)}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return { wallMs, measured: line.startsWith('{"services"') ? (JSON.parse(line) as Measurement) : undefined };
}

/**
 * `count` interleaved pairs of `a` and `b`; `figure` picks what is compared (default: the
 * worker's own timing when both report one, else process wall time).
 */
export function pairs(a: Job, b: Job, count: number, figure: (r: Run) => number = (r) => r.measured?.ms ?? r.wallMs): PairResult {
  const as: Run[] = [];
  const bs: Run[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < count; i++) {
    const [ra, rb] = i % 2 === 0 ? [run(a), run(b)] : ((): [Run, Run] => { const rb2 = run(b); return [run(a), rb2]; })();
    as.push(ra);
    bs.push(rb);
    ratios.push(figure(ra) / figure(rb));
  }
  return { a: as, b: bs, ratios };
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `1.42 × (1.31–1.55, 7 pairs)`. */
export function ratioText(ratios: readonly number[]): string {
  return `${median(ratios).toFixed(2)} × (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, ${ratios.length} pairs)`;
}
