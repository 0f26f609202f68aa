/**
 * What an output folder holds, found on a second thread while synthesis goes on: every file
 * under the given folders, and which of the files the last synthesis recorded there are no
 * longer as it wrote them. An incremental synthesis into a large folder lists it to sweep the
 * files no unit claims any more, and asks of every kept file whether it is untouched (tens of
 * thousands of entries at 1000 services: about 0.2 s to list, 0.4 s to stat). On a second core
 * both overlap the synthesis instead of taking their share of it. Nothing waits for the thread
 * until the units are done: the synthesis keeps a recorded unit on the thread's word, and writes
 * again, at the end, a unit the answer says was touched. The names are the ones
 * `fs.readdirSync` gives.
 *
 * The answer is of the folder as it was when the synthesis began, before it wrote anything: a
 * file it writes is known to it by its claim, not by the listing.
 */
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import { RecordedFile } from './cache';

/** The thread's code, plain JavaScript evaluated by the worker, as the file writer's. */
const THREAD_SOURCE = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const state = new Int32Array(workerData.state);
const paths = [];
const changed = [];
let failure;
try {
  const recorded = workerData.recorded;
  if (recorded.paths.length > 0) {
    recorded.paths.split('\\0').forEach((file, i) => {
      const stat = fs.statSync(path.join(workerData.root, file), { throwIfNoEntry: false });
      if (stat === undefined || !stat.isFile() || stat.size !== recorded.sizes[i] || stat.mtimeMs !== recorded.mtimes[i]) changed.push(file);
    });
  }
  const walk = (at, prefix) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(at, entry.name), prefix + entry.name + path.sep);
      else paths.push(prefix + entry.name);
    }
  };
  for (const folder of workerData.folders) {
    const dir = path.join(workerData.root, folder);
    if (fs.existsSync(dir)) walk(dir, folder + path.sep);
  }
} catch (error) {
  failure = error && error.message ? String(error.message) : String(error);
}
workerData.port.postMessage({ paths, changed, failure });
Atomics.store(state, 0, 1);
Atomics.notify(state, 0);
`;

/** What the thread found: the files under the folders, and the recorded files not as recorded. */
export interface ScanAnswer {
  /** Every file under the folders, relative to the output folder (folders apart by `path.sep`), in the order found. */
  readonly files: readonly string[];
  /** The recorded files that are gone, or whose size or modification time differ from the record's. */
  readonly changed: ReadonlySet<string>;
}

/** The files under some folders of an output folder, found on a second thread (see the module's comment). */
export class OutputScan {
  private readonly state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private found: ScanAnswer | undefined;
  private answered = false;

  /**
   * @param root the output folder
   * @param folders its folders to list, by name; every file under them is found
   * @param recorded files to check against their size and modification time, relative to `root`
   */
  constructor(root: string, folders: readonly string[], recorded: readonly RecordedFile[] = []) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    // One string and two arrays of numbers: cheaper to hand over than an object per file.
    const sizes = new Float64Array(recorded.length);
    const mtimes = new Float64Array(recorded.length);
    recorded.forEach((file, i) => {
      sizes[i] = file.size;
      mtimes[i] = file.mtimeMs;
    });
    const files = { paths: recorded.map((file) => file.path).join('\0'), sizes, mtimes };
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { state: this.state.buffer, root, folders, recorded: files, port: port2 }, transferList: [port2, sizes.buffer, mtimes.buffer] });
    // A thread that fails to start or dies reports it here, later; `answer` then stops waiting at its deadline.
    this.worker.on('error', () => undefined);
    this.worker.unref();
    port1.unref();
  }

  /**
   * What the thread found; waits for it the first time, up to `waitMs`. Undefined when the
   * thread failed, died or gave no answer in time: the caller lists the folders and checks the
   * files itself, as without a scan.
   */
  public answer(waitMs = 10_000): ScanAnswer | undefined {
    if (this.answered) return this.found;
    this.answered = true;
    const deadline = Date.now() + waitMs;
    while (Atomics.load(this.state, 0) === 0 && Date.now() < deadline) Atomics.wait(this.state, 0, 0, Math.max(1, Math.min(100, deadline - Date.now())));
    const message = Atomics.load(this.state, 0) === 1 ? (receiveMessageOnPort(this.port)?.message as { paths: string[]; changed: string[]; failure?: string } | undefined) : undefined;
    this.dispose();
    this.found = message !== undefined && message.failure === undefined ? { files: message.paths, changed: new Set(message.changed) } : undefined;
    return this.found;
  }

  /** Stops the thread (it stops by itself once it has answered). */
  public dispose(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
