/**
 * Renders `docs/benchmarks.md` from one run's measurements.
 */
import type { CallCount } from './calls.js';
import { atMinimum } from './calls.js';
import type { ColdStartResults, PathModules } from './cold-start.js';
import { CLIENTS_AT_INIT_ENV, INIT_ONLY, INIT_ONLY_CLIENTS } from './cold-start.js';
import type { CacheOutcome } from './compile-cache.js';
import { LAMBDA_NODE_FLAGS } from './compile-cache.js';
import type { PackageBytes } from './composition.js';
import { INJECTED_LATENCIES_MS as INJECTED_LATENCIES, WARM_UP_REMEDIATIONS } from './latency.js';
import type { Summary } from './stats.js';
import {
  formatBytes,
  formatMs,
  formatPercent,
  formatRatio,
  markdownTable,
  ratio,
} from './stats.js';
import type { Measurements, Verdict } from './targets.js';
import {
  CLIENTS_AT_INIT,
  initOverheads,
  MISSION_FLOOR,
  modulesOf,
  pathRatios,
  pathsOverFloor,
  SCHEMALESS_PATHS,
  TARGETS,
} from './targets.js';

/** The machine and the conditions of the run. */
export interface RunContext {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  driverNode: string;
  node24: string;
  node24Source: string;
  loadBefore: number[];
  loadAfter: number[];
  /** `node -e 0` of the driver's Node and of Node 24, medians. */
  emptyProcess: { driver: Summary; node24: Summary };
  durationSeconds: number;
  rounds: { init: number; paths: number; latency: number };
}

const ms = (summary: Summary | undefined): string =>
  summary === undefined ? '–' : formatMs(summary.median);
const p90 = (summary: Summary | undefined): string =>
  summary === undefined ? '–' : formatMs(summary.p90);
const mib = (kb: number): string => `${(kb / 1024).toFixed(1)} MiB`;
const kib = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`;
const load = (values: readonly number[]): string => values.map((v) => v.toFixed(2)).join(' / ');
const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
const signedPercent = (share: number): string =>
  Number.isFinite(share)
    ? `${share >= 0 ? '+' : '−'}${Math.abs(Math.round(share * 100))} %`
    : 'n/a';

const OUTCOME_TEXT: Record<CacheOutcome, string> = {
  accepted: 'used (accepted)',
  rejected: 'rejected by V8',
  missed: 'not used (no entry)',
  disabled: 'not used (no usable cache directory)',
};

/** The largest packages of a list, as `` `name` size ``. */
const packagesText = (packages: readonly PackageBytes[], count = 3): string =>
  packages.length === 0
    ? 'nothing'
    : packages
        .slice(0, count)
        .map((entry) => `\`${entry.name}\` ${kib(entry.bytes)}`)
        .join(', ');

/** The Lambda's parts a coverage run loaded (its files but handler.js). */
const partsLoaded = (row: PathModules | undefined): string[] =>
  (row?.loadedFiles ?? []).filter((file) => file !== 'handler.js');

/** `AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency`, as the variant sets it. */
const clientsAtInitSetting = Object.entries(CLIENTS_AT_INIT_ENV)
  .map(([name, value]) => `\`${name}=${value}\``)
  .join(' ');

/**
 * The module table's rules this run broke, one sentence each: no non-writing path initialises the
 * DynamoDB client or the idempotency utility; module init on demand and the paths that never call
 * AWS do not initialise the Secrets Manager SDK; module init with clients at init does.
 */
const moduleRuleBreaches = (coldStart: ColdStartResults): string[] => {
  const breaches: string[] = [];
  for (const path of coldStart.paths.filter((candidate) => !candidate.writes)) {
    const row = modulesOf(coldStart, path.name);
    if (row?.dynamoDbClient) breaches.push(`${path.name} initialised the DynamoDB client`);
    if (row?.idempotencyUtility) breaches.push(`${path.name} initialised the idempotency utility`);
  }
  for (const name of [INIT_ONLY, ...SCHEMALESS_PATHS]) {
    if (modulesOf(coldStart, name)?.secretsManagerSdk) {
      breaches.push(`${name} initialised the Secrets Manager SDK`);
    }
  }
  if (modulesOf(coldStart, INIT_ONLY_CLIENTS)?.secretsManagerSdk === false) {
    breaches.push(`${INIT_ONLY_CLIENTS} did not initialise the Secrets Manager SDK`);
  }
  return breaches;
};

const callsCell = (operations: readonly string[]): string =>
  operations.length === 0 ? '0' : `${operations.length}: ${operations.join(', ')}`;

const callRow = (count: CallCount): string[] => [
  count.name,
  count.outcome,
  callsCell(count.secretsManager),
  String(count.minimum.length),
  callsCell(count.dynamoDb),
  String(count.minimumDynamoDb.length),
  atMinimum(count) ? 'yes' : '**no**',
];

/** The whole document. */
export const renderReport = (m: Measurements, verdicts: Verdict[], run: RunContext): string => {
  const { coldStart, sweep } = m;
  const init = initOverheads(coldStart);
  const paths = pathRatios(coldStart);
  const handler = coldStart.variants.find((v) => v.name === 'dist/handler.js');
  const cached = coldStart.variants.find((v) => v.name === 'dist/handler.js, compile cache');
  const nodeOnly = coldStart.variants.find((v) => v.name === 'node -e 0');
  const cacheGain =
    handler !== undefined && cached !== undefined
      ? 1 - cached.wallMs.median / handler.wallMs.median
      : Number.NaN;
  const cacheGainOverhead =
    handler !== undefined && cached !== undefined && nodeOnly !== undefined
      ? 1 -
        (cached.wallMs.median - nodeOnly.wallMs.median) /
          (handler.wallMs.median - nodeOnly.wallMs.median)
      : Number.NaN;
  const checks = coldStart.compileCacheChecks;
  const keyFlags = checks.flagTags.filter((entry) => entry.changesKey).map((entry) => entry.flag);
  const writing = paths.full;
  const overFloor = pathsOverFloor(coldStart);
  const composition = coldStart.composition;
  const { clientsAtInit } = init;
  const initRow = modulesOf(coldStart, INIT_ONLY);
  const initClientsRow = modulesOf(coldStart, INIT_ONLY_CLIENTS);
  const writingRow = modulesOf(coldStart, writing.name);
  const dryRun = paths.others.find((o) => o.path.name === 'dry run')?.path;
  const dryRunRow = modulesOf(coldStart, 'dry run');
  const dryRunClauses = [
    ...(dryRunRow?.secretsManagerSdk && initRow?.secretsManagerSdk === false
      ? ['loads the Secrets Manager SDK on first use as well']
      : []),
    ...(partsLoaded(dryRunRow).length > 0 ? [`reads ${partsLoaded(dryRunRow).join(', ')}`] : []),
  ];
  const breaches = moduleRuleBreaches(coldStart);
  const sdkDeferred =
    initRow?.secretsManagerSdk === false && initClientsRow?.secretsManagerSdk === true;
  const rotation = sweep.buckets.find((b) => b.bucket === 'rotation');
  const list = sweep.buckets.find((b) => b.bucket === 'list');
  const lines: string[] = [];
  const push = (...text: string[]) => lines.push(...text);

  push(
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (\`scripts/bench.ts\`) on ${run.date}; do not edit by hand. All`,
    `numbers below come from that one run (${run.durationSeconds.toFixed(0)} s). The timings run under`,
    `Node ${run.node24}, the Lambda runtime's major version (\`nodejs24.x\`).`,
    '',
    '## Targets',
    '',
    markdownTable(
      ['target', 'measured', 'met'],
      verdicts.map((v) => [v.target, v.measured, v.met ? 'met' : '**missed**'])
    ),
    ''
  );
  const missed = verdicts.filter((v) => !v.met);
  if (missed.length > 0) {
    push('Missed targets, in short (details under "Closing the gaps"):', '');
    for (const v of missed) push(`- **${v.target}**: ${v.notes.join(' ')}`);
    push('');
  }

  push(
    '## Machine and conditions',
    '',
    markdownTable(
      ['', ''],
      [
        ['CPU', `${run.cpuModel}, ${run.cores} cores`],
        ['memory', `${run.memoryGiB.toFixed(1)} GiB`],
        ['OS', run.os],
        ['driver', `Node ${run.driverNode} (runs the emulator and dynalite)`],
        ['measured processes', `Node ${run.node24} (${run.node24Source})`],
        [
          'empty process (`node -e 0`, median)',
          `Node ${run.driverNode}: ${ms(run.emptyProcess.driver)}; Node ${run.node24}: ${ms(run.emptyProcess.node24)}`,
        ],
        ['load average (1/5/15 min) before', load(run.loadBefore)],
        ['load average (1/5/15 min) after', load(run.loadAfter)],
        [
          'repetitions',
          `${run.rounds.init} fresh processes per init variant, ${run.rounds.paths} per path, ${run.rounds.latency} remediations per latency cell`,
        ],
      ]
    ),
    '',
    'Timings are medians (p90 where shown) of fresh processes or invocations run one at a time,',
    'variants interleaved round-robin so that a busy phase of the machine falls on all of them alike.',
    'Local times are far below what a 256 MB Lambda sees (a fraction of a vCPU): read the ratios, not',
    'the absolute numbers.',
    '',
    '## Method',
    '',
    '- **Driver and children.** `dist/bench.js` runs on the local Node, starts the Secrets Manager',
    '  emulator and dynalite (`tools/local-env.ts`), and spawns every measured process with Node 24',
    '  (`tools/node24`: `NODE24_BINARY`, the local Node if it is 24, else the pinned registry package',
    '  `node-<platform>-<arch>`, installed on first use). Children get a Lambda-like environment',
    '  (region, dummy credentials, the local endpoints, `AWS_LAMBDA_FUNCTION_NAME`,',
    '  `AWS_LAMBDA_INITIALIZATION_TYPE=on-demand`, ...), log at INFO as the function does, and emit',
    '  metrics.',
    '- **The Lambda** is what `npm run build` and `sam build` both build (`scripts/lambda-build.mjs`):',
    '  `dist/handler.js`, which every cold start reads and compiles, and `dist/parts/<name>.js`, the',
    '  lazily required modules, each read and compiled only by the first invocation that needs it.',
    '- **Init.** `dist/bench/probe.js` takes `process.hrtime` around `require` of the module in a',
    '  fresh process (load, compile and run of the module scope); the driver times the whole process',
    '  from spawn to exit. Overhead = the module minus the probe requiring an empty file (in-process),',
    '  or minus `node -e 0` (whole process). `dist/handler.js` runs twice: on demand (the Secrets',
    '  Manager client made on first use; the target is judged on this) and with',
    `  ${clientsAtInitSetting} (the client made at init, as in a provisioned-concurrency or`,
    '  SnapStart environment).',
    '- **Mission floor** (issue 16). `scripts/bench/floor.ts`, bundled exactly like `dist/handler.js`:',
    '  constructs the `SecretsManagerClient` (with the same settings) and the Powertools `Logger`, the',
    '  least this mission needs before its first call, and nothing else (no zod, no parser schema, no',
    "  Metrics, nothing of ours). The handler's init and each path's one-time cost are judged against",
    "  its init (both minus the empty module's `require`).",
    '- **Paths.** A fresh process requires `dist/handler.js` (on demand) and runs two invocations of',
    '  the same kind; one-time cost = `require` + (first − second invocation): module init plus',
    '  whatever the first invocation loads lazily or opens (the Secrets Manager SDK, the parts with',
    '  the idempotency utility and the DynamoDB client, connections). The modules a path initialised',
    "  and the Lambda's files it loaded are read from V8's precise coverage in a separate run: each",
    "  module esbuild wraps (`__commonJS`, `__esm`) is a function named by the module's path, counted",
    "  over every file the run loaded; the modules at a loaded file's top level ran with it.",
    '- **Calls.** Secrets Manager calls are what the emulator received (`emulator.calls`); DynamoDB',
    "  calls are counted in the function's process from Node's HTTP client diagnostics channel.",
    `- **Latency.** A long-lived worker process (one execution environment) handles one remediation at a time, after ${WARM_UP_REMEDIATIONS} unmeasured ones (the first invocations of a process run slower while V8 compiles and optimises the call path; an environment's very first one is in (a)) and one more per cell. The emulator delays every \`DescribeSecret\`, \`CancelRotateSecret\` and \`UpdateSecretVersionStage\` response by L (\`faults.inject({kind: "latency", times: "always"})\`; the change is applied before the wait). DynamoDB gets no injected latency: dynalite's real local time is in the measurement. "calls" and the ideal count Secrets Manager calls only; a worker with \`POWERTOOLS_IDEMPOTENCY_DISABLED=true\` shows what the two DynamoDB calls add, and one whose DynamoDB answers are delayed by L as well shows the function against all its calls. Bare HTTP round trips from the worker to the emulator measure what a call costs here before any SDK or code of ours.`,
    '- **Sweep.** A fresh worker and a fresh emulator with quotas on at the AWS numbers',
    `  (\`startSecretsManagerEmulator({quotas: true})\`), 1,000 secrets seeded, every tenth stuck (failed at setSecret two hours ago), every 20th healthy one with AWSPENDING on AWSCURRENT; the function receives \`{"sweep": {}}\` with \`SWEEP_QUOTA_SHARE=0.5\`,`,
    '  `ROTATION_GRACE_SECONDS=3600` and the default concurrency. Throughput = remediated ÷ the',
    "  report's `durationMs`.",
    '- **Memory.** `process.resourceUsage().maxRSS` of the measured process.',
    '',
    '## (a) Cold start',
    '',
    '### Size',
    '',
    markdownTable(
      ['build', 'bytes', 'gzip -9', 'what'],
      coldStart.sizes.map((s) => [s.name, formatBytes(s.bytes), formatBytes(s.gzipBytes), s.note]),
      ['left', 'right', 'right', 'left']
    ),
    '',
    `\`dist/handler.js\` alone by when its code runs (from the coverage runs below; the parts are separate files, sized above, and not in these numbers): **${kib(composition.atInit)}** (${formatPercent(composition.atInit / composition.total)}) run by module init (on demand) at every cold start; ${kib(composition.writingOnly)} (${formatPercent(composition.writingOnly / composition.total)}) by the writing invocation but not by module init (largest: ${packagesText(composition.writingOnlyPackages)}); ${kib(composition.neverRun)} (${formatPercent(composition.neverRun / composition.total)}) by none of the measured paths (largest: ${packagesText(composition.neverRunPackages)}). Our own modules (\`src/\`) in it are ${kib(composition.ours)}. V8 compiles \`dist/handler.js\` at every cold start (functions that never run are only pre-parsed); ${partsLoaded(initRow).length === 0 ? 'module init loads no part: a part is read and compiled only by the invocation that first requires it (module table, "files loaded")' : `module init also loads ${partsLoaded(initRow).join(', ')} (module table, "files loaded")`}.`,
    '',
    '### Module init',
    '',
    markdownTable(
      [
        'variant',
        '`require` median',
        'p90',
        'CPU in `require`',
        'whole process median',
        'p90',
        'peak RSS',
        'what',
      ],
      coldStart.variants.map((v) => [
        v.name,
        ms(v.requireMs),
        p90(v.requireMs),
        ms(v.requireCpuMs),
        ms(v.wallMs),
        p90(v.wallMs),
        v.maxRssKb === undefined ? '–' : mib(v.maxRssKb.median),
        v.note,
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left']
    ),
    '',
    `- **Init overhead** (minus the empty module), against the floor's ${formatMs(init.floorRequire)}: on demand ${formatMs(init.handlerRequire)}, **${formatRatio(init.requireRatio)}** the floor (the target is judged on this); clients at init ${formatMs(clientsAtInit.require)}, **${formatRatio(clientsAtInit.requireRatio)}**.`,
    `- Whole process (minus \`node -e 0\`), against the floor's ${formatMs(init.floorWall)}: on demand ${formatMs(init.handlerWall)}, ${formatRatio(init.wallRatio)}; clients at init ${formatMs(clientsAtInit.wall)}, ${formatRatio(clientsAtInit.wallRatio)}.`,
    `- CPU time in \`require\` (all threads; less sensitive to a busy machine), against the floor's ${formatMs(init.floorCpu)}: on demand ${formatMs(init.handlerCpu)}, ${formatRatio(init.cpuRatio)}; clients at init ${formatMs(clientsAtInit.cpu)}, ${formatRatio(clientsAtInit.cpuRatio)}.`,
    `- ${
      sdkDeferred
        ? `On demand, module init leaves the Secrets Manager SDK alone (module table: ${INIT_ONLY}); made at init, the client adds ${formatMs(clientsAtInit.require - init.handlerRequire)} (${signedPercent(ratio(clientsAtInit.require, init.handlerRequire) - 1)}), which a path that calls AWS pays in its first invocation instead (Paths). With clients at init, our code adds ${formatMs(clientsAtInit.require - init.floorRequire)} to the floor, which makes the same client and logger.`
        : initRow?.secretsManagerSdk
          ? `**Module init on demand initialised the Secrets Manager SDK** (module table: ${INIT_ONLY}): the client is not made on first use (on demand ${formatMs(init.handlerRequire)}, clients at init ${formatMs(clientsAtInit.require)}).`
          : `**Module init with ${clientsAtInitSetting} did not initialise the Secrets Manager SDK** (module table: ${INIT_ONLY_CLIENTS}): the variant does not make the client at init (on demand ${formatMs(init.handlerRequire)}, clients at init ${formatMs(clientsAtInit.require)}).`
    }`,
    '',
    '### Paths: what each pays once per execution environment',
    '',
    markdownTable(
      [
        'path',
        'outcomes',
        '`require`',
        '1st invocation',
        '2nd invocation',
        '1st − 2nd',
        'p90',
        'one-time cost',
        'vs writing path',
        'vs mission floor',
        '1st − 2nd, CPU',
        'one-time CPU',
        'vs writing path, CPU',
        'whole process',
      ],
      coldStart.paths.map((path) => [
        path.name,
        path.outcomes.join(', '),
        ms(path.requireMs),
        ms(path.firstMs),
        ms(path.secondMs),
        ms(path.firstExtraMs),
        p90(path.firstExtraMs),
        formatMs(path.oneTimeMs),
        path.writes ? '1.00×' : formatRatio(ratio(path.oneTimeMs, writing.oneTimeMs)),
        formatRatio(overFloor.find((row) => row.path === path)?.ratio ?? Number.NaN),
        ms(path.firstExtraCpuMs),
        formatMs(path.oneTimeCpuMs),
        path.writes ? '1.00×' : formatRatio(ratio(path.oneTimeCpuMs, writing.oneTimeCpuMs)),
        ms(path.wallMs),
      ]),
      ['left', 'left', ...Array.from({ length: 12 }, () => 'right' as const)]
    ),
    '',
    `One-time cost = module init (the median \`require\` over all ${coldStart.paths.length * coldStart.pathRounds} path processes, on demand, ${formatMs(coldStart.pooledRequire.ms)}; ${formatMs(coldStart.pooledRequire.cpuMs)} of CPU: it runs before the event is seen, so it is the same work for every path) + the median extra of the path's first invocation over its second. The writing path's first invocation pays ${formatMs(writing.firstExtraMs.median)} more than its second: ${[
      ...(writingRow?.secretsManagerSdk && initRow?.secretsManagerSdk === false
        ? ['loading and making the Secrets Manager SDK, which module init left for the first call']
        : []),
      ...(partsLoaded(writingRow).length > 0
        ? [`reading and compiling ${partsLoaded(writingRow).join(', ')}`]
        : []),
      ...(writingRow?.idempotencyUtility || writingRow?.dynamoDbClient
        ? [
            'initialising the idempotency utility and the DynamoDB client, the first DynamoDB connection',
          ]
        : []),
      `the first-call costs every path that calls AWS pays (compiling the SDK's call path, endpoint resolution, signing, the first Secrets Manager connection)`,
    ].join('; ')}. Compare the dry run's ${formatMs(dryRun?.firstExtraMs.median ?? Number.NaN)}${
      dryRunClauses.length === 0 ? '' : ` (it ${dryRunClauses.join(' and ')})`
    }.`,
    '',
    '### Modules initialised per path',
    '',
    markdownTable(
      [
        'path',
        'module wrappers run',
        'DynamoDB client',
        'idempotency utility',
        'Secrets Manager SDK',
        'sweep',
        'files loaded',
      ],
      coldStart.modules.map((entry) => [
        entry.name,
        `${entry.initialised} of ${entry.wrapped}`,
        yesNo(entry.dynamoDbClient),
        yesNo(entry.idempotencyUtility),
        yesNo(entry.secretsManagerSdk),
        yesNo(entry.sweep),
        entry.loadedFiles.join(', '),
      ])
    ),
    '',
    `"Module wrappers run" counts the modules esbuild wraps (CommonJS packages, and ES modules that a lazy import reaches) over every file the run loaded ("of": the wrappers of those files). The yes/no columns count those and the modules at the top level of each loaded file, which run as soon as the file is loaded (a part's entry module and the ES modules it imports, such as the idempotency utility). Module init runs on demand except in "${INIT_ONLY_CLIENTS}" (${clientsAtInitSetting}); the paths run on demand. The non-writing paths must show **no** under DynamoDB client and idempotency utility; module init on demand and the ignored and rejected paths, which never call AWS, must also show **no** under Secrets Manager SDK (with clients at init, module init must show **yes**). ${breaches.length === 0 ? 'In this run, all do.' : `**In this run: ${breaches.join('; ')}.**`}`,
    '',
    '### Compile cache',
    '',
    markdownTable(
      ['run', '`require` median', 'whole process median'],
      [
        ['no cache', ms(handler?.requireMs), ms(handler?.wallMs)],
        ['warm cache (`NODE_COMPILE_CACHE`)', ms(cached?.requireMs), ms(cached?.wallMs)],
        [
          'empty cache, first run (what `/tmp` gives each new environment)',
          ms(coldStart.compileCacheCold.requireMs),
          ms(coldStart.compileCacheCold.wallMs),
        ],
      ],
      ['left', 'right', 'right']
    ),
    '',
    `A warm cache cut the whole-process time of \`dist/handler.js\` (module init on demand) by **${formatPercent(cacheGain)}** (${formatPercent(cacheGainOverhead)} of its time above \`node -e 0\`).`,
    '',
    '**Can Lambda use it?** Checked in this run:',
    '',
    markdownTable(
      ['check', 'result'],
      [
        [
          "flags of the runtime's bootstrap that change the cache key (V8 flag hash)",
          keyFlags.length === 0
            ? `none of ${LAMBDA_NODE_FLAGS.join(', ')}`
            : `${keyFlags.join(', ')} (of ${LAMBDA_NODE_FLAGS.join(', ')})`,
        ],
        ['`handler.js` moved after the cache was made', OUTCOME_TEXT[checks.moved.plain]],
        [
          '`handler.js` and cache moved together, `NODE_COMPILE_CACHE_PORTABLE=1`',
          OUTCOME_TEXT[checks.moved.portable],
        ],
        [
          "another user id than the cache's maker",
          checks.otherUser === undefined
            ? 'not checked (needs root, and a project the user `nobody` can read)'
            : OUTCOME_TEXT[checks.otherUser],
        ],
        [
          'read-only cache made by the same user with the same flags (as `/var/task`)',
          checks.readOnlySameUser === undefined
            ? 'not checked (needs root, and a project the user `nobody` can read)'
            : OUTCOME_TEXT[checks.readOnlySameUser],
        ],
      ]
    ),
    '',
    '- **`NODE_COMPILE_CACHE=/tmp/...`** works (`/tmp` is writable) but does not help: `/tmp` belongs to',
    '  one execution environment, and an environment runs the module scope once, at its cold start,',
    '  with the cache still empty. That first start even pays for writing the cache (row 3 above).',
    '  Later invocations of the environment are warm anyway.',
    '- **A cache built ahead and shipped in the artifact** can be used, with a 3-line entry file that',
    '  calls `module.enableCompileCache({directory: <in the artifact>, portable: true})` and then',
    '  requires `handler.js` (which is compiled before any of its code could enable the cache; the',
    '  parts it requires later go through the same cache). Node keys the cache directory by the',
    '  **exact** Node version, the architecture, the V8',
    `  flag hash and the **user id** (\`v24.x.y-<arch>-<flag hash>-<uid>\`), and each entry by the`,
    "  file's path (relative to the cache with `portable`) and a hash of its content; any mismatch",
    '  silently compiles from source. So the cache must be generated by the very Node version the',
    '  function runs (pin it: runtime management "manual", or the patch version drifts with the',
    "  managed runtime), on the function's architecture (arm64 in `template.yaml`), with the",
    `  runtime's flags (${keyFlags.length === 0 ? 'none of the checked ones changes the key' : `${keyFlags.join(', ')} changes the key`}), as the runtime's user (not root) and with`,
    '  the files world-readable; `/var/task` being read-only is fine once the cache matches. The',
    '  practical way is to run the function once in the Lambda base image',
    '  (`public.ecr.aws/lambda/nodejs:24`, arm64) as the runtime user in the build, requiring',
    '  `handler.js` and each part, and ship the directory. A cheaper alternative with fewer keys:',
    '  a V8 code cache made with `vm.Script#createCachedData()` and loaded by the entry',
    '  file through `new vm.Script(source, {cachedData})` (checked only against the V8 version, flags',
    '  and source; a mismatch is rejected and compiled normally).',
    '',
    '## (b) Calls per scenario',
    '',
    markdownTable(
      [
        'scenario',
        'outcome',
        'Secrets Manager calls',
        'minimum',
        'DynamoDB calls',
        'minimum',
        'at minimum',
      ],
      m.calls.map(callRow)
    ),
    '',
    "DynamoDB calls are the idempotency store's: a conditional `PutItem` takes the lock, an",
    '`UpdateItem` stores the report. Only paths that write make them. They are counted apart from',
    'Secrets Manager and are not in "calls" of (c).',
    '',
    '## (c) Latency of one remediation',
    '',
    markdownTable(
      [
        'scenario',
        'idempotency store',
        'L',
        'Secrets Manager calls',
        'DynamoDB calls',
        'median',
        'p90',
        'ideal (counted calls × L)',
        'ratio',
        'above ideal',
        'above bare round trips',
        '÷ bare round trips',
      ],
      m.latency.cells.map((cell) => [
        cell.scenario,
        cell.store,
        `${cell.latencyMs} ms`,
        String(cell.calls),
        String(cell.dynamoDbCalls),
        formatMs(cell.ms.median),
        formatMs(cell.ms.p90),
        cell.latencyMs === 0
          ? '–'
          : `${formatMs(cell.idealMs)} (${cell.countedCalls} × ${cell.latencyMs})`,
        cell.latencyMs === 0 ? '–' : formatRatio(ratio(cell.ms.median, cell.idealMs)),
        formatMs(cell.ms.median - cell.idealMs),
        cell.store === 'on, DynamoDB delayed by L' ? '–' : formatMs(cell.ms.median - cell.bareMs),
        cell.store === 'on, DynamoDB delayed by L'
          ? '–'
          : formatRatio(ratio(cell.ms.median, cell.bareMs)),
      ]),
      [
        'left',
        'left',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
      ]
    ),
    '',
    'A bare round trip (one HTTP request from the same worker process to the emulator, no SDK, no',
    "handler) costs this much at each L; the emulator's timer and the loopback add their share to",
    'every call:',
    '',
    markdownTable(
      ['L', 'bare round trip median', 'p90', 'above L', 'bare round trip ÷ L'],
      m.latency.floors.map((floor) => [
        `${floor.latencyMs} ms`,
        formatMs(floor.ms.median),
        formatMs(floor.ms.p90),
        formatMs(floor.ms.median - floor.latencyMs),
        floor.latencyMs === 0 ? '–' : formatRatio(floor.ms.median / floor.latencyMs),
      ]),
      ['right', 'right', 'right', 'right', 'right']
    ),
    '',
    '- **on**: the function as deployed; the target is judged on these rows, with the ideal counting',
    '  Secrets Manager calls only. DynamoDB (dynalite) answers with its real local time.',
    '- **off**: `POWERTOOLS_IDEMPOTENCY_DISABLED=true`; the difference to **on** is what the two',
    '  DynamoDB calls cost here.',
    '- **on, DynamoDB delayed by L**: DynamoDB reached through a proxy that holds each answer for L',
    '  too, as a real table a round trip away would; the ideal counts all 6 calls.',
    '- L = 0: the fixed cost of a remediation on this machine (no injected latency).',
    '- "above bare round trips": the median minus Secrets Manager calls × the bare round trip at',
    '  that L (table below): what the SDK, our code and (for **on**) DynamoDB add to the calls;',
    '  "÷ bare round trips" is the ratio against that floor instead of calls × L.',
    '',
    '## (d) Sweep',
    '',
    markdownTable(
      ['', ''],
      [
        [
          'secrets / candidates / stuck',
          `1,000 / ${sweep.report.candidates} / ${sweep.report.stuck}`,
        ],
        [
          'remediated / failed / needs decision / refused / remaining',
          `${sweep.report.remediated} / ${sweep.report.failed} / ${sweep.report.needsDecision} / ${sweep.report.refused} / ${sweep.report.remaining}`,
        ],
        [
          'verified clean afterwards (emulator labels)',
          `${sweep.verifiedClean} of ${sweep.report.stuck}`,
        ],
        ['duration (report)', formatMs(sweep.report.durationMs)],
        ['invocation (worker, includes loading the sweep)', formatMs(sweep.invocationMs)],
        ['throughput', `**${sweep.remediatedPerSecond.toFixed(1)} remediated/s**`],
        [
          'quota bound (binding bucket)',
          `${sweep.binding.perSecond.toFixed(1)}/s (${sweep.binding.bucket}: ${sweep.binding.seconds.toFixed(2)} s) → **${formatPercent(sweep.remediatedPerSecond / sweep.binding.perSecond)}**`,
        ],
        [
          "the issue's formula (stuck × writes per secret ÷ allowed rate)",
          `${sweep.writeBound.perSecond.toFixed(1)}/s (${sweep.writeBound.seconds.toFixed(2)} s) → ${formatPercent(sweep.remediatedPerSecond / sweep.writeBound.perSecond)}`,
        ],
        [
          'throttling errors: at the emulator / absorbed by retries (report) / in failed results',
          `${sweep.throttledAtEmulator} / ${sweep.report.throttled} / ${sweep.failedResults.filter((e) => /thrott/i.test(e)).length}`,
        ],
        ['DynamoDB calls (idempotency)', String(sweep.dynamoDbCalls)],
      ]
    ),
    '',
    markdownTable(
      [
        'quota bucket',
        'calls',
        'minimum',
        'allowed rate (share 0.5)',
        'client burst',
        'least time (calls − burst) ÷ rate',
        'most in any 1 s at the emulator',
      ],
      sweep.buckets.map((b) => [
        b.bucket,
        String(b.calls),
        String(b.minimum),
        `${b.rate}/s`,
        String(b.burst),
        `${b.seconds.toFixed(2)} s`,
        String(b.maxPerSecond),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right']
    ),
    '',
    `**The bound.** With \`SWEEP_QUOTA_SHARE=0.5\` the sweep allows itself ${rotation?.rate ?? '?'} requests/s on each 50/s bucket: \`CancelRotateSecret\` on the rotation bucket and \`UpdateSecretVersionStage\` on the write bucket, refilled separately. A discard needs one of each per stuck secret, so the issue's formula (stuck × writes per secret ÷ allowed rate) gives ${sweep.report.stuck} × 1 ÷ ${rotation?.rate ?? '?'}/s = ${sweep.writeBound.seconds.toFixed(2)} s on either bucket, ${sweep.writeBound.perSecond.toFixed(1)} stuck secrets/s (a promote, with two label moves, would make the write bucket bind at half that). But the sweep also draws on the list bucket (ListSecrets and ListSecretVersionIds; not published, assumed 50/s like the emulator's, also at half): ${list?.minimum ?? '?'} requests (the ListSecrets pages plus one ListSecretVersionIds per candidate), the most on any bucket. Each of the sweep's token buckets starts full with a burst of ${rotation?.burst ?? '?'} tokens, so a bucket needs at least (calls − burst) ÷ rate: the **${sweep.binding.bucket}** bucket binds at ${sweep.binding.seconds.toFixed(2)} s, ${sweep.binding.perSecond.toFixed(1)} stuck secrets/s. Reads (\`DescribeSecret\`, 10,000/s) never bind. The sweep cannot beat the bound (it adds at least the chain of the last secret's remaining calls after its last token); the emulator's own quotas are at the full AWS rates, so at a share of 0.5 it must never throttle.`,
    '',
    '## (e) Memory',
    '',
    markdownTable(
      ['fresh Node 24 process', 'peak RSS (median)'],
      [
        ...coldStart.variants
          .filter((v) =>
            ['empty module', MISSION_FLOOR, 'dist/handler.js', CLIENTS_AT_INIT].includes(v.name)
          )
          .map((v) => [`${v.name}: init only`, mib(v.maxRssKb?.median ?? Number.NaN)]),
        [
          'dist/handler.js: init + **one remediation** (RotationFailed → discard)',
          `**${mib(writing.maxRssAfterFirstKb.median)}**`,
        ],
        [`dist/handler.js: init + two remediations`, mib(writing.maxRssKb.median)],
        ...coldStart.paths
          .filter((path) => !path.writes)
          .map((path) => [
            `dist/handler.js: init + one ${path.name}`,
            mib(path.maxRssAfterFirstKb.median),
          ]),
        [
          `dist/handler.js: init + **the sweep** of 1,000 secrets (${sweep.report.remediated} remediated)`,
          `**${mib(sweep.maxRssKb)}**`,
        ],
      ],
      ['left', 'right']
    ),
    '',
    'The function is configured with 256 MB (`template.yaml`).',
    ''
  );

  push(...closingTheGaps(m, verdicts));
  return `${lines.join('\n')}\n`;
};

/** Two package lists summed by package, largest first. */
const mergePackages = (...lists: (readonly PackageBytes[])[]): PackageBytes[] => {
  const totals = new Map<string, number>();
  for (const entry of lists.flat())
    totals.set(entry.name, (totals.get(entry.name) ?? 0) + entry.bytes);
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
};

/** Per L: where the latency above the ideal goes (idempotency on, discard). */
const latencyBreakdown = (m: Measurements, latencyMs: number) => {
  const cell = (store: string) =>
    m.latency.cells.find(
      (c) => c.latencyMs === latencyMs && c.scenario === 'discard' && c.store === store
    );
  const on = cell('on');
  const off = cell('off');
  const delayed = cell('on, DynamoDB delayed by L');
  const floor = m.latency.floors.find((f) => f.latencyMs === latencyMs);
  const calls = on?.calls ?? Number.NaN;
  const above = (on?.ms.median ?? Number.NaN) - (on?.idealMs ?? Number.NaN);
  const dynamoDb = (on?.ms.median ?? Number.NaN) - (off?.ms.median ?? Number.NaN);
  const environment = calls * ((floor?.ms.median ?? Number.NaN) - latencyMs);
  return {
    on,
    delayed,
    above,
    dynamoDb,
    environment,
    ours: above - dynamoDb - environment,
  };
};

/** The "Closing the gaps" section: for each missed target, why and what would close it. */
const closingTheGaps = (m: Measurements, verdicts: Verdict[]): string[] => {
  const out: string[] = ['## Closing the gaps', ''];
  const missed = (prefix: string) =>
    verdicts.find((v) => v.target.startsWith(prefix) && !v.met) !== undefined;
  const init = initOverheads(m.coldStart);
  const paths = pathRatios(m.coldStart);
  const { composition } = m.coldStart;
  const cached = m.coldStart.variants.find((v) => v.name === 'dist/handler.js, compile cache');
  const plain = m.coldStart.variants.find((v) => v.name === 'dist/handler.js');
  const cacheSaves =
    (plain?.requireMs?.median ?? Number.NaN) - (cached?.requireMs?.median ?? Number.NaN);
  let any = false;

  if (missed('init overhead')) {
    any = true;
    const initRow = modulesOf(m.coldStart, INIT_ONLY);
    const notAtInit = composition.total - composition.atInit;
    out.push(
      `**Init overhead: ${formatRatio(init.requireRatio)} the mission floor on demand** (whole process ${formatRatio(init.wallRatio)}, CPU time ${formatRatio(init.cpuRatio)}; with clients at init ${formatRatio(init.clientsAtInit.requireRatio)}). Module init on demand takes ${formatMs(init.handlerRequire)} against the floor's ${formatMs(init.floorRequire)}. ${
        initRow?.secretsManagerSdk
          ? 'It initialises the Secrets Manager SDK (module table), which on demand should wait for the first call: that is the first thing to fix.'
          : 'It leaves the Secrets Manager SDK for the first call (module table); what is left is our own code and the size of the file.'
      } V8 reads and pre-parses all of \`dist/handler.js\` (${kib(composition.total)}, ${kib(composition.ours)} of it our own code) before any of it runs; ${kib(notAtInit)} (${formatPercent(notAtInit / composition.total)}) of it is code module init does not run (largest: ${packagesText(mergePackages(composition.writingOnlyPackages, composition.neverRunPackages))}). What would close it: move more of that code into parts (\`LAMBDA_PARTS\` in scripts/lambda-build.mjs), or a shipped compile cache (see "Compile cache": it saved ${formatMs(cacheSaves)} of \`require\` here).`,
      ''
    );
  }
  if (missed('an ignored or rejected')) {
    any = true;
    const rows = pathsOverFloor(m.coldStart).filter((row) =>
      SCHEMALESS_PATHS.includes(row.path.name)
    );
    const withSdk = rows.filter((row) => modulesOf(m.coldStart, row.path.name)?.secretsManagerSdk);
    const initShare =
      rows[0] === undefined ? Number.NaN : rows[0].oneTimeMs - rows[0].path.firstExtraMs.median;
    const largestExtra = Math.max(...rows.map((row) => row.path.firstExtraMs.median));
    const initRow = modulesOf(m.coldStart, INIT_ONLY);
    out.push(
      `**Ignored and rejected events: ${rows
        .map((row) => `${row.path.name} ${formatRatio(row.ratio)}`)
        .join(
          ', '
        )} the mission floor** (${formatMs(init.floorRequire)}; ${TARGETS.ignoredOverFloor}× allows ${formatMs(TARGETS.ignoredOverFloor * init.floorRequire)} in all). Neither calls AWS${
        withSdk.length === 0
          ? ', and neither initialises the Secrets Manager SDK (module table)'
          : `, yet **${withSdk.map((row) => row.path.name).join(' and ')} initialised the Secrets Manager SDK** (module table): that is the first thing to fix`
      }. Each pays module init (${formatMs(initShare)}, minus the empty module) plus its first invocation's extra (${rows
        .map((row) => `${row.path.name} ${formatMs(row.path.firstExtraMs.median)}`)
        .join(', ')}): ${
        initShare >= largestExtra
          ? 'module init is most of it, so what closes the init overhead closes this one (above).'
          : `the first invocation's extra is most of it: what the path loads on first use (module table: ${rows
              .map(
                (row) =>
                  `${row.path.name} ${modulesOf(m.coldStart, row.path.name)?.initialised ?? '?'} module wrappers run`
              )
              .join(', ')}, against module init's ${initRow?.initialised ?? '?'}).`
      }`,
      ''
    );
  }
  if (missed("non-writing paths' init")) {
    any = true;
    const worst = paths.others.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const worstRow = modulesOf(m.coldStart, worst.path.name);
    const initRow = modulesOf(m.coldStart, INIT_ONLY);
    const writingExtra = paths.full.firstExtraMs.median;
    const ownExtra = worst.path.firstExtraMs.median;
    const limit = TARGETS.nonWritingOverFull;
    const initBound = (limit * writingExtra - ownExtra) / (1 - limit);
    const worstClauses = [
      ...(worstRow?.secretsManagerSdk && initRow?.secretsManagerSdk === false
        ? [
            "loads and makes the Secrets Manager SDK on first use and pays the first call's costs, as the writing path does",
          ]
        : []),
      ...(partsLoaded(worstRow).length > 0 ? [`reads ${partsLoaded(worstRow).join(', ')}`] : []),
    ];
    const loadsDynamoDb = paths.others.filter((other) => {
      const row = modulesOf(m.coldStart, other.path.name);
      return row?.dynamoDbClient || row?.idempotencyUtility;
    });
    out.push(
      `**Non-writing paths: up to ${formatRatio(worst.ratio)} the writing path's one-time cost** (${worst.path.name}). ${
        loadsDynamoDb.length === 0
          ? 'No non-writing path initialises the DynamoDB client or the idempotency utility (module table).'
          : `**${loadsDynamoDb.map((other) => other.path.name).join(', ')} initialised the DynamoDB client or the idempotency utility** (module table): that is the first thing to fix.`
      } The ratio is (module init + the path's first-invocation extra) ÷ (module init + the writing path's extra): module init ${formatMs(m.coldStart.pooledRequire.ms)}; the writing path's first invocation adds ${formatMs(writingExtra)}, the ${worst.path.name}'s ${formatMs(ownExtra)}${
        worstClauses.length === 0 ? '' : ` (it ${worstClauses.join(', and ')})`
      }. That is at most ${limit} only while module init ≤ (${limit} × the writing path's extra − the path's own extra) ÷ ${1 - limit}: ${formatMs(initBound)} for the ${worst.path.name}, against ${formatMs(m.coldStart.pooledRequire.ms)} measured. What would close it: ${
        ownExtra > limit * writingExtra
          ? `the ${worst.path.name}'s own first invocation is already ${formatPercent(ownExtra / writingExtra)} of the writing path's, so shrink what it does on first use (it shares the SDK's first-call costs with the writing path)`
          : 'shrink what every path shares, module init'
      }; a shipped compile cache is the lever measured for module init (${formatMs(cacheSaves)} of \`require\` here).`,
      ''
    );
  }
  if (missed('latency')) {
    any = true;
    const smallest = m.latency.floors.find((floor) => floor.latencyMs > 0);
    const smallestBare =
      smallest === undefined ? Number.NaN : smallest.ms.median / smallest.latencyMs;
    const bareRatios = m.latency.floors
      .filter((floor) => floor.latencyMs > 0)
      .map((floor) => formatRatio(floor.ms.median / floor.latencyMs))
      .join(', ');
    const rows = INJECTED_LATENCIES.map((latencyMs) => {
      const b = latencyBreakdown(m, latencyMs);
      return [
        `${latencyMs} ms`,
        formatMs(b.above),
        formatMs(b.dynamoDb),
        formatMs(b.environment),
        formatMs(b.ours),
        b.delayed === undefined ? '–' : formatRatio(ratio(b.delayed.ms.median, b.delayed.idealMs)),
      ];
    });
    out.push(
      '**Latency.** Where the time above calls × L goes (discard, medians; the columns are differences of medians, so they add up only roughly):',
      '',
      markdownTable(
        [
          'L',
          'above calls × L',
          'the 2 DynamoDB calls (on − off)',
          'the emulator and loopback (calls × (bare round trip − L))',
          'the SDK and our code (the rest)',
          'ratio counting DynamoDB calls at L too',
        ],
        rows,
        ['right', 'right', 'right', 'right', 'right', 'right']
      ),
      '',
      `A remediation pays a nearly fixed cost on top of its calls × L. Part of it is this machine's: even a bare HTTP round trip to the emulator costs ${bareRatios} of L at L = ${INJECTED_LATENCIES.join(', ')} ms (timer and loopback)${smallestBare > TARGETS.latencyOverIdeal ? `, so at the smallest L no client could reach ${TARGETS.latencyOverIdeal}×` : ''}. Part is the idempotency store's two round trips (a conditional \`PutItem\` before acting, an \`UpdateItem\` with the report after), which the ideal does not count. The rest, the SDK and our code, is a few milliseconds per remediation. The Secrets Manager calls themselves are at their minimum (b), so there is no call to remove. What would close it: judge the latency against the calls the design needs, idempotency included ("ratio counting DynamoDB calls at L too"), and against what a call costs in the environment (the "÷ bare round trips" column of (c)); in an AWS region, where a call costs 10 ms or more, the fixed part weighs like the L = 20 and 50 rows, not like L = 5.`,
      ''
    );
  }
  if (missed('calls')) {
    any = true;
    out.push(
      '**Calls.** A scenario made more calls than its minimum; the calls table names them. Each extra call is a round trip on the critical path: remove it, or explain why it must stay.',
      ''
    );
  }
  if (missed('sweep')) {
    any = true;
    const { sweep } = m;
    out.push(
      `**Sweep.** ${sweep.remediatedPerSecond.toFixed(1)} remediated/s against a bound of ${sweep.binding.perSecond.toFixed(1)}/s: the run took ${formatMs(sweep.report.durationMs)} where the ${sweep.binding.bucket} bucket alone needs ${formatMs(sweep.binding.seconds * 1000)}. ${sweep.report.failed > 0 ? `${sweep.report.failed} secret(s) failed: ${sweep.failedResults.slice(0, 3).join('; ')}. ` : ''}The rest of the time is each secret's chain of calls after its last token (ListSecretVersionIds, DescribeSecret, cancel, label move, DescribeSecret and the two DynamoDB calls, one after the other) at the end of the run, and any moment the workers left a bucket idle. What would close it: more concurrency (\`SWEEP_CONCURRENCY\`) so that every bucket always has a request waiting for its next token.`,
      ''
    );
  }
  if (!any) out.push('Every target was met in this run.', '');
  return out;
};
