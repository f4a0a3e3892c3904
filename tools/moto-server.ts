/**
 * Starts moto's standalone server (`moto_server`, a third-party implementation of AWS in Python) on a
 * free loopback port, for tests that compare our emulator with it. No AWS account, no network.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { LOCAL_DEFAULTS } from './local-env.js';

/** Options of {@link startMotoServer}. */
export interface MotoServerOptions {
  /** Default region of the moto process (`AWS_DEFAULT_REGION`). Default `us-east-1`. */
  region?: string;
  /** How long to wait for the server to answer, in ms. Default 30 000. */
  readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms. Default 5 000. */
  killTimeoutMs?: number;
  /** The executable, looked up on PATH. Default {@link MOTO_SERVER_COMMAND}. */
  command?: string;
}

/** A running `moto_server`. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The default region given to the process. */
  region: string;
  /** Stops the server (SIGTERM, then SIGKILL after a time-out) and waits for it to exit; idempotent. */
  stop(): Promise<void>;
}

/** The command this module runs. */
export const MOTO_SERVER_COMMAND = 'moto_server';

const STDERR_TAIL_CHARS = 4_000;
const POLL_INTERVAL_MS = 100;

/** Builds the error thrown when `moto_server` is not on PATH. */
export const motoServerMissingError = (): Error => {
  const error = new Error(
    "moto_server not found on PATH: install moto with its server extra, e.g. `pip install 'moto[server]'`"
  );
  error.name = 'MotoServerMissingError';
  return error;
};

/** A port that was free on 127.0.0.1 a moment ago (bind port 0, read it, close). */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOCAL_DEFAULTS.host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the server answers a cheap request. */
const answers = async (endpoint: string): Promise<boolean> => {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
};

/** Resolves once the child is spawned; rejects on ENOENT (as MotoServerMissingError) or any spawn error. */
const spawned = (child: ChildProcess): Promise<void> =>
  new Promise((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? motoServerMissingError() : error);
    });
  });

/** Polls `endpoint` until it answers, the child exits, or `timeoutMs` passes. */
const waitUntilReady = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  stderrTail: () => string
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `moto_server exited (${child.exitCode ?? child.signalCode}): ${stderrTail()}`
      );
    }
    if (await answers(endpoint)) return;
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
};

/** Sends SIGTERM, then SIGKILL after `killTimeoutMs`, and resolves when the child has exited. */
const terminate = (child: ChildProcess, killTimeoutMs: number): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), killTimeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` and resolves once it answers. Throws an error
 * named `MotoServerMissingError` when `moto_server` is not on PATH. Call `stop()` when done.
 */
export const startMotoServer = async (options: MotoServerOptions = {}): Promise<MotoServer> => {
  const region = options.region ?? LOCAL_DEFAULTS.region;
  const port = await freePort();
  const endpoint = `http://${LOCAL_DEFAULTS.host}:${port}`;
  const child = spawn(
    options.command ?? MOTO_SERVER_COMMAND,
    ['-H', LOCAL_DEFAULTS.host, '-p', String(port)],
    {
      env: { ...process.env, AWS_DEFAULT_REGION: region },
      stdio: ['ignore', 'ignore', 'pipe'],
    }
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= terminate(child, options.killTimeoutMs ?? 5_000);
    return stopped;
  };
  await spawned(child);
  try {
    await waitUntilReady(endpoint, child, options.readyTimeoutMs ?? 30_000, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, region, stop };
};
