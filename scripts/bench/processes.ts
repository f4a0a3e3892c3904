/**
 * The benchmark's child processes: probes (one fresh Node 24 process per measurement, timed from
 * outside) and workers (a long-lived Node 24 process driven over IPC).
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type {
  ProbeResult,
  WorkerReady,
  WorkerRequest,
  WorkerResponse,
  WorkerRoundTripsResponse,
} from './protocol.js';
import { PROBE_RESULT_PREFIX, ProbeEnv } from './protocol.js';

/** The project's root: the bench runs bundled as `dist/bench.js`. */
export const PROJECT_DIR = resolve(__dirname, '..');

/** Where the benchmark's artefacts are built (`scripts/build.mjs`). */
export const BENCH_DIST = resolve(PROJECT_DIR, 'dist/bench');

/** Paths of the built files the benchmark runs. */
export const BenchFiles = {
  /** The Lambda's entry file: what a cold start reads and compiles (scripts/lambda-build.mjs). */
  handler: resolve(PROJECT_DIR, 'dist/handler.js'),
  /** The Lambda's parts: files the handler requires on first use (`parts/<name>.js`). */
  parts: resolve(PROJECT_DIR, 'dist/parts'),
  floor: resolve(BENCH_DIST, 'floor.js'),
  unbundled: resolve(BENCH_DIST, 'unbundled/handler.js'),
  empty: resolve(BENCH_DIST, 'empty.js'),
  probe: resolve(BENCH_DIST, 'probe.js'),
  worker: resolve(BENCH_DIST, 'worker.js'),
} as const;

/** A finished process: its exit, output and wall time from spawn to exit. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from `spawn` to the `exit` event, measured by the driver. */
  wallMs: number;
}

/** Options of {@link runTimed}. */
export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user and group (only when the driver runs as root). */
  uid?: number;
  gid?: number;
}

/** Spawns `command args`, waits for it and times it from spawn to exit. */
export const runTimed = (
  command: string,
  args: readonly string[],
  options: RunOptions
): Promise<Finished> =>
  new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    let exitedAt: bigint | undefined;
    const child = spawn(command, [...args], {
      env: options.env,
      cwd: options.cwd ?? PROJECT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', () => {
      exitedAt = process.hrtime.bigint();
    });
    child.once('close', (code) => {
      const end = exitedAt ?? process.hrtime.bigint();
      resolvePromise({ code, stdout, stderr, wallMs: Number(end - started) / 1e6 });
    });
  });

/** Options of {@link runProbe}. */
export interface ProbeOptions {
  /** The Node binary. */
  node: string;
  /** Absolute path of the module to require. */
  module: string;
  /** The environment (the probe's own variables are added). */
  env: NodeJS.ProcessEnv;
  /** Events to hand to the module's handler after requiring it. */
  events?: readonly unknown[];
  /** Record which module wrappers ran (slow: never in a timed run). */
  coverage?: boolean;
  /** Options for the Node binary itself (`--expose-gc`, ...). */
  nodeArgs?: readonly string[];
  uid?: number;
  gid?: number;
}

/** One probe process: its result and its wall time. */
export interface ProbeRun {
  wallMs: number;
  result: ProbeResult;
  stderr: string;
}

/** Runs one probe process; rejects when it fails or prints no result. */
export const runProbe = async (options: ProbeOptions): Promise<ProbeRun> => {
  const env: NodeJS.ProcessEnv = { ...options.env, [ProbeEnv.module]: options.module };
  if (options.events !== undefined) env[ProbeEnv.events] = JSON.stringify(options.events);
  if (options.coverage === true) env[ProbeEnv.coverage] = '1';
  const finished = await runTimed(options.node, [...(options.nodeArgs ?? []), BenchFiles.probe], {
    env,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  const line = finished.stdout
    .split('\n')
    .find((candidate) => candidate.startsWith(PROBE_RESULT_PREFIX));
  if (finished.code !== 0 || line === undefined) {
    throw new Error(
      `probe of ${options.module} exited ${finished.code}: ${finished.stderr.slice(-1500)}`
    );
  }
  return {
    wallMs: finished.wallMs,
    result: JSON.parse(line.slice(PROBE_RESULT_PREFIX.length)) as ProbeResult,
    stderr: finished.stderr,
  };
};

/** A long-lived Node 24 process that invokes the bundle's handler on request (over IPC). */
export class BenchWorker {
  /** What the worker reported once the bundle was loaded. */
  public ready: WorkerReady | undefined;
  readonly #child: ChildProcess;
  readonly #pending = new Map<
    number,
    (response: WorkerResponse | WorkerRoundTripsResponse) => void
  >();
  #nextId = 1;
  #stderr = '';
  #exited: Promise<void>;

  private constructor(child: ChildProcess, exited: Promise<void>) {
    this.#child = child;
    this.#exited = exited;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    child.on('message', (message: WorkerResponse | WorkerRoundTripsResponse | WorkerReady) => {
      if ('ready' in message) return;
      this.#pending.get(message.id)?.(message);
      this.#pending.delete(message.id);
    });
  }

  /** Starts a worker on `node` that requires `bundle` with `env`; resolves once it is ready. */
  public static async start(node: string, bundle: string, env: NodeJS.ProcessEnv) {
    const child = fork(BenchFiles.worker, [], {
      execPath: node,
      env: { ...env, RR_BUNDLE: bundle },
      cwd: PROJECT_DIR,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const exited = new Promise<void>((resolvePromise) =>
      child.once('exit', () => resolvePromise())
    );
    const worker = new BenchWorker(child, exited);
    worker.ready = await new Promise<WorkerReady>((resolvePromise, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`worker exited (${code}) before it was ready: ${worker.#stderr}`));
      child.once('exit', onExit);
      child.on('message', (message: WorkerResponse | WorkerReady) => {
        if (!('ready' in message)) return;
        child.off('exit', onExit);
        resolvePromise(message);
      });
    });
    return worker;
  }

  /** Sends one request and resolves with the worker's answer to it. */
  #request<T extends WorkerResponse | WorkerRoundTripsResponse>(
    request: WorkerRequest
  ): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const onExit = () => reject(new Error(`worker exited during a request: ${this.#stderr}`));
      this.#child.once('exit', onExit);
      this.#pending.set(request.id, (response) => {
        this.#child.off('exit', onExit);
        resolvePromise(response as T);
      });
      this.#child.send(request);
    });
  }

  /** Invokes the handler with `event`; resolves with the worker's answer. */
  public invoke(event: unknown, remainingMs?: number): Promise<WorkerResponse> {
    return this.#request<WorkerResponse>({
      kind: 'invoke',
      id: this.#nextId++,
      event,
      ...(remainingMs === undefined ? {} : { remainingMs }),
    });
  }

  /**
   * Times `count` bare HTTP round trips (no SDK) from the worker to `endpoint` with the JSON 1.1
   * `target` and `body`; resolves with the milliseconds of each.
   */
  public async roundTrips(
    endpoint: string,
    target: string,
    body: string,
    count: number
  ): Promise<number[]> {
    const response = await this.#request<WorkerRoundTripsResponse>({
      kind: 'round-trips',
      id: this.#nextId++,
      endpoint,
      target,
      body,
      count,
    });
    return response.samples;
  }

  /** Disconnects the worker and waits for it to exit. */
  public async stop(): Promise<void> {
    if (this.#child.connected) this.#child.disconnect();
    await this.#exited;
  }
}
