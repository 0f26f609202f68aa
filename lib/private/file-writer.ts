/**
 * Writes output files while synthesis goes on. On this kind of machine a file write costs far
 * more when it is interleaved with computation than when files are written in one burst (the
 * kernel's journal and writeback get in the way), so a large synthesis spent about a third of
 * its time blocked in writes. A `FileWriter` hands writes to one background thread, which
 * creates the folders and writes the files in the order they were given, while the caller goes
 * on building the next ones; `close()` waits until every file is on disk and throws if any
 * write failed. The caller's API stays synchronous.
 *
 * Small outputs never start the thread: the first `threadAfter` files are written in place,
 * so a synthesis of a few hundred files pays no thread start. Memory stays bounded: when the
 * files handed over but not yet written exceed `maxPendingChars`, `write` waits for the thread.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';

/** Slots of the shared state: characters handed over and not yet written; whether the thread has finished. */
const PENDING = 0;
const FINISHED = 1;

/**
 * The thread's code, plain JavaScript evaluated by the worker (no loader or build step needed,
 * so it runs the same under tsx, ts-jest and the compiled package).
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const state = new Int32Array(workerData.state);
const errors = workerData.errors;
const folders = new Set();
let failed = false;
parentPort.on('message', (message) => {
  // Every message is counted off, whatever happens to its write, so the caller never waits forever.
  if (message === null) {
    Atomics.store(state, ${FINISHED}, 1);
    Atomics.notify(state, ${FINISHED});
    return;
  }
  if (!failed) {
    try {
      const folder = path.dirname(message.path);
      if (!folders.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      fs.writeFileSync(message.path, message.content);
    } catch (error) {
      failed = true;
      errors.postMessage({ path: message.path, message: error && error.message ? String(error.message) : String(error) });
    }
  }
  Atomics.sub(state, ${PENDING}, message.content.length);
  Atomics.notify(state, ${PENDING});
});
`;

/** Options of `FileWriter`. */
export interface FileWriterOptions {
  /**
   * Files written in place before the background thread starts; 0 starts it with the first file.
   * @default 512
   */
  readonly threadAfter?: number;
  /**
   * Characters handed to the thread and not yet written above which `write` waits for it.
   * @default 8 Mi characters (16 MiB of UTF-16 text)
   */
  readonly maxPendingChars?: number;
}

/** The background thread and its channels. */
interface Thread {
  readonly worker: Worker;
  readonly state: Int32Array;
  readonly errors: MessagePort;
}

/**
 * Writes files in the background; see the module's comment.
 * @example
 * const writer = new FileWriter();
 * writer.write('out/a.yaml', text);
 * writer.close(); // every file written, or the first failure thrown
 */
export class FileWriter {
  private readonly threadAfter: number;
  private readonly maxPendingChars: number;
  private readonly folders = new Set<string>();
  private thread: Thread | undefined;
  private written = 0;
  private closed = false;

  constructor(options: FileWriterOptions = {}) {
    this.threadAfter = options.threadAfter ?? 512;
    this.maxPendingChars = options.maxPendingChars ?? 8 * 1024 * 1024;
  }

  /** Whether the background thread was started. */
  public get threaded(): boolean {
    return this.thread !== undefined;
  }

  /** Files given so far. */
  public get files(): number {
    return this.written;
  }

  /** Writes `content` to `file`, creating its folder; on the thread, the write happens later, in order. */
  public write(file: string, content: string): void {
    if (this.closed) throw new Error(`file writer is closed; cannot write ${file}`);
    this.written++;
    if (this.thread === undefined && this.written <= this.threadAfter) {
      const folder = path.dirname(file);
      if (!this.folders.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        this.folders.add(folder);
      }
      fs.writeFileSync(file, content);
      return;
    }
    const thread = (this.thread ??= startThread());
    Atomics.add(thread.state, PENDING, content.length);
    thread.worker.postMessage({ path: file, content });
    for (let pending = Atomics.load(thread.state, PENDING); pending > this.maxPendingChars; pending = Atomics.load(thread.state, PENDING)) {
      Atomics.wait(thread.state, PENDING, pending, 1000);
    }
  }

  /** Waits until every file is written and stops the thread; throws the first write that failed. */
  public close(): void {
    const failure = this.finish();
    if (failure !== undefined) throw new Error(`could not write ${failure.path}: ${failure.message}`);
  }

  /**
   * Waits until every file given is written and stops the thread, without throwing: for a
   * synthesis that is failing anyway, so nothing is written after it returns.
   */
  public dispose(): void {
    this.finish();
  }

  private finish(): { path: string; message: string } | undefined {
    if (this.closed) return undefined;
    this.closed = true;
    const { thread } = this;
    if (thread === undefined) return undefined;
    thread.worker.postMessage(null);
    while (Atomics.load(thread.state, FINISHED) === 0) Atomics.wait(thread.state, FINISHED, 0, 1000);
    const failure = receiveMessageOnPort(thread.errors)?.message as { path: string; message: string } | undefined;
    thread.errors.close();
    void thread.worker.terminate();
    return failure;
  }
}

function startThread(): Thread {
  const state = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { state: state.buffer, errors: port2 }, transferList: [port2] });
  // The thread never keeps the process alive: `close` waits for it, and a process that exits
  // early (a failed synthesis) has nothing worth finishing.
  worker.unref();
  port1.unref();
  return { worker, state, errors: port1 };
}
