/**
 * What an output folder holds, read on a second thread while synthesis goes on: every file under
 * the given folders, with its size and modification time. An incremental synthesis into a large
 * folder asks the file system about every file twice (is a kept unit's file as it was written;
 * which files are there to sweep), tens of thousands of calls; on a second core they overlap the
 * keys, the record and the definition's work instead of following them. The answers are the
 * ones `fs.statSync` and `fs.readdirSync` give, so the synthesis decides the same.
 *
 * The scan is of the folder as it was when the synthesis began, before it wrote anything: a file
 * it writes is known to it by its claim, not by the scan.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';

/** The thread's code, plain JavaScript evaluated by the worker, as the file writer's. */
const THREAD_SOURCE = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const state = new Int32Array(workerData.state);
const paths = [];
const sizes = [];
const times = [];
let failure;
try {
  const walk = (at, prefix) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full, prefix + entry.name + path.sep);
      else {
        const stat = fs.statSync(full, { throwIfNoEntry: false });
        paths.push(prefix + entry.name);
        sizes.push(stat !== undefined && stat.isFile() ? stat.size : -1);
        times.push(stat !== undefined ? stat.mtimeMs : -1);
      }
    }
  };
  for (const folder of workerData.folders) {
    const dir = path.join(workerData.root, folder);
    if (fs.existsSync(dir)) walk(dir, folder + path.sep);
  }
} catch (error) {
  failure = error && error.message ? String(error.message) : String(error);
}
workerData.port.postMessage({ paths, sizes: Float64Array.from(sizes), times: Float64Array.from(times), failure });
Atomics.store(state, 0, 1);
Atomics.notify(state, 0);
`;

/** A file as the scan found it: its size (-1 when it is not a regular file) and modification time. */
export interface ScannedFile {
  readonly size: number;
  readonly mtimeMs: number;
}

/** The files under some folders of an output folder, read on a second thread (see the module's comment). */
export class OutputScan {
  private readonly state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private found: Map<string, ScannedFile> | undefined;

  /**
   * @param root the output folder
   * @param folders its folders to scan, by name; every file under them is found
   */
  constructor(
    private readonly root: string,
    private readonly folders: readonly string[],
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { state: this.state.buffer, root, folders, port: port2 }, transferList: [port2] });
    this.worker.unref();
    port1.unref();
  }

  /** Whether a file, relative to the output folder, lies under a scanned folder. */
  public covers(file: string): boolean {
    return this.folders.includes(file.slice(0, file.indexOf(path.sep)));
  }

  /** Every file found, relative to the output folder, with its size and time; waits for the thread the first time. */
  public files(): ReadonlyMap<string, ScannedFile> {
    if (this.found === undefined) {
      while (Atomics.load(this.state, 0) === 0) Atomics.wait(this.state, 0, 0, 1000);
      const message = receiveMessageOnPort(this.port)?.message as { paths: string[]; sizes: Float64Array; times: Float64Array; failure?: string } | undefined;
      this.dispose();
      if (message === undefined) throw new Error(`could not scan ${this.root}: the thread gave no answer`);
      if (message.failure !== undefined) throw new Error(`could not scan ${this.root}: ${message.failure}`);
      const found = new Map<string, ScannedFile>();
      message.paths.forEach((file, i) => found.set(file, { size: message.sizes[i], mtimeMs: message.times[i] }));
      this.found = found;
    }
    return this.found;
  }

  /** The file as the scan found it, or undefined when it was not there (or not under a scanned folder). */
  public stat(file: string): ScannedFile | undefined {
    return this.files().get(file);
  }

  /** Stops the thread (it stops by itself once it has answered). */
  public dispose(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/** Whether a file as a scan found it, or as `fs.statSync` finds it, is still as recorded. */
export function sameFile(found: ScannedFile | fs.Stats | undefined, recorded: { readonly size: number; readonly mtimeMs: number }): boolean {
  if (found === undefined) return false;
  const size = found instanceof fs.Stats ? (found.isFile() ? found.size : -1) : found.size;
  return size >= 0 && size === recorded.size && found.mtimeMs === recorded.mtimeMs;
}
