/**
 * (d) The sweep: 1,000 secrets, 100 stuck, the emulator's quotas on (AWS numbers), the function's
 * sweep at `SWEEP_QUOTA_SHARE=0.5`. Throughput against the bound the quota share sets.
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import {
  bucketForOperation,
  startSecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';
import { PAGE_SIZE } from '../../src/aws/listing.js';
import { ratesAtShare } from '../../src/aws/rate-limiter.js';
import type { SweepReport, SweepResponse } from '../../src/sweep/types.js';
import type { BucketLoad } from './bounds.js';
import { bindingBucket, bucketSeconds, minimumSweepCalls } from './bounds.js';
import { BenchWorker } from './processes.js';
import { benchName } from './scenarios.js';

/** The sweep's shape. */
const SWEEP_SHAPE = {
  secrets: 1_000,
  stuck: 100,
  /** Every tenth secret is stuck, so stuck ones fall on every ListSecrets page. */
  stuckEvery: 10,
  /** Every 20th healthy secret has AWSPENDING on AWSCURRENT (legal; not a candidate). */
  pendingOnCurrentEvery: 20,
  quotaShare: 0.5,
  graceSeconds: 3_600,
} as const;

/** What (d) measured. */
export interface SweepResults {
  report: Omit<SweepReport, 'results'>;
  /** Worker-side time of the invocation, ms (includes loading the sweep and idempotency code). */
  invocationMs: number;
  remediatedPerSecond: number;
  /** Calls per quota bucket the emulator received, against the minimum. */
  buckets: {
    bucket: string;
    calls: number;
    minimum: number;
    rate: number;
    burst: number;
    seconds: number;
    maxPerSecond: number;
  }[];
  /** The binding bucket and its bound. */
  binding: { bucket: string; seconds: number; perSecond: number };
  /** The formula: stuck × writes per secret ÷ allowed rate of the write buckets. */
  writeBound: { seconds: number; perSecond: number };
  throttledAtEmulator: number;
  /** Stuck secrets whose labels the emulator shows clean afterwards. */
  verifiedClean: number;
  failedResults: string[];
  maxRssKb: number;
  dynamoDbCalls: number;
}

const seedSweep = (emulator: SecretsManagerEmulator): string[] => {
  const stuck: string[] = [];
  const pendingSince = new Date(Date.now() - 2 * 3_600_000);
  for (let i = 0; i < SWEEP_SHAPE.secrets; i += 1) {
    const name = benchName('sweep');
    if (i % SWEEP_SHAPE.stuckEvery === SWEEP_SHAPE.stuckEvery / 2) {
      stuck.push(
        emulator.store.seedFailedRotation({
          name,
          step: 'setSecret',
          pendingCreatedAt: pendingSince,
        }).arn
      );
    } else {
      emulator.store.seedCleanSecret({
        name,
        rotationEnabled: true,
        pendingOnCurrent: i % SWEEP_SHAPE.pendingOnCurrentEvery === 0,
      });
    }
  }
  return stuck;
};

/** Runs (d) in a fresh worker against a fresh emulator with quotas on. */
export const runSweepBench = async (
  node: string,
  bundle: string,
  env: NodeJS.ProcessEnv,
  region: string
): Promise<SweepResults> => {
  const emulator = await startSecretsManagerEmulator({ region, quotas: true });
  let worker: BenchWorker | undefined;
  try {
    const stuck = seedSweep(emulator);
    worker = await BenchWorker.start(node, bundle, {
      ...env,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.endpoint,
      SWEEP_QUOTA_SHARE: String(SWEEP_SHAPE.quotaShare),
      ROTATION_GRACE_SECONDS: String(SWEEP_SHAPE.graceSeconds),
    });
    const response = await worker.invoke({ sweep: {} }, 900_000);
    if (response.error !== undefined) throw new Error(`the sweep failed: ${response.error}`);
    const { results, ...report } = (response.result as SweepResponse).sweep;

    const calls = emulator.calls;
    const rates = ratesAtShare(SWEEP_SHAPE.quotaShare);
    const minimum = minimumSweepCalls({
      secrets: SWEEP_SHAPE.secrets,
      stuck: stuck.length,
      pageSize: PAGE_SIZE,
      labelMovesPerSecret: 1,
    });
    const buckets = (['list', 'read', 'rotation', 'write'] as const).map((bucket) => {
      const load: BucketLoad = {
        bucket,
        calls: minimum[bucket] ?? 0,
        rate: rates[bucket].rate,
        burst: rates[bucket].burst,
      };
      return {
        bucket,
        calls: calls.filter((call) => bucketForOperation(call.operation) === bucket).length,
        minimum: load.calls,
        rate: load.rate,
        burst: load.burst,
        seconds: bucketSeconds(load),
        maxPerSecond: emulator.maxRatePerSecond(bucket),
      };
    });
    const binding = bindingBucket(
      buckets.map(({ bucket, minimum: callsNeeded, rate, burst }) => ({
        bucket,
        calls: callsNeeded,
        rate,
        burst,
      }))
    );
    const writeSeconds = Math.max(
      stuck.length / rates.rotation.rate,
      (stuck.length * 1) / rates.write.rate
    );
    const verifiedClean = stuck.filter((arn) =>
      Object.values(emulator.store.labels(arn)).every((labels) => !labels.includes('AWSPENDING'))
    ).length;
    return {
      report,
      invocationMs: response.ms,
      remediatedPerSecond: report.remediated / (report.durationMs / 1000),
      buckets,
      binding: {
        bucket: binding.load.bucket,
        seconds: binding.seconds,
        perSecond: stuck.length / binding.seconds,
      },
      writeBound: { seconds: writeSeconds, perSecond: stuck.length / writeSeconds },
      throttledAtEmulator: calls.filter((call) => call.errorName === 'ThrottlingException').length,
      verifiedClean,
      failedResults: results
        .filter((result) => result.status === 'failed')
        .map((result) => result.error ?? 'failed'),
      maxRssKb: response.maxRssKb,
      dynamoDbCalls: response.awsCalls.filter((call) => call.service.startsWith('dynamodb')).length,
    };
  } finally {
    await worker?.stop();
    await emulator.stop();
  }
};
