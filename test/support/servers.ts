/**
 * Real servers for the tests that let a real tool decide: a free port, polling until a server
 * answers, a process whose output the failure messages carry and that is always stopped, and a
 * Prometheus on 127.0.0.1 with its HTTP API.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { runTool } from './tools';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** Called before each probe: a reason to give up at once (a process that exited), or `undefined` to go on. */
  readonly giveUp?: () => string | undefined;
}

/**
 * Polls `probe` every 250 ms until it returns a value other than `undefined`; a probe that
 * throws counts as not yet. Fails after `timeoutMs` naming `what` and the last error.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const reason = options.giveUp?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    try {
      const found = await probe();
      if (found !== undefined) return found;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
}

/** How much of a process's output its failure messages keep: the end. */
const OUTPUT_CHARS = 16_000;
/** The processes not yet known to have exited, killed if the test process ends before their `stop()`. */
const RUNNING = new Set<ChildProcess>();
process.once('exit', () => RUNNING.forEach((child) => child.kill('SIGKILL')));

/** A server process of a test: its output kept for failure messages, and `stop()` that leaves nothing running. */
export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private log = '';
  private ended: string | undefined;

  /** Starts `command` with `args`, stdin closed, stdout and stderr captured. */
  constructor(
    public readonly command: string,
    args: readonly string[],
    options: { readonly cwd?: string } = {},
  ) {
    this.child = spawn(command, [...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    RUNNING.add(this.child);
    const keep = (chunk: Buffer): void => {
      this.log = `${this.log}${chunk.toString()}`.slice(-OUTPUT_CHARS);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      const end = (how: string): void => {
        this.ended ??= how;
        RUNNING.delete(this.child);
        resolve();
      };
      this.child.once('exit', (code, signal) => end(signal !== null ? `killed by ${signal}` : `exited with status ${code}`));
      this.child.once('error', (error) => end(`could not run: ${error.message}`));
    });
  }

  /** What the process wrote to stdout and stderr (the last part of it). */
  public get output(): string {
    return this.log;
  }

  /** How the process ended, or `undefined` while it runs. */
  public get exit(): string | undefined {
    return this.ended;
  }

  /** {@link waitFor}, giving up as soon as the process ends; the error carries the process's output. */
  public async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    try {
      return await waitFor(what, probe, timeoutMs, { giveUp: () => (this.ended === undefined ? undefined : `${this.command} ${this.ended}`) });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.command} said:\n${this.log}`);
    }
  }

  /** Stops the process: SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
  public async stop(graceMs = 10_000): Promise<void> {
    if (this.ended !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** One series of an instant vector. */
export interface InstantSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** One series of a range vector. */
export interface RangeSeries {
  readonly metric: Record<string, string>;
  readonly values: [number, string][];
}

/**
 * The `data` of a successful query.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#expression-query-result-formats
 */
export type QueryData =
  | { readonly resultType: 'vector'; readonly result: InstantSample[] }
  | { readonly resultType: 'matrix'; readonly result: RangeSeries[] }
  | { readonly resultType: 'scalar' | 'string'; readonly result: [number, string] };

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** The configuration file; it names the rule files by their names in `ruleFiles`. */
  readonly configYaml: string;
  /**
   * Rule files by file name, written next to the configuration.
   * @default none
   */
  readonly ruleFiles?: Readonly<Record<string, string>>;
  /**
   * The TSDB directory, e.g. one {@link backfillOpenMetrics} filled; the caller keeps and removes it.
   * @default an empty directory, removed on stop
   */
  readonly tsdbDir?: string;
  /**
   * More command-line flags.
   * @default none
   */
  readonly extraArgs?: readonly string[];
  /**
   * Run `promtool check config` on the files first, and fail with its output unless it says SUCCESS.
   * @default false
   */
  readonly checkConfig?: boolean;
  /**
   * What else must hold before the server counts as ready: an expression (say, over recorded
   * series) that must return a sample at the present, and what that means, for the failure message.
   * @default ready once `/-/ready` answers
   */
  readonly readyWhen?: { readonly what: string; readonly expr: string };
  /**
   * Longest wait for the server to be ready, from its start.
   * @default 30000
   */
  readonly readyTimeoutMs?: number;
}

/** A Prometheus of a test, listening on 127.0.0.1. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The server process, for its output. */
  readonly process: ServerProcess;
  /** The `data` of a successful answer of an API endpoint; throws with the error otherwise. */
  api<T>(endpoint: string, params?: Readonly<Record<string, string>>): Promise<T>;
  /** An instant query at `time` (unix seconds; the server's present when omitted). */
  query(expr: string, time?: number): Promise<QueryData>;
  /** An instant query that must return a vector: its samples. */
  vector(expr: string, time?: number): Promise<InstantSample[]>;
  /** A range query: its series. */
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<RangeSeries[]>;
  /** {@link ServerProcess.waitFor} on the server process. */
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T>;
  /** Stops the server and removes the files it was given. */
  stop(): Promise<void>;
}

/**
 * Starts Prometheus on a free port of 127.0.0.1 with a configuration and rule files written to a
 * directory of its own, and resolves once `/-/ready` answers and `readyWhen` holds; on failure
 * nothing is left running.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, options.configYaml);
  for (const [name, text] of Object.entries(options.ruleFiles ?? {})) fs.writeFileSync(path.join(dir, name), text);
  if (options.checkConfig === true) {
    const check = runTool('promtool', ['check', 'config', 'prometheus.yml'], dir);
    if (check.status !== 0 || !check.output.includes('SUCCESS')) {
      remove();
      throw new Error(`promtool check config refused the configuration:\n${check.output}`);
    }
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = new ServerProcess(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${options.tsdbDir ?? path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, ...(options.extraArgs ?? [])],
    { cwd: dir },
  );
  const stop = async (): Promise<void> => {
    await server.stop();
    remove();
  };
  const api = async <T>(endpoint: string, params: Readonly<Record<string, string>> = {}): Promise<T> => {
    const response = await fetch(`${url}${endpoint}?${new URLSearchParams(params).toString()}`);
    const body = (await response.json()) as { status: string; error?: string; data: T };
    if (body.status !== 'success') throw new Error(`${endpoint} ${JSON.stringify(params)}: ${body.error ?? response.status}`);
    return body.data;
  };
  const query = (expr: string, time?: number): Promise<QueryData> => api<QueryData>('/api/v1/query', time === undefined ? { query: expr } : { query: expr, time: String(time) });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    await server.waitFor('Prometheus to be ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), deadline - Date.now());
    const readyWhen = options.readyWhen;
    if (readyWhen !== undefined) {
      await server.waitFor(readyWhen.what, async () => ((await query(readyWhen.expr, Date.now() / 1000)).result.length > 0 ? true : undefined), deadline - Date.now());
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    process: server,
    api,
    query,
    vector: async (expr, time) => {
      const data = await query(expr, time);
      if (data.resultType !== 'vector') throw new Error(`${expr}: expected a vector, got a ${data.resultType}`);
      return data.result;
    },
    queryRange: async (expr, start, end, stepSeconds) =>
      (await api<{ result: RangeSeries[] }>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(stepSeconds) })).result,
    waitFor: (what, probe, timeoutMs) => server.waitFor(what, probe, timeoutMs),
    stop,
  };
}
