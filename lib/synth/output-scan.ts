/**
 * What an output folder holds, listed on a second thread while synthesis goes on: every file
 * under the given folders. An incremental synthesis into a large folder lists it to sweep the
 * files no unit claims any more (tens of thousands of entries, about 0.2 s at 1000 services);
 * on a second core the listing overlaps the synthesis instead of following it. The names are
 * the ones `fs.readdirSync` gives. Whether a kept file is as it was written is still asked on
 * the synthesizing thread, as each unit comes: a unit waits for nothing.
 *
 * The listing is of the folder as it was when the synthesis began, before it wrote anything:
 * a file it writes is known to it by its claim, not by the listing.
 */
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';

/** The thread's code, plain JavaScript evaluated by the worker, as the file writer's. */
const THREAD_SOURCE = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const state = new Int32Array(workerData.state);
const paths = [];
let failure;
try {
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
workerData.port.postMessage({ paths, failure });
Atomics.store(state, 0, 1);
Atomics.notify(state, 0);
`;

/** The files under some folders of an output folder, listed on a second thread (see the module's comment). */
export class OutputScan {
  private readonly state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private found: readonly string[] | undefined;
  private answered = false;

  /**
   * @param root the output folder
   * @param folders its folders to list, by name; every file under them is found
   */
  constructor(root: string, folders: readonly string[]) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { state: this.state.buffer, root, folders, port: port2 }, transferList: [port2] });
    // A thread that fails to start or dies reports it here, later; `files` then stops waiting at its deadline.
    this.worker.on('error', () => undefined);
    this.worker.unref();
    port1.unref();
  }

  /**
   * Every file found, relative to the output folder (folders apart by `path.sep`), in the order
   * found; waits for the thread the first time, up to `waitMs`. Undefined when the thread failed,
   * died or gave no answer in time: the caller lists the folders itself, as without a scan.
   */
  public files(waitMs = 10_000): readonly string[] | undefined {
    if (this.answered) return this.found;
    this.answered = true;
    const deadline = Date.now() + waitMs;
    while (Atomics.load(this.state, 0) === 0 && Date.now() < deadline) Atomics.wait(this.state, 0, 0, Math.max(1, Math.min(100, deadline - Date.now())));
    const message = Atomics.load(this.state, 0) === 1 ? (receiveMessageOnPort(this.port)?.message as { paths: string[]; failure?: string } | undefined) : undefined;
    this.dispose();
    this.found = message !== undefined && message.failure === undefined ? message.paths : undefined;
    return this.found;
  }

  /** Stops the thread (it stops by itself once it has answered). */
  public dispose(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
