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
 * with `receiveMessageOnPort`. Since a thread blocked that way hears no `exit` event, a small
 * coordinator thread starts the workers and listens for them: one that dies (out of memory,
 * `process.exit`) or cannot start fails the synthesis, at the unit it had taken.
 */
import * as path from 'path';
import { types } from 'util';
import { MessageChannel, MessagePort, ResourceLimits, Worker, receiveMessageOnPort } from 'worker_threads';
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

/**
 * Slots of the shared state: the next unit to take; whether a unit failed; threads finished.
 * Then, from `THREAD_SLOTS`, two per thread: whether it was counted finished (once, by whoever
 * gets there first: the thread, or the coordinator when the thread died), and 1 + its last unit.
 */
const NEXT = 0;
const ABORT = 1;
const DONE = 2;
const THREAD_SLOTS = 3;
const buildingSlot = (thread: number): number => THREAD_SLOTS + 2 * thread + 1;

/** An error as a thread posts it: enough to throw it again, a `DefinitionError` with its issues, a system error with its code. */
export interface PostedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly issues?: readonly DefinitionIssue[];
  /** A Node.js error's `code`, `errno`, `syscall` and `path`, when it has them. */
  readonly fields?: Readonly<Record<string, string | number>>;
}

/**
 * A message of a thread: a unit's outcome, a failure (of a unit, or of the thread, `unit` -1), or
 * its cache counts at the end. The coordinator posts `stopped` for a thread that died (it ran out
 * of memory, called `process.exit`, or could not start) while it was building `unit`.
 */
type ThreadMessage =
  | { readonly unit: number; readonly outcome: UnitOutcome }
  | { readonly unit: number; readonly error: PostedError }
  | { readonly hits: number; readonly misses: number }
  | { readonly unit: number; readonly stopped: string };

interface ThreadData extends UnitWork {
  readonly state: SharedArrayBuffer;
  readonly port: MessagePort;
  /** This thread's position, for its slots of the shared state. */
  readonly thread: number;
  /** The module to run, `runUnitThread` of this one, or another one's in a test. */
  readonly module: string;
  /** A resolved path of `tsx/cjs/api`, to load `module` when it is TypeScript. */
  readonly loader?: string;
}

interface CoordinatorData {
  readonly state: SharedArrayBuffer;
  readonly threads: readonly ThreadData[];
  readonly report: MessagePort;
  readonly source: string;
  readonly resourceLimits?: ResourceLimits;
}

/**
 * The thread's entry, plain JavaScript evaluated by the worker: it loads the module (through
 * tsx when it is TypeScript and no loader is registered, as under ts-jest) and runs its units.
 * Whatever happens, the thread counts itself finished, so the caller never waits forever; when
 * it cannot (it died), the coordinator does.
 */
const THREAD_SOURCE = `
const { workerData } = require('worker_threads');
const state = new Int32Array(workerData.state);
try {
  if (/\\.[cm]?ts$/.test(workerData.module) && !('.ts' in require.extensions)) {
    if (workerData.loader === undefined) throw new Error('the TypeScript module ' + workerData.module + ' needs tsx to run on a thread, and tsx was not found from it');
    require(workerData.loader).register();
  }
  require(workerData.module).runUnitThread(workerData);
} catch (error) {
  Atomics.store(state, ${ABORT}, 1);
  try {
    workerData.port.postMessage({ unit: -1, error: { name: String(error && error.name), message: String(error && error.message ? error.message : error), stack: String(error && error.stack) } });
  } catch {}
} finally {
  workerData.port.close();
  if (Atomics.compareExchange(state, ${THREAD_SLOTS} + 2 * workerData.thread, 0, 1) === 0) {
    Atomics.add(state, ${DONE}, 1);
    Atomics.notify(state, ${DONE});
  }
}
`;

/**
 * The coordinator, plain JavaScript evaluated by its own thread: it starts the worker threads
 * and listens for their exit, which the synthesizing thread cannot while it waits on shared
 * memory. A thread that exits without having counted itself finished died: the coordinator
 * stops the others taking units, reports the unit it was building, and counts it finished.
 */
const COORDINATOR_SOURCE = `
const { Worker, workerData } = require('worker_threads');
const state = new Int32Array(workerData.state);
const stopped = (thread, why) => {
  if (Atomics.compareExchange(state, ${THREAD_SLOTS} + 2 * thread, 0, 1) !== 0) return;
  Atomics.store(state, ${ABORT}, 1);
  try { workerData.report.postMessage({ unit: Atomics.load(state, ${THREAD_SLOTS} + 2 * thread + 1) - 1, stopped: why }); } catch {}
  Atomics.add(state, ${DONE}, 1);
  Atomics.notify(state, ${DONE});
};
workerData.threads.forEach((data, thread) => {
  let failure;
  try {
    const worker = new Worker(workerData.source, { eval: true, workerData: data, transferList: [data.port], ...(workerData.resourceLimits ? { resourceLimits: workerData.resourceLimits } : {}) });
    worker.on('error', (error) => { failure = error; });
    worker.on('exit', (code) => stopped(thread, failure ? (failure.code ? failure.code + ': ' : '') + failure.message : 'it exited with code ' + code));
  } catch (error) {
    stopped(thread, 'it could not start: ' + (error && error.message ? error.message : String(error)));
  }
});
// Each worker has its own copy of the work: this thread's goes.
workerData.threads = [];
workerData.report.unref();
`;

/** Properties of a Node.js error a thread posts with it. */
const ERROR_FIELDS = ['code', 'errno', 'syscall', 'path'] as const;

/** A value as a thread can post it: itself when structured clone takes it, else its description. */
function cloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return typeof value === 'function' ? `[function ${value.name || 'anonymous'}]` : String(value);
  }
}

/**
 * An error as a thread posts it (structured clone keeps no class or own property of an error).
 * An issue's value that cannot be posted (a function, a symbol) is given as its description; the
 * message, made on the thread, names it as it was.
 */
export function posted(error: unknown): PostedError {
  // Errors of another realm (a vm context's) are errors too.
  if (!(error instanceof Error) && !types.isNativeError(error)) return { name: 'Error', message: String(error) };
  const own = error as unknown as Record<string, unknown>;
  const fields = Object.fromEntries(ERROR_FIELDS.flatMap((field) => (typeof own[field] === 'string' || typeof own[field] === 'number' ? [[field, own[field] as string | number]] : [])));
  return {
    name: error.name,
    message: error.message,
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
    ...(error instanceof DefinitionError ? { issues: error.issues.map((issue) => ({ ...issue, value: cloneable(issue.value) })) } : {}),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
  };
}

/** The built-in errors a posted error comes back as, by name. */
const ERROR_CLASSES: Readonly<Record<string, ErrorConstructor>> = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/**
 * A posted error as the synthesizing thread throws it: a `DefinitionError` stays one, with its
 * message and issues; a built-in error (a `TypeError`) is one of its class; a Node.js error keeps
 * its `code`; anything else is an `Error` with the posted name.
 */
export function revived(error: PostedError): Error {
  const revivedError: Error = error.name === 'DefinitionError' ? Object.create(DefinitionError.prototype) : new (Object.hasOwn(ERROR_CLASSES, error.name) ? ERROR_CLASSES[error.name] : Error)(error.message);
  Object.defineProperty(revivedError, 'message', { value: error.message, writable: true, configurable: true });
  if (revivedError.name !== error.name) Object.defineProperty(revivedError, 'name', { value: error.name, writable: true, configurable: true });
  if (error.stack !== undefined) Object.defineProperty(revivedError, 'stack', { value: error.stack, writable: true, configurable: true });
  if (error.issues !== undefined) Object.defineProperty(revivedError, 'issues', { value: error.issues, enumerable: true });
  for (const [field, value] of Object.entries(error.fields ?? {})) Object.defineProperty(revivedError, field, { value, writable: true, enumerable: true, configurable: true });
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
  const post = (message: ThreadMessage): void => data.port.postMessage(message);
  let unit = -1;
  try {
    while (Atomics.load(state, ABORT) === 0) {
      unit = Atomics.add(state, NEXT, 1);
      if (unit >= data.units.length) break;
      Atomics.store(state, buildingSlot(data.thread), unit + 1);
      const job = data.units[unit];
      const service = services[job.service];
      if (service?.name !== job.name || service.environment !== job.environment) {
        throw new Error(`unit ${unit} is ${job.name} in ${job.environment}, but this thread resolved ${service ? `${service.name} in ${service.environment}` : 'no service'} there`);
      }
      // An outcome that cannot be posted is this unit's failure.
      post({ unit, outcome: builder.build(service, job.sides) });
    }
    // A failed write belongs after every unit: it is thrown once the units are put together.
    unit = data.units.length;
    writer.close();
  } catch (error) {
    writer.dispose();
    Atomics.store(state, ABORT, 1);
    post({ unit, error: posted(error) });
  } finally {
    post({ hits: cache?.hits ?? 0, misses: cache?.misses ?? 0 });
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
   * `help` built included. Throws the error of the first failing unit, wherever it was built (a
   * thread that could not start counts as failing first; one that died, at the unit it had taken).
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

/** How `startUnitThreads` runs its threads. */
export interface UnitThreadOptions {
  /**
   * Called on the synthesizing thread as it learns of finished units (while it helps and while
   * it waits), in no fixed order: how many are done, and the last one. For a progress line.
   */
  readonly onUnit?: (done: number, job: UnitJob) => void;
  /**
   * The module whose `runUnitThread` each thread runs: this one, or in a test one that misbehaves.
   * @default this module
   */
  readonly module?: string;
  /** Limits of each worker thread's memory (in a test, to see one run out). @default Node.js's */
  readonly resourceLimits?: ResourceLimits;
}

/** Where tsx's loader is, found from this module (not the working folder), when it is installed. */
function tsxLoader(): string | undefined {
  try {
    return require.resolve('tsx/cjs/api');
  } catch {
    return undefined;
  }
}

/**
 * Starts `threads` worker threads on the units of `work`, through a coordinator thread that
 * watches them: a thread that dies (out of memory, `process.exit`) fails the synthesis instead of
 * leaving it waiting.
 */
export function startUnitThreads(work: UnitWork, threads: number, options: UnitThreadOptions = {}): ParallelUnits {
  const state = new Int32Array(new SharedArrayBuffer((THREAD_SLOTS + 2 * threads) * Int32Array.BYTES_PER_ELEMENT));
  const module = options.module ?? __filename;
  const loader = /\.[cm]?ts$/.test(module) ? tsxLoader() : undefined;
  const channels = Array.from({ length: threads }, () => new MessageChannel());
  const report = new MessageChannel();
  const shared = state.buffer as SharedArrayBuffer;
  const data: CoordinatorData = {
    state: shared,
    threads: channels.map(({ port2 }, thread) => ({ ...work, state: shared, port: port2, thread, module, ...(loader !== undefined ? { loader } : {}) })),
    report: report.port2,
    source: THREAD_SOURCE,
    ...(options.resourceLimits !== undefined ? { resourceLimits: options.resourceLimits } : {}),
  };
  const coordinator = new Worker(COORDINATOR_SOURCE, { eval: true, workerData: data, transferList: [...channels.map(({ port2 }) => port2), report.port2] });
  // As with the file writer: `finish` waits for the threads, and a failing process need not.
  coordinator.unref();
  const ports = [...channels.map(({ port1 }) => port1), report.port1];
  for (const port of ports) port.unref();
  const cache = { hits: 0, misses: 0 };
  const built: UnitOutcome[] = [];
  const failures: { unit: number; error: unknown }[] = [];
  let outcomes: readonly UnitOutcome[] | undefined;
  let done = 0;
  const finished = (unit: number): void => options.onUnit?.(++done, work.units[unit]);
  let stopped = false;
  // What the threads posted so far.
  const drain = (): void => {
    for (const port of stopped ? [] : ports) {
      for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
        const body = message.message as ThreadMessage;
        if ('outcome' in body) {
          built[body.unit] = body.outcome;
          finished(body.unit);
        } else if ('error' in body) {
          failures.push({ unit: body.unit, error: revived(body.error) });
        } else if ('stopped' in body) {
          const job = work.units[body.unit] as UnitJob | undefined;
          failures.push({ unit: body.unit, error: new Error(`a synthesis thread stopped before it had finished${job ? `, at ${job.name} in ${job.environment}` : ''}: ${body.stopped}`) });
        } else {
          cache.hits += body.hits;
          cache.misses += body.misses;
        }
      }
    }
  };
  const wait = (): void => {
    for (let count = Atomics.load(state, DONE); count < threads; count = Atomics.load(state, DONE)) {
      Atomics.wait(state, DONE, count, 100);
      drain();
    }
    drain();
  };
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const port of ports) port.close();
    // Its worker threads end with it.
    void coordinator.terminate();
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
          failures.push({ unit, error });
          return;
        }
        finished(unit);
        drain();
      }
    },
    finish(): readonly UnitOutcome[] {
      if (outcomes !== undefined) return outcomes;
      wait();
      stop();
      const first = failures.sort((a, b) => a.unit - b.unit)[0];
      if (first !== undefined) throw first.error;
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
