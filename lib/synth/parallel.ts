/**
 * Units built on several threads (`synthesizePlatform`'s `jobs`). Each worker thread gets a
 * structured clone of the platform (plain data, so equal to it), resolves the same services in
 * the same order, and takes the next unit from a counter in shared memory until none is left, so
 * a slow unit never holds the others up. The synthesizing thread builds the Terraform stacks
 * (which read no unit) meanwhile, then takes units from the same counter. A worker writes its
 * units' files itself (through its own `FileWriter`) and posts back what the platform-wide files
 * read of each: its summary, and which files it wrote or kept. The synthesis puts the outcomes
 * together in the order of the units, so the output is the same, byte for byte, as built in one
 * thread.
 *
 * A failure stops every thread from taking another unit; the units before it are finished, so
 * the error thrown is the one of the first failing unit, as in one thread. The caller's API
 * stays synchronous: it waits on shared memory (`Atomics.wait`) and reads the posted results
 * with `receiveMessageOnPort`.
 */
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import { DefinitionError, DefinitionIssue, PlatformDefinition } from '../definition';
import { adoptPlatformClone } from '../definition/registry';
import { FileWriter } from '../private/file-writer';
import { OutputRecord, SynthCache } from './cache';
import { servicesInTurn } from './k8s';
import { UnitBuilder, UnitOutcome } from './units';

/** The most worker threads a synthesis runs. */
export const MAX_JOBS = 64;

/** The number of threads, checked: a whole number from 1 to `MAX_JOBS`; else a `DefinitionError` naming the value. */
export function checkJobs(jobs: unknown): number {
  if (typeof jobs !== 'number' || !Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) {
    throw new DefinitionError('synthesis options', [{ path: 'jobs', problem: `must be a whole number from 1 to ${MAX_JOBS}`, value: jobs }]);
  }
  return jobs;
}

/** Reads a number of threads as a command line gives it (`4`); a `DefinitionError` naming the value otherwise. */
export function parseJobs(text: string): number {
  return checkJobs(/^[0-9]+$/.test(text.trim()) ? Number(text.trim()) : text);
}

/** One unit to build: a service of `servicesInTurn(platform, environments)`, by position, on some sides. */
export interface UnitJob {
  readonly service: number;
  /** The service's name and environment, checked by the thread against what it resolved. */
  readonly name: string;
  readonly environment: string;
  readonly sides: readonly string[];
}

/** What a synthesis hands its threads. */
export interface UnitWork {
  readonly platform: PlatformDefinition;
  readonly environments: readonly string[];
  readonly outdir: string;
  /** The cache folder. */
  readonly cache?: string;
  /** The units the last synthesis through the cache wrote into `outdir`. */
  readonly previous?: OutputRecord['units'];
  readonly units: readonly UnitJob[];
}

/** Slots of the shared state: the next unit to take; whether a unit failed; threads finished. */
const NEXT = 0;
const ABORT = 1;
const DONE = 2;

/** An error as a thread posts it: enough to throw it again, a `DefinitionError` with its issues. */
export interface PostedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly issues?: readonly DefinitionIssue[];
}

/** A message of a thread: a unit's outcome, a failure (of a unit, or of the thread, `unit` -1), or its cache counts at the end. */
type ThreadMessage =
  | { readonly unit: number; readonly outcome: UnitOutcome }
  | { readonly unit: number; readonly error: PostedError }
  | { readonly hits: number; readonly misses: number };

interface ThreadData extends UnitWork {
  readonly state: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly module: string;
}

/**
 * The thread's entry, plain JavaScript evaluated by the worker: it loads this module (through
 * tsx when it is TypeScript and no loader is registered, as under ts-jest) and runs its units.
 * Whatever happens, the thread counts itself finished, so the caller never waits forever.
 */
const THREAD_SOURCE = `
const { workerData } = require('worker_threads');
const state = new Int32Array(workerData.state);
try {
  if (/\\.[cm]?ts$/.test(workerData.module) && !('.ts' in require.extensions)) require('tsx/cjs/api').register();
  require(workerData.module).runUnitThread(workerData);
} catch (error) {
  Atomics.store(state, ${ABORT}, 1);
  workerData.port.postMessage({ unit: -1, error: { name: String(error && error.name), message: String(error && error.message ? error.message : error), stack: error && error.stack } });
} finally {
  workerData.port.close();
  Atomics.add(state, ${DONE}, 1);
  Atomics.notify(state, ${DONE});
}
`;

/** An error as a thread posts it (structured clone keeps no class or own property of an error). */
export function posted(error: unknown): PostedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return { name: error.name, message: error.message, stack: error.stack, ...(error instanceof DefinitionError ? { issues: error.issues } : {}) };
}

/** A posted error as the synthesizing thread throws it: a `DefinitionError` stays one, with its message and issues. */
export function revived(error: PostedError): Error {
  const revivedError: Error = error.name === 'DefinitionError' ? Object.create(DefinitionError.prototype) : new Error(error.message);
  Object.defineProperty(revivedError, 'message', { value: error.message, writable: true, configurable: true });
  Object.defineProperty(revivedError, 'name', { value: error.name, writable: true, configurable: true });
  if (error.stack !== undefined) Object.defineProperty(revivedError, 'stack', { value: error.stack, writable: true, configurable: true });
  if (error.issues !== undefined) Object.defineProperty(revivedError, 'issues', { value: error.issues, enumerable: true });
  return revivedError;
}

/** Runs in a worker thread: takes units until none is left or one failed. */
export function runUnitThread(data: ThreadData): void {
  const state = new Int32Array(data.state);
  const platform = adoptPlatformClone(data.platform);
  const services = servicesInTurn(platform, data.environments);
  const cache = data.cache !== undefined ? new SynthCache(data.cache) : undefined;
  const writer = new FileWriter();
  const builder = new UnitBuilder(platform, data.outdir, (files) => files.forEach((file) => writer.write(path.join(data.outdir, file.path), file.content)), cache, data.previous);
  let unit = -1;
  try {
    while (Atomics.load(state, ABORT) === 0) {
      unit = Atomics.add(state, NEXT, 1);
      if (unit >= data.units.length) break;
      const job = data.units[unit];
      const service = services[job.service];
      if (service?.name !== job.name || service.environment !== job.environment) {
        throw new Error(`unit ${unit} is ${job.name} in ${job.environment}, but this thread resolved ${service ? `${service.name} in ${service.environment}` : 'no service'} there`);
      }
      data.port.postMessage({ unit, outcome: builder.build(service, job.sides) } satisfies ThreadMessage);
    }
    // A failed write belongs after every unit: it is thrown once the units are put together.
    unit = data.units.length;
    writer.close();
  } catch (error) {
    writer.dispose();
    Atomics.store(state, ABORT, 1);
    data.port.postMessage({ unit, error: posted(error) } satisfies ThreadMessage);
  } finally {
    data.port.postMessage({ hits: cache?.hits ?? 0, misses: cache?.misses ?? 0 } satisfies ThreadMessage);
  }
}

/** Units being built on worker threads, and on the synthesizing thread too when it has time. */
export interface ParallelUnits {
  /**
   * Builds units on the calling thread, taking them from the same counter as the workers,
   * until none is left or a unit failed (its own failure included: it is not thrown here).
   */
  help(build: (job: UnitJob) => UnitOutcome): void;
  /**
   * Waits for every thread, and gives each unit's outcome by its position in the work, those
   * `help` built included. Throws the error of the first failing unit, wherever it was built
   * (a thread that could not start counts as failing first).
   */
  finish(): readonly UnitOutcome[];
  /** Cache entries read and built by the worker threads, once finished. */
  readonly cache: { hits: number; misses: number };
  /**
   * For a synthesis that failed elsewhere: no thread takes another unit, and once each has
   * finished the one it was building (and written its files), they stop, so nothing is written
   * after the synthesis throws. Safe after `finish`.
   */
  dispose(): void;
}

/** Starts `threads` worker threads on the units of `work`. */
export function startUnitThreads(work: UnitWork, threads: number): ParallelUnits {
  const state = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const workers = Array.from({ length: threads }, () => {
    const { port1, port2 } = new MessageChannel();
    const workerData: ThreadData = { ...work, state: state.buffer as SharedArrayBuffer, port: port2, module: __filename };
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData, transferList: [port2] });
    // As with the file writer: `finish` waits for the threads, and a failing process need not.
    worker.unref();
    port1.unref();
    return { worker, port: port1 };
  });
  const cache = { hits: 0, misses: 0 };
  const built: UnitOutcome[] = [];
  const failures: { unit: number; error: PostedError | unknown; here?: true }[] = [];
  let outcomes: readonly UnitOutcome[] | undefined;
  const wait = (): void => {
    for (let done = Atomics.load(state, DONE); done < threads; done = Atomics.load(state, DONE)) Atomics.wait(state, DONE, done, 1000);
  };
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const { worker, port } of workers) {
      port.close();
      void worker.terminate();
    }
  };
  return {
    cache,
    help(build: (job: UnitJob) => UnitOutcome): void {
      while (Atomics.load(state, ABORT) === 0) {
        const unit = Atomics.add(state, NEXT, 1);
        if (unit >= work.units.length) return;
        try {
          built[unit] = build(work.units[unit]);
        } catch (error) {
          Atomics.store(state, ABORT, 1);
          failures.push({ unit, error, here: true });
          return;
        }
      }
    },
    finish(): readonly UnitOutcome[] {
      if (outcomes !== undefined) return outcomes;
      wait();
      for (const { port } of workers) {
        for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
          const body = message.message as ThreadMessage;
          if ('outcome' in body) built[body.unit] = body.outcome;
          else if ('error' in body) failures.push(body);
          else {
            cache.hits += body.hits;
            cache.misses += body.misses;
          }
        }
      }
      stop();
      const first = failures.sort((a, b) => a.unit - b.unit)[0];
      if (first !== undefined) throw first.here ? first.error : revived(first.error as PostedError);
      const missing = work.units.findIndex((_, unit) => built[unit] === undefined);
      if (missing >= 0) throw new Error(`unit ${missing} (${work.units[missing].name} in ${work.units[missing].environment}) was not built by any thread`);
      outcomes = built;
      return outcomes;
    },
    dispose(): void {
      if (outcomes !== undefined) return;
      Atomics.store(state, ABORT, 1);
      wait();
      stop();
    },
  };
}
