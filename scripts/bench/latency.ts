/**
 * (c) Latency of one remediation with an injected latency L on every Secrets Manager call, against
 * the ideal of calls × L. DynamoDB (the idempotency store, on dynalite) gets no injected latency;
 * its calls add their real local time, which a second worker with idempotency disabled isolates.
 * A third worker reaches dynalite through a proxy that delays DynamoDB's answers by L as well: the
 * function as it would run where every call costs a round trip, against (all calls) × L.
 */
import type { FaultHandle, SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import type { DelayingProxy } from './delay-proxy.js';
import type { BenchWorker } from './processes.js';
import { BenchEvents, seedStuck } from './scenarios.js';
import type { Summary } from './stats.js';
import { summarize } from './stats.js';

/**
 * Remediations each worker runs before the first measured cell: the first invocations of a process
 * are slower while V8 compiles and optimises the call path (an environment's first one is in (a)).
 * Without this, cells measured early would look worse than cells measured late.
 */
export const WARM_UP_REMEDIATIONS = 30;

/** The injected latencies, ms. */
export const INJECTED_LATENCIES_MS = [5, 20, 50] as const;

/** The operations a remediation calls (each gets the injected latency). */
const REMEDIATION_OPERATIONS = [
  'DescribeSecret',
  'CancelRotateSecret',
  'UpdateSecretVersionStage',
] as const;

/** How the idempotency store was set up for a cell. */
export type StoreSetup = 'on' | 'off' | 'on, DynamoDB delayed by L';

/** One cell of (c). */
export interface LatencyCell {
  scenario: 'discard' | 'promote';
  store: StoreSetup;
  /** Injected latency per Secrets Manager call, ms (0: none). */
  latencyMs: number;
  /** Secrets Manager calls per remediation (as the worker saw them; the same in every run). */
  calls: number;
  dynamoDbCalls: number;
  /** The calls the ideal counts: Secrets Manager's, plus DynamoDB's when they are delayed too. */
  countedCalls: number;
  ms: Summary;
  /** countedCalls × L. */
  idealMs: number;
  /** Secrets Manager calls × the median bare round trip at this L (see {@link RoundTripFloor}). */
  bareMs: number;
  outcomes: string[];
}

/** Bare HTTP round trips (no SDK, no handler) from the worker to the emulator at one L. */
export interface RoundTripFloor {
  latencyMs: number;
  ms: Summary;
}

/** What (c) measured. */
export interface LatencyResults {
  cells: LatencyCell[];
  floors: RoundTripFloor[];
}

/** Options of {@link runLatency}. */
export interface LatencyOptions {
  emulator: SecretsManagerEmulator;
  /** Idempotency on (the function as deployed). */
  worker: BenchWorker;
  /** Idempotency disabled (`POWERTOOLS_IDEMPOTENCY_DISABLED=true`): isolates DynamoDB's time. */
  workerWithoutIdempotency: BenchWorker;
  /** Idempotency on, DynamoDB reached through `proxy`. */
  workerWithDelayedStore: BenchWorker;
  proxy: DelayingProxy;
  repetitions: number;
  log: (line: string) => void;
}

const measure = async (
  worker: BenchWorker,
  emulator: SecretsManagerEmulator,
  scenario: LatencyCell['scenario'],
  latencyMs: number,
  repetitions: number,
  store: StoreSetup,
  roundTripMs: number
): Promise<LatencyCell> => {
  const event = () =>
    scenario === 'discard'
      ? BenchEvents.rotationFailedSetSecret(seedStuck(emulator, 'latency'))
      : BenchEvents.rotationFailedFinishSecret(seedStuck(emulator, 'latency', 'finishSecret'));
  await worker.invoke(event()); // warm-up: connections open, code compiled
  const samples: number[] = [];
  const outcomes = new Set<string>();
  let calls = 0;
  let dynamoDbCalls = 0;
  for (let i = 0; i < repetitions; i += 1) {
    const response = await worker.invoke(event());
    samples.push(response.ms);
    outcomes.add(response.outcome);
    calls = response.awsCalls.filter((call) => call.service === 'secretsmanager').length;
    dynamoDbCalls = response.awsCalls.filter((call) => call.service.startsWith('dynamodb')).length;
  }
  const countedCalls = calls + (store === 'on, DynamoDB delayed by L' ? dynamoDbCalls : 0);
  return {
    scenario,
    store,
    latencyMs,
    calls,
    dynamoDbCalls,
    countedCalls,
    ms: summarize(samples),
    idealMs: countedCalls * latencyMs,
    bareMs: calls * roundTripMs,
    outcomes: [...outcomes],
  };
};

/** Runs (c): L = 0 (the fixed cost), then each injected latency. */
export const runLatency = async (options: LatencyOptions): Promise<LatencyResults> => {
  const { emulator, repetitions } = options;
  const cells: LatencyCell[] = [];
  const floors: RoundTripFloor[] = [];
  const probeSecret = seedStuck(emulator, 'latency-floor');
  for (const worker of [
    options.worker,
    options.workerWithoutIdempotency,
    options.workerWithDelayedStore,
  ]) {
    for (let i = 0; i < WARM_UP_REMEDIATIONS; i += 1) {
      await worker.invoke(BenchEvents.rotationFailedSetSecret(seedStuck(emulator, 'warm-up')));
    }
  }
  for (const latencyMs of [0, ...INJECTED_LATENCIES_MS]) {
    options.log(`  L = ${latencyMs} ms`);
    const handles: FaultHandle[] =
      latencyMs === 0
        ? []
        : REMEDIATION_OPERATIONS.map((operation) =>
            emulator.faults.inject({ operation, kind: 'latency', latencyMs, times: 'always' })
          );
    try {
      const samples = await options.worker.roundTrips(
        emulator.endpoint,
        'secretsmanager.DescribeSecret',
        JSON.stringify({ SecretId: probeSecret.arn }),
        Math.max(10, repetitions * 2)
      );
      const floor = { latencyMs, ms: summarize(samples) };
      floors.push(floor);
      const roundTripMs = floor.ms.median;
      for (const scenario of ['discard', 'promote'] as const) {
        cells.push(
          await measure(
            options.worker,
            emulator,
            scenario,
            latencyMs,
            repetitions,
            'on',
            roundTripMs
          )
        );
      }
      cells.push(
        await measure(
          options.workerWithoutIdempotency,
          emulator,
          'discard',
          latencyMs,
          repetitions,
          'off',
          roundTripMs
        )
      );
      if (latencyMs > 0) {
        options.proxy.delayMs = latencyMs;
        cells.push(
          await measure(
            options.workerWithDelayedStore,
            emulator,
            'discard',
            latencyMs,
            repetitions,
            'on, DynamoDB delayed by L',
            roundTripMs
          )
        );
        options.proxy.delayMs = 0;
      }
    } finally {
      for (const handle of handles) handle.remove();
    }
  }
  return { cells, floors };
};
