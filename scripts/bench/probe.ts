/**
 * One measurement of `npm run bench` in a fresh Node 24 process (bundled to `dist/bench/probe.js`,
 * which needs nothing but Node's built-ins): times `require` of one module (the bundle, the
 * dependency floor, an empty file), then hands it the events of `RR_PROBE_EVENTS` one by one, and
 * prints a {@link ProbeResult} on one stdout line. The driver times the whole process from outside.
 *
 * With `RR_PROBE_COVERAGE=1` it records, with V8's precise coverage, which of the bundle's lazily
 * run module wrappers (esbuild's `__esm` / `__commonJS`, each a function named by the module's path)
 * ran: that shows whether a path initialised the DynamoDB client or the idempotency utility.
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProbeResult } from './protocol.js';
import { outcomeOf, PROBE_RESULT_PREFIX, ProbeEnv } from './protocol.js';

const bootMs = performance.now();

/** The handler export of the module under test (absent for the floor and the empty file). */
interface HandlerModule {
  handler?: (event: unknown, context: unknown) => Promise<unknown>;
}

/** A Lambda context for the invocations. */
const lambdaContext = (index: number) => ({
  awsRequestId: `bench-probe-${process.pid}-${index}`,
  functionName: 'rotation-remediator',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotation-remediator',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 60_000,
});

/** A module wrapper's name in an esbuild bundle: the module's path inside the project. */
const MODULE_WRAPPER = /^(node_modules|src)\//;

interface CoverageFunction {
  functionName: string;
  ranges: { count: number }[];
}

/** Starts V8's precise coverage; resolves with a function that takes it. */
const startCoverage = async (): Promise<
  () => Promise<{ url: string; functions: CoverageFunction[] }[]>
> => {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) => {
      session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result as T)
      );
    });
  await post('Profiler.enable');
  await post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  return async () =>
    (
      await post<{ result: { url: string; functions: CoverageFunction[] }[] }>(
        'Profiler.takePreciseCoverage'
      )
    ).result;
};

const main = async (): Promise<void> => {
  const modulePath = process.env[ProbeEnv.module];
  if (modulePath === undefined) throw new Error(`${ProbeEnv.module} is not set`);
  const events = JSON.parse(process.env[ProbeEnv.events] ?? '[]') as unknown[];
  const takeCoverage = process.env[ProbeEnv.coverage] === '1' ? await startCoverage() : undefined;

  const cpuBefore = process.cpuUsage();
  const before = process.hrtime.bigint();
  const loaded = require(modulePath) as HandlerModule;
  const requireMs = Number(process.hrtime.bigint() - before) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const requireCpuMs = (cpu.user + cpu.system) / 1000;
  const rssAfterRequireKb = Math.round(process.memoryUsage.rss() / 1024);

  const invocations: ProbeResult['invocations'] = [];
  for (const [index, event] of events.entries()) {
    const handler = loaded.handler;
    if (handler === undefined) throw new Error(`${modulePath} exports no handler`);
    const cpuStarted = process.cpuUsage();
    const started = process.hrtime.bigint();
    let outcome: string;
    try {
      outcome = outcomeOf(await handler(event, lambdaContext(index)));
    } catch (error) {
      outcome = (error as Error | undefined)?.name ?? 'Error';
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const cpuUsed = process.cpuUsage(cpuStarted);
    invocations.push({
      ms,
      cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
      outcome,
    });
  }

  const result: ProbeResult = {
    node: process.version,
    bootMs,
    requireMs,
    requireCpuMs,
    invocations,
    rssAfterRequireKb,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  const cacheDir = (
    require('node:module') as { getCompileCacheDir?: () => string | undefined }
  ).getCompileCacheDir?.();
  if (cacheDir !== undefined) result.compileCacheDir = cacheDir;
  if (takeCoverage !== undefined) {
    // the bundle's files: the module itself and what it loaded beside it (the Lambda's parts/)
    const folder = dirname(resolve(modulePath));
    const scripts = (await takeCoverage()).filter(
      (entry) =>
        entry.url.startsWith(`${pathToFileURL(folder).href}/`) &&
        entry.url !== pathToFileURL(__filename).href
    );
    result.loadedFiles = scripts.map((entry) => relative(folder, fileURLToPath(entry.url))).sort();
    const wrappers = scripts
      .flatMap((entry) => entry.functions)
      .filter((fn) => MODULE_WRAPPER.test(fn.functionName));
    result.wrappedModules = [...new Set(wrappers.map((fn) => fn.functionName))];
    result.initialisedModules = [
      ...new Set(
        wrappers.filter((fn) => (fn.ranges[0]?.count ?? 0) > 0).map((fn) => fn.functionName)
      ),
    ];
  }
  process.stdout.write(`${PROBE_RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0));
};

main().catch((error: unknown) => {
  process.stderr.write(`probe failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
