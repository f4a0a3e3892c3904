/**
 * (b) AWS calls per scenario: the calls the emulator received (Secrets Manager's, and CloudTrail's
 * LookupEvents and EventBridge's PutEvents, which it serves on the same endpoint), DynamoDB calls counted in the worker's process (Node's HTTP client diagnostics
 * channel), each against its minimum.
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import type { BenchWorker } from './processes.js';
import { BenchEvents, seedClean, seedStuck } from './scenarios.js';

/** The calls of one scenario against their minimum. */
export interface CallCount {
  name: string;
  outcome: string;
  /** Secrets Manager operations the emulator received, in order. */
  secretsManager: string[];
  minimum: readonly string[];
  /** DynamoDB operations the worker sent (the idempotency store). */
  dynamoDb: string[];
  minimumDynamoDb: readonly string[];
}

/** One scenario: a way to make an event, and the fewest calls it can be served with. */
interface CallScenario {
  name: string;
  event: (emulator: SecretsManagerEmulator) => unknown;
  minimum: readonly string[];
  minimumDynamoDb: readonly string[];
}

const IDEMPOTENCY_CALLS = ['PutItem', 'UpdateItem'] as const;

/** The scenarios of (b), with the minimum each one needs. */
const CALL_SCENARIOS: readonly CallScenario[] = [
  {
    name: 'discard (RotationFailed at setSecret)',
    event: (emulator) => BenchEvents.rotationFailedSetSecret(seedStuck(emulator, 'calls')),
    // the four Secrets Manager calls, then the outcome's one EventBridge event (PutEvents)
    minimum: [
      'DescribeSecret',
      'CancelRotateSecret',
      'UpdateSecretVersionStage',
      'DescribeSecret',
      'PutEvents',
    ],
    minimumDynamoDb: IDEMPOTENCY_CALLS,
  },
  {
    name: 'promote (RotationFailed at finishSecret)',
    event: (emulator) =>
      BenchEvents.rotationFailedFinishSecret(seedStuck(emulator, 'calls', 'finishSecret')),
    minimum: [
      'DescribeSecret',
      'CancelRotateSecret',
      'UpdateSecretVersionStage',
      'UpdateSecretVersionStage',
      'DescribeSecret',
      'PutEvents',
    ],
    minimumDynamoDb: IDEMPOTENCY_CALLS,
  },
  {
    name: 'already clean',
    event: (emulator) => BenchEvents.direct(seedClean(emulator, 'calls')),
    minimum: ['DescribeSecret'],
    minimumDynamoDb: [],
  },
  {
    // a direct `auto` dry run plans the real decision: the pending version's date and one page of
    // CloudTrail's history give the failed step the event does not carry
    name: 'dry run (step from history)',
    event: (emulator) => BenchEvents.dryRun(seedStuck(emulator, 'calls')),
    minimum: ['DescribeSecret', 'ListSecretVersionIds', 'LookupEvents'],
    minimumDynamoDb: [],
  },
  {
    name: 'ignored (alarm back to OK)',
    event: () => BenchEvents.alarmOk(),
    minimum: [],
    minimumDynamoDb: [],
  },
  {
    name: 'rejected (unknown event)',
    event: () => BenchEvents.unknownShape(),
    minimum: [],
    minimumDynamoDb: [],
  },
];

/** True when a scenario made exactly its minimum number of calls on both services. */
export const atMinimum = (count: CallCount): boolean =>
  count.secretsManager.length === count.minimum.length &&
  count.dynamoDb.length === count.minimumDynamoDb.length;

/** Runs (b) on `worker` (idempotency on) against `emulator`. */
export const runCalls = async (
  worker: BenchWorker,
  emulator: SecretsManagerEmulator
): Promise<CallCount[]> => {
  const counts: CallCount[] = [];
  for (const scenario of CALL_SCENARIOS) {
    const event = scenario.event(emulator);
    emulator.resetCalls();
    const response = await worker.invoke(event);
    counts.push({
      name: scenario.name,
      outcome: response.outcome,
      secretsManager: emulator.calls.map((call) => call.operation),
      minimum: scenario.minimum,
      dynamoDb: response.awsCalls
        .filter((call) => call.service.startsWith('dynamodb'))
        .map((call) => call.operation),
      minimumDynamoDb: scenario.minimumDynamoDb,
    });
  }
  return counts;
};
