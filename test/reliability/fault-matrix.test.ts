/**
 * The fault matrix: every call a remediation makes × every fault, injected once and persistently.
 *
 * The remediation is a promote (`pendingAction: promote` on a rotation stuck with rotation on),
 * the one plan that makes every call: DescribeSecret, CancelRotateSecret, UpdateSecretVersionStage
 * (move AWSCURRENT), UpdateSecretVersionStage (remove AWSPENDING), the verifying DescribeSecret,
 * and the idempotency record's PutItem and UpdateItem (and its DeleteItem, after a failure). Each
 * case runs in its own world (emulator, table, DynamoDB proxy) with the function's own client
 * settings (request timeouts lifted except where latency is the fault: see `settingsFor`); the
 * cases run concurrently.
 *
 * For every case: the first invocation ends as the table says (a report, or a named error); after
 * the faults are cleared, re-running the same event (after the lock's in-progress expiry when it
 * answers 409) reaches the correct end state; no label move is applied twice; the reports and the
 * audit trail match what the emulator applied; and no lock outlives its invocation's deadline.
 */
import type { FaultSpec } from '../../emulator/secrets-manager/index.js';
import { FaultKind } from '../../emulator/secrets-manager/index.js';
import { dynamoDbClientSettings, secretsManagerClientSettings } from '../../src/aws/clients.js';
import { DynamoDbErrorName, DynamoDbOperation } from '../helpers/faulty-dynamodb.js';
import { LogCapture } from '../helpers/log-capture.js';
import { uniqueName } from '../helpers/secrets-manager-target.js';
import { writeCounters } from './report/counters.js';
import type { Dynalite } from './support/backends.js';
import { startDynalite } from './support/backends.js';
import type { ObservedReport } from './support/truth.js';
import { auditOf, canonicalLabels, storedState, truthProblems } from './support/truth.js';
import type { Outcome, World, WorldOptions } from './support/world.js';
import { describeOutcome, startWorld, stuckLocks, untimed } from './support/world.js';

/** Where a call goes. */
const Target = {
  SecretsManager: 'secretsmanager',
  DynamoDb: 'dynamodb',
} as const;

/** The calls of a promote, as fault injection addresses them: operation and 1-based count. */
const Call = {
  Read: {
    name: 'DescribeSecret (read)',
    target: Target.SecretsManager,
    operation: 'DescribeSecret',
    nth: 1,
  },
  Cancel: {
    name: 'CancelRotateSecret',
    target: Target.SecretsManager,
    operation: 'CancelRotateSecret',
    nth: 1,
  },
  MoveCurrent: {
    name: 'UpdateSecretVersionStage (move AWSCURRENT)',
    target: Target.SecretsManager,
    operation: 'UpdateSecretVersionStage',
    nth: 1,
  },
  RemovePending: {
    name: 'UpdateSecretVersionStage (remove AWSPENDING)',
    target: Target.SecretsManager,
    operation: 'UpdateSecretVersionStage',
    nth: 2,
  },
  Verify: {
    name: 'DescribeSecret (verify)',
    target: Target.SecretsManager,
    operation: 'DescribeSecret',
    nth: 2,
  },
  PutItem: {
    name: 'PutItem (take the lock)',
    target: Target.DynamoDb,
    operation: DynamoDbOperation.PutItem,
    nth: 1,
  },
  UpdateItem: {
    name: 'UpdateItem (store the report)',
    target: Target.DynamoDb,
    operation: DynamoDbOperation.UpdateItem,
    nth: 1,
  },
  /** Made only when the remediation fails: the case makes every label move fail too. */
  DeleteItem: {
    name: 'DeleteItem (release the lock after a failure)',
    target: Target.DynamoDb,
    operation: DynamoDbOperation.DeleteItem,
    nth: 1,
  },
} as const;
type Call = (typeof Call)[keyof typeof Call];

/** The faults, and how each target answers them. */
const Fault = {
  Throttling: {
    name: 'ThrottlingException',
    kind: FaultKind.Error,
    errorName: { secretsmanager: 'ThrottlingException', dynamodb: DynamoDbErrorName.Throttling },
    status: 400,
  },
  ServerError: {
    name: 'InternalServiceError (500)',
    kind: FaultKind.Error,
    errorName: {
      secretsmanager: 'InternalServiceError',
      dynamodb: DynamoDbErrorName.InternalServerError,
    },
    status: 500,
  },
  DropAfterApply: { name: 'dropped after apply', kind: FaultKind.DropAfterApply },
  Latency: { name: 'latency beyond the client timeout', kind: FaultKind.Latency },
} as const;
type Fault = (typeof Fault)[keyof typeof Fault];

/** Injected for the one next call, or for every call until cleared. */
const Mode = {
  Once: { name: 'once', times: 1 },
  Persistent: { name: 'persistent', times: 'always' },
} as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** The fault spec for a call. Latency outlasts the client's own request timeout by 1 s. */
const faultSpec = (call: Call, fault: Fault, mode: Mode): FaultSpec => {
  const base = { operation: call.operation, nth: call.nth, times: mode.times };
  switch (fault.kind) {
    case FaultKind.Error:
      return {
        ...base,
        kind: fault.kind,
        errorName: fault.errorName[call.target],
        status: fault.status,
      };
    case FaultKind.Latency:
      return {
        ...base,
        kind: fault.kind,
        latencyMs:
          (call.target === Target.SecretsManager
            ? secretsManagerClientSettings.requestTimeout
            : dynamoDbClientSettings.requestTimeout) + 1_000,
      };
    default:
      return { ...base, kind: fault.kind };
  }
};

/**
 * The clients' settings for a case: the function's own, with the request timeout lifted (`untimed`)
 * except on the client whose call gets the latency fault, where that timeout is the subject.
 */
const settingsFor = (call: Call, fault: Fault): WorldOptions => {
  const timed = (target: string): boolean =>
    fault.kind === FaultKind.Latency && call.target === target;
  return {
    secretsManagerSettings: timed(Target.SecretsManager)
      ? secretsManagerClientSettings
      : untimed(secretsManagerClientSettings),
    dynamoDbSettings: timed(Target.DynamoDb)
      ? dynamoDbClientSettings
      : untimed(dynamoDbClientSettings),
  };
};

/** Faults whose call was applied although the client never saw the answer. */
const isAmbiguous = (fault: Fault): boolean =>
  fault.kind === FaultKind.DropAfterApply || fault.kind === FaultKind.Latency;

/**
 * What the first invocation ends in. The client's retries absorb any one fault, except a lock
 * write whose answer was lost: the retried PutItem finds that lock and answers 409 (the lock
 * expires with the invocation's deadline). A persistent fault outlasts the retries: AwsCallFailed.
 */
const expectedFirst = (call: Call, fault: Fault, mode: Mode): string => {
  if (call === Call.DeleteItem || mode === Mode.Persistent) return 'AwsCallFailed';
  if (call === Call.PutItem && isAmbiguous(fault)) return 'RemediationInProgress';
  return 'remediated';
};

/**
 * Whether AWSPENDING may stay on the promoted version: the first invocation failed after
 * AWSCURRENT had moved and before AWSPENDING was removed. The retry then finds AWSPENDING on the
 * AWSCURRENT version, the legal resting state (rule `clean.pending-on-current`), and leaves it.
 */
const pendingStaysOnCurrent = (call: Call, fault: Fault, mode: Mode): boolean =>
  mode === Mode.Persistent &&
  ((call === Call.MoveCurrent && isAmbiguous(fault)) ||
    (call === Call.RemovePending && !isAmbiguous(fault)));

/**
 * Whether the first report lists a label move with no request id: the SDK retried it after its
 * answer was lost, the retry was refused (the move had been made), and the re-read showed it made.
 */
const moveUnacknowledged = (call: Call, fault: Fault, mode: Mode): boolean =>
  mode === Mode.Once &&
  (call === Call.MoveCurrent || call === Call.RemovePending) &&
  isAmbiguous(fault);

const ROWS = Object.values(Call).flatMap((call) =>
  Object.values(Fault).flatMap((fault) =>
    Object.values(Mode).map((mode) => ({
      name: `${call.name} × ${fault.name} × ${mode.name}`,
      call,
      fault,
      mode,
      first: expectedFirst(call, fault, mode),
      pendingStays: pendingStaysOnCurrent(call, fault, mode),
      unacknowledged: moveUnacknowledged(call, fault, mode),
    }))
  )
);

/** The planned calls of a promote, as a report lists them. */
const PROMOTE_ACTIONS = [
  { operation: 'CancelRotateSecret' },
  { operation: 'UpdateSecretVersionStage', versionStage: 'AWSCURRENT' },
  { operation: 'UpdateSecretVersionStage', versionStage: 'AWSPENDING' },
] as const;

let dynalite: Dynalite;
const capture = new LogCapture();
const figures = { injected: 0, survived: 0, callsFaulted: 0, wrongStates: 0, stuckLocks: 0 };

beforeAll(async () => {
  dynalite = await startDynalite();
  capture.start();
});

afterAll(async () => {
  capture.stop();
  await dynalite.stop();
  writeCounters('fault-matrix', {
    faults: {
      injected: figures.injected,
      survived: figures.survived,
      callsFaulted: figures.callsFaulted,
    },
    wrongStates: figures.wrongStates,
    stuckLocks: figures.stuckLocks,
  });
});

/** Re-runs the event, waiting out the lock each time it answers 409 (at most three runs). */
const rerun = async (
  world: World,
  event: unknown,
  prefix: string,
  invocations: string[]
): Promise<Outcome> => {
  for (let attempt = 1; ; attempt++) {
    const requestId = `${prefix}:retry-${attempt}`;
    invocations.push(requestId);
    const outcome = await world.invoke(event, requestId);
    if (outcome.kind === 'report' || outcome.name !== 'RemediationInProgress' || attempt === 3) {
      return outcome;
    }
    await world.locksExpired();
  }
};

describe('fault matrix: every call × every fault, once and persistent', () => {
  it.concurrent.each(ROWS)(
    '$name → first $first',
    async ({ name, call, fault, mode, first: expected, pendingStays, unacknowledged }) => {
      // Prepare
      const world = await startWorld(dynalite, settingsFor(call, fault));
      try {
        const seeded = world.emulator.store.seedFailedRotation({
          name: uniqueName('matrix'),
          step: 'finishSecret',
        });
        const pending = seeded.pendingVersionId ?? '';
        // a promote is a person's decision, pinned to the version it promotes
        const event = {
          secretId: seeded.arn,
          pendingAction: 'promote',
          expectedPendingVersionId: pending,
          reason: name,
        };
        const prefix = `matrix:${name}`;
        const invocations = [`${prefix}:first`];
        const spec = faultSpec(call, fault, mode);
        const handle =
          call.target === Target.SecretsManager
            ? world.emulator.faults.inject(spec)
            : world.dynamo.faults.inject(spec);
        if (call === Call.DeleteItem) {
          world.emulator.faults.inject({
            operation: 'UpdateSecretVersionStage',
            kind: FaultKind.Error,
            errorName: 'InternalServiceError',
            times: 'always',
          });
        }
        figures.injected += 1;

        // Act
        const reports: ObservedReport[] = [];
        const keep = (outcome: Outcome): Outcome => {
          if (outcome.kind === 'report') {
            reports.push({
              report: outcome.report,
              stored: storedState(world.emulator, seeded.arn),
            });
          }
          return outcome;
        };
        const first = keep(await world.invoke(event, `${prefix}:first`));
        figures.callsFaulted += handle.hits;
        world.clearFaults();
        const retry = keep(await rerun(world, event, prefix, invocations));
        const final = storedState(world.emulator, seeded.arn);
        const movesApplied = world.emulator.calls.filter(
          (c) => c.operation === 'UpdateSecretVersionStage' && c.applied
        ).length;
        const locks = stuckLocks(await world.items(), world.latestDeadline());
        const expectedLabels = canonicalLabels({
          [seeded.currentVersionId]: ['AWSPREVIOUS'],
          [pending]: pendingStays ? ['AWSCURRENT', 'AWSPENDING'] : ['AWSCURRENT'],
        });
        if (
          JSON.stringify(final) !==
          JSON.stringify({ labels: expectedLabels, rotationEnabled: false })
        ) {
          figures.wrongStates += 1;
        }
        figures.stuckLocks += locks.length;

        // Assess
        expect(describeOutcome(first)).toBe(expected);
        expect(handle.hits).toBeGreaterThan(0);
        if (first.kind === 'report') {
          expect(first.report.actions).toMatchObject(PROMOTE_ACTIONS);
          expect(first.report.actions.filter((a) => a.requestId === undefined)).toHaveLength(
            unacknowledged ? 1 : 0
          );
        }
        expect(retry).toMatchObject({ kind: 'report' });
        expect(final).toEqual({ labels: expectedLabels, rotationEnabled: false });
        expect(movesApplied).toBe(pendingStays ? 1 : 2);
        expect(
          truthProblems(world.emulator, seeded, auditOf(capture, invocations), reports)
        ).toEqual([]);
        expect(locks).toEqual([]);
        figures.survived += 1;
      } finally {
        await world.stop();
      }
    }
  );
});

describe('ambiguous label moves', () => {
  it.each([
    { call: Call.MoveCurrent, fault: Fault.DropAfterApply },
    { call: Call.MoveCurrent, fault: Fault.Latency },
    { call: Call.RemovePending, fault: Fault.DropAfterApply },
    { call: Call.RemovePending, fault: Fault.Latency },
  ])(
    '$call.name $fault.name: the SDK repeat is refused, the core re-reads, and the move counts once',
    async ({ call, fault }) => {
      // Prepare
      const world = await startWorld(dynalite, settingsFor(call, fault));
      try {
        const seeded = world.emulator.store.seedFailedRotation({
          name: uniqueName('ambiguous'),
          step: 'finishSecret',
        });
        world.emulator.faults.inject(faultSpec(call, fault, Mode.Once));

        // Act
        const outcome = await world.invoke(
          {
            secretId: seeded.arn,
            pendingAction: 'promote',
            expectedPendingVersionId: seeded.pendingVersionId,
          },
          `ambiguous:${call.name}:${fault.name}`
        );
        const calls = world.emulator.calls.map((c) => ({
          operation: c.operation,
          applied: c.applied,
          errorName: c.errorName ?? null,
        }));

        // Assess
        expect(describeOutcome(outcome)).toBe('remediated');
        const refused = calls.findIndex(
          (c) =>
            c.operation === 'UpdateSecretVersionStage' &&
            c.errorName === 'InvalidParameterException'
        );
        expect(calls[refused - 1]).toEqual({
          operation: 'UpdateSecretVersionStage',
          applied: true,
          errorName: null,
        });
        expect(calls[refused]).toMatchObject({ applied: false });
        expect(calls[refused + 1]).toMatchObject({ operation: 'DescribeSecret' });
      } finally {
        await world.stop();
      }
    }
  );
});
