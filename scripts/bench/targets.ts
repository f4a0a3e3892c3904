/**
 * The targets of issues 8 and 16, judged from one run's measurements. Reported, never asserted: a miss is
 * printed with why and what would close it.
 */
import type { CallCount } from './calls.js';
import { atMinimum } from './calls.js';
import type { ColdStartResults, PathModules, PathTiming, VariantTiming } from './cold-start.js';
import type { LatencyResults } from './latency.js';
import { formatMs, formatPercent, formatRatio, ratio } from './stats.js';
import type { SweepResults } from './sweep.js';

/** The limits of the targets. */
export const TARGETS = {
  /** Init overhead at most this multiple of the mission floor's (issue 16; issue 8 had 1.1× a floor with zod). */
  initOverFloor: 1.25,
  /** An ignored or rejected event's one-time cost at most this multiple of the mission floor's init. */
  ignoredOverFloor: 1.1,
  /** The non-writing paths' one-time cost at most this share of the writing path's. */
  nonWritingOverFull: 0.75,
  /** Latency at most this multiple of calls × L. */
  latencyOverIdeal: 1.15,
  /** Sweep throughput at least this share of the quota bound. */
  sweepShareOfBound: 0.85,
} as const;

/** One target's verdict. */
export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
  /** For a miss: why, and what would close it. For a met target: anything worth knowing. */
  notes: string[];
}

/** Everything the verdicts are judged from. */
export interface Measurements {
  coldStart: ColdStartResults;
  calls: CallCount[];
  latency: LatencyResults;
  sweep: SweepResults;
}

/** The name of the floor variant: SecretsManagerClient and Logger (scripts/bench/floor.ts). */
export const MISSION_FLOOR = 'mission floor';

/** The name of the variant of dist/handler.js whose clients are made at init (provisioned concurrency). */
export const CLIENTS_AT_INIT = 'dist/handler.js, clients at init';

/** The coverage row (module table) of a path or of module init, by name. */
export const modulesOf = (results: ColdStartResults, name: string): PathModules | undefined =>
  results.modules.find((entry) => entry.name === name);

const variant = (results: ColdStartResults, name: string): VariantTiming => {
  const found = results.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
};

/**
 * Init overheads (in-process `require`, whole-process wall time and CPU time) of dist/handler.js
 * on demand (the target is judged on it), of dist/handler.js with its clients made at init, and of
 * the floor.
 */
export const initOverheads = (results: ColdStartResults) => {
  const empty = variant(results, 'empty module');
  const nodeOnly = variant(results, 'node -e 0');
  const handler = variant(results, 'dist/handler.js');
  const atInit = variant(results, CLIENTS_AT_INIT);
  const floor = variant(results, MISSION_FLOOR);
  const require = (v: VariantTiming) =>
    (v.requireMs?.median ?? Number.NaN) - (empty.requireMs?.median ?? 0);
  const wall = (v: VariantTiming) => v.wallMs.median - nodeOnly.wallMs.median;
  const cpu = (v: VariantTiming) =>
    (v.requireCpuMs?.median ?? Number.NaN) - (empty.requireCpuMs?.median ?? 0);
  return {
    handlerCpu: cpu(handler),
    floorCpu: cpu(floor),
    cpuRatio: ratio(cpu(handler), cpu(floor)),
    handlerRequire: require(handler),
    floorRequire: require(floor),
    handlerWall: wall(handler),
    floorWall: wall(floor),
    requireRatio: ratio(require(handler), require(floor)),
    wallRatio: ratio(wall(handler), wall(floor)),
    clientsAtInit: {
      require: require(atInit),
      wall: wall(atInit),
      cpu: cpu(atInit),
      requireRatio: ratio(require(atInit), require(floor)),
      wallRatio: ratio(wall(atInit), wall(floor)),
      cpuRatio: ratio(cpu(atInit), cpu(floor)),
    },
  };
};

/**
 * Each path's one-time cost against the mission floor: (module init + the first invocation's
 * extra) ÷ the floor's init, both minus the empty module's `require` (wall and CPU time).
 */
export const pathsOverFloor = (results: ColdStartResults) => {
  const empty = variant(results, 'empty module');
  const floor = variant(results, MISSION_FLOOR);
  const floorMs = (floor.requireMs?.median ?? Number.NaN) - (empty.requireMs?.median ?? 0);
  const floorCpuMs = (floor.requireCpuMs?.median ?? Number.NaN) - (empty.requireCpuMs?.median ?? 0);
  return results.paths.map((path) => ({
    path,
    oneTimeMs: path.oneTimeMs - (empty.requireMs?.median ?? 0),
    ratio: ratio(path.oneTimeMs - (empty.requireMs?.median ?? 0), floorMs),
    cpuRatio: ratio(path.oneTimeCpuMs - (empty.requireCpuMs?.median ?? 0), floorCpuMs),
  }));
};

/** The paths that need no schema and no AWS call: an alarm back to OK, an unknown event. */
export const SCHEMALESS_PATHS: readonly string[] = [
  'ignored (alarm back to OK)',
  'rejected (unknown event)',
];

/** The verdict on the ignored and rejected paths' one-time cost against the mission floor. */
const ignoredVerdict = (m: Measurements): Verdict => {
  const rows = pathsOverFloor(m.coldStart).filter((row) =>
    SCHEMALESS_PATHS.includes(row.path.name)
  );
  const met = rows.every((row) => row.ratio <= TARGETS.ignoredOverFloor);
  const withSdk = rows.filter((row) => modulesOf(m.coldStart, row.path.name)?.secretsManagerSdk);
  const empty = variant(m.coldStart, 'empty module').requireMs?.median ?? 0;
  return {
    target: `an ignored or rejected event's one-time cost ≤ ${TARGETS.ignoredOverFloor}× the mission floor`,
    measured: rows
      .map(
        (row) =>
          `${row.path.name} ${formatRatio(row.ratio)} (${formatMs(row.oneTimeMs)}; CPU time ${formatRatio(row.cpuRatio)})`
      )
      .join('; '),
    met,
    notes: met
      ? []
      : [
          `Neither path calls AWS${
            withSdk.length === 0
              ? ' and neither initialises the Secrets Manager SDK (module table)'
              : `, yet ${withSdk.map((row) => row.path.name).join(' and ')} initialised the Secrets Manager SDK (module table)`
          }: the ratio is module init (${formatMs(m.coldStart.pooledRequire.ms - empty)}) plus the first invocation's extra (${rows
            .map((row) => `${row.path.name} ${formatMs(row.path.firstExtraMs.median)}`)
            .join(', ')}). See "Closing the gaps".`,
        ],
  };
};

/** The writing path's timing and each non-writing path's ratio to it. */
export const pathRatios = (results: ColdStartResults) => {
  const full = results.paths.find((path) => path.writes);
  if (full === undefined) throw new Error('no writing path');
  return {
    full,
    others: results.paths
      .filter((path) => !path.writes)
      .map((path: PathTiming) => ({
        path,
        ratio: ratio(path.oneTimeMs, full.oneTimeMs),
        cpuRatio: ratio(path.oneTimeCpuMs, full.oneTimeCpuMs),
      })),
  };
};

/** Judges every target. */
export const judge = (m: Measurements): Verdict[] => {
  const verdicts: Verdict[] = [];

  const init = initOverheads(m.coldStart);
  const initMet = init.requireRatio <= TARGETS.initOverFloor;
  const { clientsAtInit } = init;
  verdicts.push({
    target: `init overhead ≤ ${TARGETS.initOverFloor}× the mission floor (judged on demand)`,
    measured: `on demand ${formatRatio(init.requireRatio)} (${formatMs(init.handlerRequire)} vs ${formatMs(init.floorRequire)}, medians of \`require\`; whole process ${formatRatio(init.wallRatio)}; CPU time ${formatRatio(init.cpuRatio)}); clients at init (provisioned concurrency) ${formatRatio(clientsAtInit.requireRatio)} (${formatMs(clientsAtInit.require)}; whole process ${formatRatio(clientsAtInit.wallRatio)}; CPU time ${formatRatio(clientsAtInit.cpuRatio)})`,
    met: initMet,
    notes: initMet
      ? []
      : [
          `On demand, module init takes ${formatMs(init.handlerRequire)} against the floor's ${formatMs(init.floorRequire)}; see "Closing the gaps".`,
        ],
  });

  verdicts.push(ignoredVerdict(m));

  const paths = pathRatios(m.coldStart);
  const worst = paths.others.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const pathsMet = paths.others.every((other) => other.ratio <= TARGETS.nonWritingOverFull);
  verdicts.push({
    target: `non-writing paths' init ≤ ${TARGETS.nonWritingOverFull}× the full path's`,
    measured: `${paths.others
      .map((other) => `${other.path.name} ${formatRatio(other.ratio)}`)
      .join('; ')} (medians of wall time; in CPU time ${paths.others
      .map((other) => formatRatio(other.cpuRatio))
      .join(', ')})`,
    met: pathsMet,
    notes: pathsMet
      ? []
      : [
          `The writing path's one-time cost is ${formatMs(paths.full.oneTimeMs)}; the worst non-writing path (${worst.path.name}) pays ${formatMs(worst.path.oneTimeMs)}${
            modulesOf(m.coldStart, worst.path.name)?.dynamoDbClient ||
            modulesOf(m.coldStart, worst.path.name)?.idempotencyUtility
              ? ', yet it initialises the DynamoDB client or the idempotency utility (module table)'
              : ' without loading DynamoDB or the idempotency utility (module table)'
          }: module init (${formatMs(m.coldStart.pooledRequire.ms)}) and its own first invocation (${formatMs(worst.path.firstExtraMs.median)}) against the writing path's ${formatMs(paths.full.firstExtraMs.median)}. See "Closing the gaps".`,
        ],
  });

  const offMinimum = m.calls.filter((count) => !atMinimum(count));
  const sweepOff = m.sweep.buckets.filter((bucket) => bucket.calls !== bucket.minimum);
  const callsMet = offMinimum.length === 0 && sweepOff.length === 0;
  verdicts.push({
    target: 'calls = minimum',
    measured: callsMet
      ? `all ${m.calls.length} scenarios and the sweep at their minimum`
      : [
          ...offMinimum.map(
            (count) =>
              `${count.name}: ${count.secretsManager.length}+${count.dynamoDb.length} vs ${count.minimum.length}+${count.minimumDynamoDb.length}`
          ),
          ...sweepOff.map(
            (bucket) => `sweep ${bucket.bucket}: ${bucket.calls} vs ${bucket.minimum}`
          ),
        ].join('; '),
    met: callsMet,
    notes: callsMet ? [] : ['See the calls table for the extra operations.'],
  });

  const timed = m.latency.cells.filter((cell) => cell.store === 'on' && cell.latencyMs > 0);
  const latencyRatios = timed.map((cell) => ({ cell, ratio: ratio(cell.ms.median, cell.idealMs) }));
  const latencyMet = latencyRatios.every((entry) => entry.ratio <= TARGETS.latencyOverIdeal);
  const misses = latencyRatios.filter((entry) => entry.ratio > TARGETS.latencyOverIdeal);
  verdicts.push({
    target: `latency ≤ ${TARGETS.latencyOverIdeal}× calls × L`,
    measured: latencyRatios
      .map(
        (entry) => `${entry.cell.scenario} L=${entry.cell.latencyMs} ${formatRatio(entry.ratio)}`
      )
      .join('; '),
    met: latencyMet,
    notes: latencyMet
      ? []
      : [
          `Missed at ${misses.map((entry) => `${entry.cell.scenario} L=${entry.cell.latencyMs}`).join(', ')}: a nearly fixed cost per remediation (the SDK and our code, the idempotency store's two DynamoDB calls, which "calls" does not count, and this machine's own cost per call: a bare round trip to the emulator is already ${m.latency.floors
            .filter((floor) => floor.latencyMs > 0)
            .map(
              (floor) =>
                `${formatRatio(floor.ms.median / floor.latencyMs)} L at L=${floor.latencyMs}`
            )
            .join(', ')}) weighs more against a small ideal. See "Closing the gaps".`,
        ],
  });

  const sweep = m.sweep;
  const share = sweep.remediatedPerSecond / sweep.binding.perSecond;
  const throttlingInReport = sweep.failedResults.filter((error) => /thrott/i.test(error)).length;
  const sweepMet =
    share >= TARGETS.sweepShareOfBound &&
    sweep.report.failed === 0 &&
    throttlingInReport === 0 &&
    sweep.report.remaining === 0;
  verdicts.push({
    target: `sweep ≥ ${formatPercent(TARGETS.sweepShareOfBound)} of the quota bound, 0 failed, no throttling in the report`,
    measured: `${sweep.remediatedPerSecond.toFixed(1)}/s = ${formatPercent(share)} of ${sweep.binding.perSecond.toFixed(1)}/s (${sweep.binding.bucket} bucket); failed ${sweep.report.failed}; throttling errors at the emulator ${sweep.throttledAtEmulator}, in the report ${throttlingInReport}`,
    met: sweepMet,
    notes: sweepMet
      ? []
      : ['See the sweep section: the bucket that binds and where the time went.'],
  });
  return verdicts;
};
