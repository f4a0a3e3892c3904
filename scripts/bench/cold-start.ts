/**
 * (a) Cold start: the sizes of the Lambda's files (dist/handler.js and dist/parts/); module init of
 * dist/handler.js (on demand, and with its clients made at init), the mission floor and the other
 * builds in fresh Node 24 processes; the one-time cost of each path (init plus what its first
 * invocation loads); which modules and files each path initialises; Node's compile cache.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import type { CompileCacheChecks } from './compile-cache.js';
import { checkCompileCache } from './compile-cache.js';
import type { Composition } from './composition.js';
import { bundleComposition, moduleSizes, topLevelModules } from './composition.js';
import type { ProbeRun } from './processes.js';
import { BENCH_DIST, BenchFiles, PROJECT_DIR, runProbe, runTimed } from './processes.js';
import { BenchEvents, seedClean, seedStuck } from './scenarios.js';
import type { Summary } from './stats.js';
import { interleave, summarize } from './stats.js';
import { CLIENTS_AT_INIT, MISSION_FLOOR } from './targets.js';

/** The size of one build. */
export interface BuildSize {
  name: string;
  bytes: number;
  gzipBytes: number;
  note: string;
}

/** Timings of one variant over many fresh processes. */
export interface VariantTiming {
  name: string;
  note: string;
  /** `require` of the module, in the process (absent for `node -e 0`). */
  requireMs?: Summary;
  /** CPU time of the process during `require` (less sensitive to a busy machine than wall time). */
  requireCpuMs?: Summary;
  /** The whole process, spawn to exit, from the driver. */
  wallMs: Summary;
  maxRssKb?: Summary;
}

/** One path's first and second invocation in a fresh process. */
export interface PathTiming {
  name: string;
  writes: boolean;
  /** Outcomes of the two invocations (for the reader to check the path did what it says). */
  outcomes: string[];
  /** `require` in this path's processes (the same work for every path: the event comes later). */
  requireMs: Summary;
  firstMs: Summary;
  secondMs: Summary;
  /** First minus second invocation: what the first invocation of this path loads or opens. */
  firstExtraMs: Summary;
  /** The same in CPU time of the process (less sensitive to a busy machine than wall time). */
  firstExtraCpuMs: Summary;
  /**
   * What this path pays once per execution environment: the median `require` of all paths'
   * processes (pooled: module init does not depend on the path) + the median first-invocation extra.
   */
  oneTimeMs: number;
  /** The same in CPU time. */
  oneTimeCpuMs: number;
  /** Whole process, spawn to exit. */
  wallMs: Summary;
  /** Peak RSS once the first invocation settled. */
  maxRssAfterFirstKb: Summary;
  /** Peak RSS of the whole process (both invocations). */
  maxRssKb: Summary;
}

/** Which module wrappers one path initialised, and which of the Lambda's files it loaded (V8 coverage). */
export interface PathModules {
  name: string;
  /** Module wrappers run, over all the files loaded. */
  initialised: number;
  /** Module wrappers of all the files loaded. */
  wrapped: number;
  dynamoDbClient: boolean;
  idempotencyUtility: boolean;
  /** Any module of `@aws-sdk/client-secrets-manager` ran (the client was made). */
  secretsManagerSdk: boolean;
  sweep: boolean;
  /** The Lambda's files loaded, relative to dist/ (`handler.js`, `parts/aws.js`). */
  loadedFiles: string[];
}

/** The environment of a provisioned-concurrency execution environment: clients made at init. */
export const CLIENTS_AT_INIT_ENV = {
  AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency',
} as const;

/** The names of the coverage rows of module init alone: on demand, and with the clients made at init. */
export const INIT_ONLY = 'module init only';
export const INIT_ONLY_CLIENTS = 'module init only, clients at init';

/** What (a) measured. */
export interface ColdStartResults {
  node: string;
  sizes: BuildSize[];
  rounds: number;
  variants: VariantTiming[];
  pathRounds: number;
  paths: PathTiming[];
  /** Median `require` over every path's processes, wall and CPU. */
  pooledRequire: { ms: number; cpuMs: number };
  modules: PathModules[];
  /** Processes with an empty cache directory each: the first cold start of an environment. */
  compileCacheCold: { requireMs: Summary; wallMs: Summary };
  compileCacheChecks: CompileCacheChecks;
  /** dist/handler.js (not the parts) by when its modules run (from the coverage runs). */
  composition: Composition;
}

/** Options of {@link runColdStart}. */
export interface ColdStartOptions {
  node: string;
  /** Environment of a Lambda-like process with the local endpoints. */
  env: NodeJS.ProcessEnv;
  emulator: SecretsManagerEmulator;
  /** Fresh processes per init variant. */
  rounds: number;
  /** Fresh processes per path. */
  pathRounds: number;
  log: (line: string) => void;
}

const size = async (name: string, file: string, note: string): Promise<BuildSize> => {
  const content = await readFile(file);
  return { name, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length, note };
};

const sizeOfTree = async (dir: string): Promise<{ bytes: number; gzipBytes: number }> => {
  let bytes = 0;
  let gzipBytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const content = await readFile(join(entry.parentPath, entry.name));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { bytes, gzipBytes };
};

/**
 * What one coverage run initialised: the module wrappers that ran, and the modules at the top
 * level of each file it loaded (`topLevel`: by file, relative to dist/), which ran when the file
 * was loaded (a part's entry module and the ES modules it imports, such as the idempotency utility).
 */
const classify = (
  name: string,
  run: ProbeRun,
  topLevel: ReadonlyMap<string, ReadonlySet<string>>
): PathModules => {
  const wrappers = run.result.initialisedModules ?? [];
  const loadedFiles = (run.result.loadedFiles ?? []).map((file) => file.replaceAll('\\', '/'));
  const initialised = [
    ...wrappers,
    ...loadedFiles.flatMap((file) => [...(topLevel.get(file) ?? [])]),
  ];
  const any = (prefix: string) => initialised.some((module) => module.startsWith(prefix));
  return {
    name,
    initialised: wrappers.length,
    wrapped: run.result.wrappedModules?.length ?? 0,
    dynamoDbClient: any('node_modules/@aws-sdk/client-dynamodb/'),
    idempotencyUtility:
      any('node_modules/@aws-lambda-powertools/idempotency/') ||
      any('src/idempotency/powertools.ts'),
    secretsManagerSdk: any('node_modules/@aws-sdk/client-secrets-manager/'),
    sweep: any('src/sweep/sweep.ts'),
    loadedFiles,
  };
};

/** Runs (a). */
export const runColdStart = async (options: ColdStartOptions): Promise<ColdStartResults> => {
  const { node, env, emulator, log } = options;
  await writeFile(BenchFiles.empty, '// An empty module: the baseline of the init probes.\n');
  const unbundled = await sizeOfTree(join(BENCH_DIST, 'unbundled'));
  const partFiles = (await readdir(BenchFiles.parts))
    .filter((file) => file.endsWith('.js'))
    .sort()
    .map((file) => join(BenchFiles.parts, file));
  const handlerSize = await size(
    'dist/handler.js',
    BenchFiles.handler,
    'what every cold start reads and compiles (`npm run build` and `sam build`: scripts/lambda-build.mjs)'
  );
  // a part's note names the measured paths that loaded it, once the coverage runs are done
  const partSizes: BuildSize[] = [];
  for (const file of partFiles) {
    partSizes.push(await size(relative(PROJECT_DIR, file).replaceAll('\\', '/'), file, ''));
  }

  // Compile cache: a warm directory for the timed variant.
  const warmCache = await mkdtemp(join(BENCH_DIST, 'compile-cache-'));
  const cacheEnv = { ...env, NODE_COMPILE_CACHE: warmCache };
  for (let i = 0; i < 2; i += 1) {
    await runProbe({ node, module: BenchFiles.handler, env: cacheEnv });
  }

  interface Variant {
    name: string;
    note: string;
    run: () => Promise<{ wallMs: number; run?: ProbeRun }>;
  }
  const probe =
    (module: string, probeEnv: NodeJS.ProcessEnv = env) =>
    async () => {
      const run = await runProbe({ node, module, env: probeEnv });
      return { wallMs: run.wallMs, run };
    };
  const variants: Variant[] = [
    {
      name: 'node -e 0',
      note: 'an empty Node process',
      run: async () => ({ wallMs: (await runTimed(node, ['-e', '0'], { env })).wallMs }),
    },
    {
      name: 'empty module',
      note: 'the probe requiring an empty file',
      run: probe(BenchFiles.empty),
    },
    { name: MISSION_FLOOR, note: 'dist/bench/floor.js', run: probe(BenchFiles.floor) },
    {
      name: 'dist/handler.js',
      note: 'on demand (the default): the Secrets Manager client is made on first use',
      run: probe(BenchFiles.handler),
    },
    {
      name: CLIENTS_AT_INIT,
      note: `${Object.entries(CLIENTS_AT_INIT_ENV)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}: the client is made at init, as provisioned concurrency (or SnapStart) does`,
      run: probe(BenchFiles.handler, { ...env, ...CLIENTS_AT_INIT_ENV }),
    },
    {
      name: 'dist/handler.js, compile cache',
      note: 'on demand; NODE_COMPILE_CACHE, warm',
      run: probe(BenchFiles.handler, cacheEnv),
    },
    {
      name: 'unbundled build',
      note: 'for information; requires node_modules',
      run: probe(BenchFiles.unbundled),
    },
  ];
  interface Samples {
    wall: number[];
    require: number[];
    cpu: number[];
    rss: number[];
  }
  const noSamples = (): Samples => ({ wall: [], require: [], cpu: [], rss: [] });
  const samples = new Map<string, Samples>(variants.map((variant) => [variant.name, noSamples()]));
  log(`  init: ${variants.length} variants × ${options.rounds} fresh processes`);
  for (const variant of interleave(variants, options.rounds)) {
    const { wallMs, run } = await variant.run();
    const bucket = samples.get(variant.name);
    bucket?.wall.push(wallMs);
    if (run !== undefined) {
      bucket?.require.push(run.result.requireMs);
      bucket?.cpu.push(run.result.requireCpuMs);
      bucket?.rss.push(run.result.maxRssKb);
    }
  }
  const variantTimings: VariantTiming[] = variants.map((variant) => {
    const bucket = samples.get(variant.name) ?? noSamples();
    return {
      name: variant.name,
      note: variant.note,
      wallMs: summarize(bucket.wall),
      ...(bucket.require.length === 0 ? {} : { requireMs: summarize(bucket.require) }),
      ...(bucket.cpu.length === 0 ? {} : { requireCpuMs: summarize(bucket.cpu) }),
      ...(bucket.rss.length === 0 ? {} : { maxRssKb: summarize(bucket.rss) }),
    };
  });

  // The first cold start of an execution environment with NODE_COMPILE_CACHE=/tmp/...: empty.
  const coldWall: number[] = [];
  const coldRequire: number[] = [];
  for (let i = 0; i < Math.max(3, Math.round(options.rounds / 4)); i += 1) {
    const dir = await mkdtemp(join(BENCH_DIST, 'compile-cache-cold-'));
    const run = await runProbe({
      node,
      module: BenchFiles.handler,
      env: { ...env, NODE_COMPILE_CACHE: dir },
    });
    coldWall.push(run.wallMs);
    coldRequire.push(run.result.requireMs);
    await rm(dir, { recursive: true, force: true });
  }
  await rm(warmCache, { recursive: true, force: true });

  // Paths: require, then two invocations of the same kind; the first pays what the path loads.
  interface PathSpec {
    name: string;
    writes: boolean;
    events: () => unknown[];
  }
  const paths: PathSpec[] = [
    {
      name: 'ignored (alarm back to OK)',
      writes: false,
      events: () => [BenchEvents.alarmOk(), BenchEvents.alarmOk()],
    },
    {
      name: 'rejected (unknown event)',
      writes: false,
      events: () => [BenchEvents.unknownShape(), BenchEvents.unknownShape()],
    },
    {
      name: 'dry run',
      writes: false,
      events: () => {
        const secret = seedStuck(emulator, 'cold-dry');
        return [BenchEvents.dryRun(secret), BenchEvents.dryRun(secret)];
      },
    },
    {
      name: 'already clean',
      writes: false,
      events: () => {
        const secret = seedClean(emulator, 'cold-clean');
        return [BenchEvents.direct(secret), BenchEvents.direct(secret)];
      },
    },
    {
      name: 'remediation (RotationFailed → discard)',
      writes: true,
      events: () => [
        BenchEvents.rotationFailedSetSecret(seedStuck(emulator, 'cold-write')),
        BenchEvents.rotationFailedSetSecret(seedStuck(emulator, 'cold-write')),
      ],
    },
  ];
  log(`  paths: ${paths.length} paths × ${options.pathRounds} fresh processes`);
  const pathSamples = new Map<string, ProbeRun[]>(paths.map((path) => [path.name, []]));
  for (const path of interleave(paths, options.pathRounds)) {
    const run = await runProbe({ node, module: BenchFiles.handler, env, events: path.events() });
    pathSamples.get(path.name)?.push(run);
  }
  const allRuns = [...pathSamples.values()].flat();
  const pooledRequire = summarize(allRuns.map((run) => run.result.requireMs)).median;
  const pooledRequireCpu = summarize(allRuns.map((run) => run.result.requireCpuMs)).median;
  const pathTimings: PathTiming[] = paths.map((path) => {
    const runs = pathSamples.get(path.name) ?? [];
    const nth = (run: ProbeRun, index: number) =>
      run.result.invocations[index] ?? {
        ms: Number.NaN,
        cpuMs: Number.NaN,
        maxRssKb: Number.NaN,
        outcome: 'none',
      };
    const firstExtraMs = summarize(runs.map((run) => nth(run, 0).ms - nth(run, 1).ms));
    const firstExtraCpuMs = summarize(runs.map((run) => nth(run, 0).cpuMs - nth(run, 1).cpuMs));
    return {
      name: path.name,
      writes: path.writes,
      outcomes: [...new Set(runs.flatMap((run) => run.result.invocations.map((i) => i.outcome)))],
      requireMs: summarize(runs.map((run) => run.result.requireMs)),
      firstMs: summarize(runs.map((run) => nth(run, 0).ms)),
      secondMs: summarize(runs.map((run) => nth(run, 1).ms)),
      firstExtraMs,
      firstExtraCpuMs,
      oneTimeMs: pooledRequire + firstExtraMs.median,
      oneTimeCpuMs: pooledRequireCpu + firstExtraCpuMs.median,
      wallMs: summarize(runs.map((run) => run.wallMs)),
      maxRssAfterFirstKb: summarize(runs.map((run) => nth(run, 0).maxRssKb)),
      maxRssKb: summarize(runs.map((run) => run.result.maxRssKb)),
    };
  });

  // Which modules each path initialised (V8 coverage: one slow, untimed process per path).
  log('  modules: one coverage run per path');
  const distDir = dirname(BenchFiles.handler);
  const topLevel = new Map<string, Set<string>>();
  for (const file of [BenchFiles.handler, ...partFiles]) {
    topLevel.set(
      relative(distDir, file).replaceAll('\\', '/'),
      topLevelModules(await readFile(file, 'utf8'))
    );
  }
  const initOnly = await runProbe({ node, module: BenchFiles.handler, env, coverage: true });
  const initOnlyClients = await runProbe({
    node,
    module: BenchFiles.handler,
    env: { ...env, ...CLIENTS_AT_INIT_ENV },
    coverage: true,
  });
  const modules: PathModules[] = [
    classify(INIT_ONLY, initOnly, topLevel),
    classify(INIT_ONLY_CLIENTS, initOnlyClients, topLevel),
  ];
  let writingRun: ProbeRun | undefined;
  for (const path of paths) {
    const run = await runProbe({
      node,
      module: BenchFiles.handler,
      env,
      events: path.events().slice(0, 1),
      coverage: true,
    });
    modules.push(classify(path.name, run, topLevel));
    if (path.writes) writingRun = run;
  }
  // The probe merges the module wrappers of all the files a run loaded, by name: a module that
  // handler.js and a part both hold counts as run in handler.js when either copy ran (the writing
  // path runs the Secrets Manager SDK in handler.js, which shares most such modules with the parts).
  const composition = bundleComposition(
    moduleSizes(await readFile(BenchFiles.handler, 'utf8')),
    new Set(initOnly.result.wrappedModules),
    new Set(initOnly.result.initialisedModules),
    new Set(writingRun?.result.initialisedModules)
  );

  log('  compile cache: shipping checks');
  const compileCacheChecks = await checkCompileCache(
    node,
    BenchFiles.handler,
    join(BENCH_DIST, 'compile-cache-checks'),
    env
  );
  const nodeVersion = (await runProbe({ node, module: BenchFiles.empty, env })).result.node;
  const pathModules = modules.filter((entry) => paths.some((path) => path.name === entry.name));
  const sizes: BuildSize[] = [
    handlerSize,
    ...partSizes.map((part) => {
      const loadedBy = pathModules
        .filter((entry) => entry.loadedFiles.includes(part.name.replace(/^dist\//, '')))
        .map((entry) => entry.name);
      return {
        ...part,
        note: `a part: read and compiled only when an invocation first requires it; loaded by ${loadedBy.length === 0 ? 'none of the measured paths' : loadedBy.join(', ')}`,
      };
    }),
    await size(
      MISSION_FLOOR,
      BenchFiles.floor,
      'SecretsManagerClient + Logger, built like dist/handler.js'
    ),
    {
      name: 'unbundled build',
      ...unbundled,
      note: 'our code only, one file per source; node_modules on top',
    },
  ];
  return {
    node: nodeVersion,
    sizes,
    rounds: options.rounds,
    variants: variantTimings,
    pathRounds: options.pathRounds,
    paths: pathTimings,
    pooledRequire: { ms: pooledRequire, cpuMs: pooledRequireCpu },
    modules,
    compileCacheCold: { requireMs: summarize(coldRequire), wallMs: summarize(coldWall) },
    compileCacheChecks,
    composition,
  };
};
