/**
 * Runs a Node.js process to completion without blocking the caller's event loop (the emulator the
 * child talks to often runs in the caller), and collects its output.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

/** How a process ended and what it wrote. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runProcess}. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called once the child is spawned (e.g. to signal it later). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Spawns `command args` and resolves when it exits. */
export const runProcess = (
  command: string,
  args: readonly string[],
  options: RunOptions = {}
): Promise<ProcessResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
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
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });

/** Resolves once `child` has written a stdout line that matches `pattern`. */
export const waitForLine = (child: ChildProcess, pattern: RegExp): Promise<string> =>
  new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(line);
      }
    };
    const onExit = (code: number | null) => {
      reject(new Error(`the process exited (${code}) before printing ${pattern}: ${buffered}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
