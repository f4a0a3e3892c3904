/**
 * `npm run bench`: measures the function as issue 8 asks and writes `docs/benchmarks.md`.
 *
 * (a) cold start, (b) AWS calls per scenario, (c) latency under injected per-call latency, (d) the
 * sweep against its quota bound, (e) memory; then judges the targets (reported, never asserted).
 * The driver runs on the local Node and hosts the Secrets Manager emulator and dynalite; every
 * measured process runs on Node 24, the Lambda runtime's major version (`tools/node24`).
 *
 * Knobs (environment): `BENCH_ROUNDS` (fresh processes per init variant, default 20),
 * `BENCH_PATH_ROUNDS` (per path, default 10), `BENCH_REPETITIONS` (remediations per latency cell,
 * default 12), `BENCH_OUTPUT` (default `docs/benchmarks.md`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, type as osType, release, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { startLocalEnvironment } from '../tools/local-env.js';
import type { Node24 } from '../tools/node24/locate.js';
import { LAMBDA_NODE_MAJOR, locateNode24, NODE24_BINARY_ENV } from '../tools/node24/locate.js';
import { runCalls } from './bench/calls.js';
import { runColdStart } from './bench/cold-start.js';
import { startDelayingProxy } from './bench/delay-proxy.js';
import { runLatency } from './bench/latency.js';
import { BenchFiles, BenchWorker, PROJECT_DIR, runTimed } from './bench/processes.js';
import type { RunContext } from './bench/report.js';
import { renderReport } from './bench/report.js';
import { formatMs, interleave, summarize } from './bench/stats.js';
import { runSweepBench } from './bench/sweep.js';
import { judge } from './bench/targets.js';

const positiveInteger = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
};

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** A Lambda-like environment for the measured processes, pointed at the local endpoints. */
const lambdaEnv = (endpoints: Record<string, string>): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  AWS_LAMBDA_FUNCTION_NAME: 'rotation-remediator',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  // what Lambda sets in an on-demand environment: the Secrets Manager client is made on first use
  // (the cold-start variant "clients at init" sets provisioned-concurrency instead)
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  ...endpoints,
});

/**
 * The Node 24 binary, as `tools/node24/locate.ts` finds it. Bundled into dist/bench.js, that module's
 * own folder (`__dirname`) would be dist/, so the pinned package is looked up (and installed with
 * `npm run node24:install` when missing) from the project's root here, then handed over through
 * `NODE24_BINARY`.
 */
const locateLambdaNode = (): Node24 => {
  const local = Number(process.versions.node.split('.')[0]) === LAMBDA_NODE_MAJOR;
  if (process.env[NODE24_BINARY_ENV]?.trim() || local) return locateNode24();
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const binary = resolve(
    PROJECT_DIR,
    'tools/node24/node_modules',
    `node-${platform}-${process.arch}`,
    'bin',
    process.platform === 'win32' ? 'node.exe' : 'node'
  );
  if (!existsSync(binary)) {
    log('installing Node 24 (npm run node24:install)');
    const installed = spawnSync('npm', ['run', 'node24:install'], {
      cwd: PROJECT_DIR,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    if (installed.status !== 0) throw new Error('npm run node24:install failed');
  }
  if (!existsSync(binary)) return locateNode24(); // throws with the explanation
  return { path: binary, source: 'registry-package' };
};

const main = async (): Promise<void> => {
  const started = Date.now();
  const rounds = {
    init: positiveInteger('BENCH_ROUNDS', 20),
    paths: positiveInteger('BENCH_PATH_ROUNDS', 10),
    latency: positiveInteger('BENCH_REPETITIONS', 12),
  };
  const output = resolve(PROJECT_DIR, process.env.BENCH_OUTPUT ?? 'docs/benchmarks.md');
  const loadBefore = loadavg();
  log(`load average before: ${loadBefore.map((v) => v.toFixed(2)).join(' / ')}`);

  const node24 = locateLambdaNode();
  log(`Node 24: ${node24.path} (${node24.source})`);
  const local = await startLocalEnvironment();
  const workers: BenchWorker[] = [];
  try {
    const env = lambdaEnv(local.env());

    log('empty processes: driver Node vs Node 24');
    const empty = { driver: [] as number[], node24: [] as number[] };
    for (const which of interleave(['driver', 'node24'] as const, 10)) {
      const binary = which === 'driver' ? process.execPath : node24.path;
      empty[which].push((await runTimed(binary, ['-e', '0'], { env })).wallMs);
    }

    log('(a) cold start');
    const coldStart = await runColdStart({
      node: node24.path,
      env,
      emulator: local.emulator,
      rounds: rounds.init,
      pathRounds: rounds.paths,
      log,
    });

    log('(b) calls per scenario');
    const worker = await BenchWorker.start(node24.path, BenchFiles.handler, env);
    workers.push(worker);
    const calls = await runCalls(worker, local.emulator);

    log('(c) latency');
    const withoutIdempotency = await BenchWorker.start(node24.path, BenchFiles.handler, {
      ...env,
      POWERTOOLS_IDEMPOTENCY_DISABLED: 'true',
    });
    workers.push(withoutIdempotency);
    const proxy = await startDelayingProxy(local.dynamoDb);
    const withDelayedStore = await BenchWorker.start(node24.path, BenchFiles.handler, {
      ...env,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    });
    workers.push(withDelayedStore);
    const latency = await runLatency({
      emulator: local.emulator,
      worker,
      workerWithoutIdempotency: withoutIdempotency,
      workerWithDelayedStore: withDelayedStore,
      proxy,
      repetitions: rounds.latency,
      log,
    }).finally(() => proxy.stop());
    await Promise.all(workers.splice(0).map((w) => w.stop()));

    log('(d) sweep');
    const sweep = await runSweepBench(node24.path, BenchFiles.handler, env, local.region);

    const measurements = { coldStart, calls, latency, sweep };
    const verdicts = judge(measurements);
    const cpu = cpus();
    const run: RunContext = {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      memoryGiB: totalmem() / 1024 ** 3,
      os: `${osType()} ${release()} ${process.arch}`,
      driverNode: process.version,
      node24: coldStart.node,
      node24Source:
        node24.source === 'registry-package'
          ? 'registry package from tools/node24'
          : node24.source === 'env'
            ? 'NODE24_BINARY'
            : 'the local Node',
      loadBefore,
      loadAfter: loadavg(),
      emptyProcess: { driver: summarize(empty.driver), node24: summarize(empty.node24) },
      durationSeconds: (Date.now() - started) / 1000,
      rounds,
    };
    await writeFile(output, renderReport(measurements, verdicts, run));

    log('');
    for (const verdict of verdicts) {
      log(`${verdict.met ? 'met    ' : 'MISSED '} ${verdict.target}: ${verdict.measured}`);
      for (const note of verdict.notes) log(`        ${note}`);
    }
    log('');
    log(
      `wrote ${output} in ${formatMs(Date.now() - started)}; load average after: ${run.loadAfter.map((v) => v.toFixed(2)).join(' / ')}`
    );
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await local.stop();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
