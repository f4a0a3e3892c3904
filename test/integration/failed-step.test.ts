/**
 * The failed step found in CloudTrail's event history, for every trigger that does not carry it:
 * the bundle (alarm via EventBridge, alarm action, HTTP, direct, sweep) and the CLI, each failed
 * step to its documented end state; which RotationFailed record counts; every way the look-up can
 * fail, each ending in the step-less rule and a successful remediation; and the calls it costs.
 *
 * Always an emulator of its own: the history (LookupEvents) is served by the emulator, and moto 5.2
 * answers LookupEvents with HTTP 500; a sweep acts on every secret of its region.
 */
import type {
  SecretsManagerEmulator,
  SeededSecret,
  SeedFailedRotationOptions,
} from '../../emulator/secrets-manager/index.js';
import { FaultKind, rotationFailedMessage } from '../../emulator/secrets-manager/index.js';
import type { RemediationReport } from '../../src/remediation/types.js';
import type { SweepResponse } from '../../src/sweep/types.js';
import type { Bundle } from '../helpers/bundle.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { CallCounter } from '../helpers/call-counter.js';
import { runCliInProcess } from '../helpers/cli.js';
import { useOwnEmulator } from '../helpers/own-emulator.js';
import { loadSample, substituteSecret } from '../helpers/samples.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator(
  'the failed step from CloudTrail history',
  'the emulator serves LookupEvents; moto 5.2 answers it with HTTP 500'
);

// The time-out case waits for the CloudTrail client's enforced timeouts (3 × 5 s).
jest.setTimeout(60_000);

const HOUR_MS = 3_600_000;
const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
type Step = (typeof STEPS)[number];

let bundle: Bundle;
const counter = new CallCounter();
const own = useOwnEmulator('ap-southeast-7', { ROTATION_GRACE_SECONDS: '0' });
let emulator: SecretsManagerEmulator;

beforeAll(() => {
  emulator = own.emulator;
  bundle = loadBundle();
  counter.start();
});

afterAll(() => counter.stop());

beforeEach(() => {
  emulator.store.clear();
  emulator.faults.clear();
  counter.reset();
});

/** The end state each failed step leads to under `auto`, with the step known. */
const END_STATE = {
  createSecret: { status: 'remediated', rule: 'auto.discard', pending: false, promoted: false },
  setSecret: { status: 'remediated', rule: 'auto.discard', pending: false, promoted: false },
  testSecret: {
    status: 'needs-decision',
    rule: 'auto.testSecret.hold',
    pending: true,
    promoted: false,
  },
  finishSecret: {
    status: 'remediated',
    rule: 'auto.finishSecret.promote',
    pending: false,
    promoted: true,
  },
} as const;

let sequence = 0;
/**
 * A failed rotation at `step`, its pending version 2 h before `now`, with its RotationFailed
 * record. A test that dates records of its own passes its one reading of the clock as `now`.
 */
const seed = (
  step: Step,
  options: Partial<SeedFailedRotationOptions> = {},
  now = Date.now()
): SeededSecret => {
  sequence += 1;
  return emulator.store.seedFailedRotation({
    name: `rr-history/${step}-${sequence}`,
    step,
    pendingCreatedAt: new Date(now - 2 * HOUR_MS),
    ...options,
  });
};

/** What the secret looks like now: rotation, and where AWSPENDING and AWSCURRENT sit. */
const endStateOf = (secret: SeededSecret) => {
  const labels = emulator.store.labels(secret.arn);
  const holder = (label: string) =>
    Object.entries(labels).find(([, stages]) => stages.includes(label))?.[0];
  return {
    rotationEnabled: emulator.store.describe(secret.arn).RotationEnabled,
    pending: holder('AWSPENDING') === secret.pendingVersionId,
    promoted: holder('AWSCURRENT') === secret.pendingVersionId,
  };
};

/** The report a bundle answer carries (HTTP: its body). */
const reportOf = (answer: unknown): RemediationReport => {
  const http = answer as { statusCode?: number; body?: string };
  return (http.body === undefined ? answer : JSON.parse(http.body)) as RemediationReport;
};

/** Runs the CLI (in this process) against this file's emulator. */
const cli = (args: readonly string[]) => runCliInProcess(args, own.cliEnv());

/** Runs one step-less trigger for `secret` and returns the report. */
const TRIGGERS = {
  'alarm via EventBridge': (secret: SeededSecret) =>
    bundle.handler(
      substituteSecret(loadSample('alarm-eventbridge-secretid-dimension.json'), secret),
      lambdaContext()
    ),
  'alarm action': (secret: SeededSecret) =>
    bundle.handler(substituteSecret(loadSample('alarm-action.json'), secret), lambdaContext()),
  HTTP: (secret: SeededSecret) =>
    bundle.handler(substituteSecret(loadSample('http-api-v2-post.json'), secret), lambdaContext()),
  direct: (secret: SeededSecret) => bundle.handler({ secretId: secret.name }, lambdaContext()),
  CLI: async (secret: SeededSecret) =>
    JSON.parse(
      (await cli(['remediate', '--secret-id', secret.arn, '--json'])).stdout
    ) as RemediationReport,
} as const;

const cases = Object.keys(TRIGGERS).flatMap((trigger) =>
  STEPS.map((step) => ({ trigger: trigger as keyof typeof TRIGGERS, step }))
);

describe('every step-less trigger decides by the step found in history', () => {
  it.each(cases)('$trigger, failed at $step', async ({ trigger, step }) => {
    // Prepare
    const secret = seed(step);

    // Act
    const report = reportOf(await TRIGGERS[trigger](secret));

    // Assess
    const expected = END_STATE[step];
    expect(report.status).toBe(expected.status);
    expect(report.decision).toMatchObject({
      rule: expected.rule,
      failedStep: step,
      evidence: expect.objectContaining({ stepSource: 'history-exact', lookup: 'complete' }),
    });
    expect(report.failedStepLookup).toMatchObject({
      outcome: 'found',
      step,
      exact: true,
      pages: 1,
    });
    expect(endStateOf(secret)).toEqual({
      rotationEnabled: false,
      pending: expected.pending,
      promoted: expected.promoted,
    });
  });

  it('the sweep: each stuck secret by its own step, the history read once for all of them', async () => {
    // Prepare
    const now = Date.now();
    const secrets = STEPS.map((step) => ({ step, secret: seed(step, {}, now) }));

    // Act
    const { sweep } = (await bundle.handler({ sweep: {} }, lambdaContext(60_000))) as SweepResponse;

    // Assess
    expect(sweep).toMatchObject({ stuck: 4, remediated: 3, needsDecision: 1, failed: 0 });
    for (const { step, secret } of secrets) {
      const result = sweep.results.find((r) => r.secretArn === secret.arn);
      expect(result).toMatchObject({ status: END_STATE[step].status, rule: END_STATE[step].rule });
      expect(endStateOf(secret)).toMatchObject({
        pending: END_STATE[step].pending,
        promoted: END_STATE[step].promoted,
      });
    }
    expect(counter.cloudTrailOperations()).toEqual(['LookupEvents']);
  });

  it('one failed history page in a sweep of 20 stuck secrets: the window restarts, nothing is discarded on a guess', async () => {
    // Prepare: 20 secrets failed at testSecret, their records among 200 of other secrets (5 pages)
    const secrets = Array.from({ length: 20 }, (_, i) =>
      seed('testSecret', { failureRecord: { at: new Date(Date.now() - (100 - i * 4) * 60_000) } })
    );
    for (let i = 0; i < 200; i += 1) {
      const other = `arn:aws:secretsmanager:${emulator.region}:123456789012:secret:noise-${i}-AbCdEf`;
      emulator.store.cloudTrail.record({
        secretId: other,
        secretArn: other,
        versionId: null,
        at: new Date(Date.now() - 100 * 60_000 + i * 25_000),
        errorMessage: rotationFailedMessage('setSecret'),
      });
    }
    emulator.faults.inject({
      operation: 'LookupEvents',
      nth: 2,
      // every attempt of the SDK (3) at the second page: the page fails for good, once
      times: 3,
      kind: FaultKind.Error,
      errorName: 'ServiceUnavailableException',
      status: 503,
    });

    // Act
    const { sweep } = (await bundle.handler({ sweep: {} }, lambdaContext(60_000))) as SweepResponse;

    // Assess: every secret held (its record found, or the failed page named), none discarded
    expect(sweep).toMatchObject({ stuck: 20, needsDecision: 20, remediated: 0, failed: 0 });
    for (const secret of secrets) {
      expect(endStateOf(secret)).toEqual({
        rotationEnabled: false,
        pending: true,
        promoted: false,
      });
    }
    // the pager was restarted after the failed page instead of ending the history there
    expect(counter.cloudTrailOperations().length).toBeGreaterThan(2);
  });
});

describe('the CLI shows the step it found', () => {
  it("status: the step, where it came from and the record's time", async () => {
    // Prepare
    const now = Date.now();
    const at = new Date(now - 100 * 60_000);
    const secret = seed('testSecret', { failureRecord: { at } }, now);

    // Act
    const text = await cli(['status', '--secret-id', secret.arn]);
    const json = await cli(['status', '--secret-id', secret.arn, '--json']);

    // Assess
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `^failed step +testSecret \\(from CloudTrail history, record of ${at.toISOString().slice(0, 19)}`,
        'm'
      )
    );
    expect(JSON.parse(json.stdout).failedStep).toEqual({
      step: 'testSecret',
      source: 'history',
      eventTime: expect.stringMatching(new RegExp(`^${at.toISOString().slice(0, 19)}`)),
      lookup: 'found',
    });
    // status shows what a remediation would rest on, and what it would do
    expect(JSON.parse(json.stdout)).toMatchObject({
      evidence: {
        stepSource: 'history-exact',
        lookup: 'complete',
        pendingVersionId: secret.pendingVersionId,
        record: { source: 'history' },
      },
      wouldDo: { outcome: 'needs-decision', rule: 'auto.testSecret.hold' },
    });
    expect(text.stdout).toMatch(
      /^evidence +step from history-exact · look-up complete · record history /m
    );
  });

  it('remediate --dry-run plans with it: a hold for a human, not a discard (exit 2, as the run would)', async () => {
    // Prepare
    const secret = seed('testSecret');

    // Act
    const result = await cli(['remediate', '--secret-id', secret.arn, '--dry-run']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      'Plan: needs-decision · rule auto.testSecret.hold · action auto → hold · failed step testSecret (history-exact)'
    );
    expect(endStateOf(secret)).toMatchObject({ rotationEnabled: true, pending: true });
  });
});

describe('which RotationFailed record counts', () => {
  it('a record older than the pending version is ignored', async () => {
    // Prepare: the pending version 2 h old, its only record 3 h old (an earlier rotation's)
    const now = Date.now();
    const secret = seed('testSecret', { failureRecord: { at: new Date(now - 3 * HOUR_MS) } }, now);

    // Act
    const report = reportOf(await TRIGGERS.direct(secret));

    // Assess
    expect(report.failedStepLookup).toMatchObject({ outcome: 'not-found' });
    // the suite runs with UNKNOWN_STEP_ACTION=discard (test/setup-env.ts)
    expect(report.decision).toMatchObject({
      rule: 'auto.unknown-step.discard',
      evidence: expect.objectContaining({ stepSource: 'none', lookup: 'complete' }),
    });
    expect(report.status).toBe('remediated');
  });

  it('of two records of the same pending version, the newer wins', async () => {
    // Prepare: finishSecret 90 min ago, then testSecret 30 min ago (the retried rotation)
    const now = Date.now();
    const secret = seed(
      'finishSecret',
      { failureRecord: { at: new Date(now - 90 * 60_000) } },
      now
    );
    emulator.store.cloudTrail.record({
      secretId: secret.arn,
      secretArn: secret.arn,
      versionId: secret.pendingVersionId ?? null,
      at: new Date(now - 30 * 60_000),
      errorMessage: rotationFailedMessage('testSecret'),
    });

    // Act
    const report = reportOf(await TRIGGERS.direct(secret));

    // Assess
    expect(report.decision).toMatchObject({
      failedStep: 'testSecret',
      rule: 'auto.testSecret.hold',
    });
    expect(report.status).toBe('needs-decision');
  });

  it.each([
    {
      case: 'another secret whose name starts the same',
      record: (s: SeededSecret) => ({
        secretId: `${s.arn}-old`,
        secretArn: `${s.arn}-old`,
        versionId: s.pendingVersionId ?? null,
      }),
    },
  ])('$case never matches', async ({ record }) => {
    // Prepare
    const now = Date.now();
    const secret = seed('finishSecret', { failureRecord: false }, now);
    emulator.store.cloudTrail.record({
      ...record(secret),
      at: new Date(now - 60 * 60_000),
      errorMessage: rotationFailedMessage('finishSecret'),
    });

    // Act
    const report = reportOf(await TRIGGERS.direct(secret));

    // Assess
    expect(report.failedStepLookup).toMatchObject({ outcome: 'not-found' });
    expect(report.decision).toMatchObject({ rule: 'auto.unknown-step.discard', failedStep: null });
  });

  it('a record newer than the pending version whose requestID names another id counts, by time', async () => {
    // Prepare: whether AWS writes the pending version's id in requestID is unconfirmed; a record
    // of this secret newer than the pending version has no other plausible meaning
    const secret = seed('testSecret', { failureRecord: false });
    emulator.store.cloudTrail.record({
      secretId: secret.arn,
      secretArn: secret.arn,
      versionId: '00000000-0000-4000-8000-00000000beef',
      at: new Date(Date.now() - 60 * 60_000),
      errorMessage: rotationFailedMessage('testSecret'),
    });

    // Act
    const report = reportOf(await TRIGGERS.direct(secret));

    // Assess: found by time, held at testSecret (before: never counted, and discarded)
    expect(report.failedStepLookup).toMatchObject({ outcome: 'found', exact: false });
    expect(report.decision).toMatchObject({
      rule: 'auto.testSecret.hold',
      failedStep: 'testSecret',
      evidence: expect.objectContaining({ stepSource: 'history-by-time', lookup: 'complete' }),
    });
    expect(report.status).toBe('needs-decision');
    expect(endStateOf(secret)).toEqual({ rotationEnabled: false, pending: true, promoted: false });
  });

  it.each([
    { case: 'names the secret by its name', options: { secretIdIsName: true }, exact: true },
    { case: 'has a plain requestID', options: { requestIdNamesVersion: false }, exact: false },
  ])('a record that $case still counts', async ({ options, exact }) => {
    // Prepare
    const secret = seed('testSecret', { failureRecord: options });

    // Act
    const report = reportOf(await TRIGGERS.direct(secret));

    // Assess
    expect(report.failedStepLookup).toMatchObject({ outcome: 'found', step: 'testSecret', exact });
    expect(report.status).toBe('needs-decision');
  });
});

describe('a look-up that fails never discards on a guess: it holds', () => {
  it.each([
    {
      case: 'denied',
      fault: { kind: FaultKind.Error, errorName: 'AccessDeniedException', status: 400 },
      outcome: 'denied',
      state: 'denied',
    },
    {
      case: 'throttled past the retries',
      fault: { kind: FaultKind.Error, errorName: 'ThrottlingException', status: 400 },
      outcome: 'throttled',
      state: 'throttled',
    },
    {
      case: 'an internal error (500) on every attempt',
      fault: { kind: FaultKind.Error, errorName: 'InternalServerError', status: 500 },
      outcome: 'failed',
      state: 'failed',
    },
    {
      case: 'timed out',
      fault: { kind: FaultKind.Latency, latencyMs: 6_000 },
      outcome: 'timed-out',
      state: 'failed',
    },
  ])('$case: step unknown, held, AWSPENDING kept', async ({ fault, outcome, state }) => {
    // Prepare: even with UNKNOWN_STEP_ACTION=discard (the suite's setting)
    const secret = seed('testSecret');
    emulator.faults.inject({ operation: 'LookupEvents', times: 'always', ...fault });

    // Act
    const report = reportOf(await TRIGGERS.direct(secret));

    // Assess
    expect(report.failedStepLookup).toMatchObject({ outcome, step: undefined });
    expect(report.decision).toMatchObject({
      rule: 'hold.evidence-incomplete',
      evidence: expect.objectContaining({ stepSource: 'none', lookup: state }),
    });
    expect(report.status).toBe('needs-decision');
    expect(endStateOf(secret)).toEqual({ rotationEnabled: false, pending: true, promoted: false });
  });

  it.each([
    { case: 'finds nothing', failureRecord: false as const, outcome: 'not-found' },
    {
      case: 'finds a message naming no step',
      failureRecord: { errorMessage: 'Lambda timed out' },
      outcome: 'no-step',
    },
  ])(
    '$case: step unknown on complete evidence, UNKNOWN_STEP_ACTION decides',
    async ({ failureRecord, outcome }) => {
      // Prepare
      const secret = seed('finishSecret', { failureRecord });

      // Act
      const report = reportOf(await TRIGGERS.direct(secret));

      // Assess
      expect(report.failedStepLookup).toMatchObject({ outcome });
      expect(report.decision).toMatchObject({
        rule: 'auto.unknown-step.discard',
        evidence: expect.objectContaining({ lookup: 'complete' }),
      });
      expect(report.status).toBe('remediated');
    }
  );
});

describe('the calls a look-up costs', () => {
  it.each([
    { case: 'names the pending version in its requestID', names: true, versionReads: 0 },
    { case: 'has a plain requestID (tied by time)', names: false, versionReads: 1 },
  ])(
    'a step from an event that $case: no LookupEvents, $versionReads ListSecretVersionIds',
    async ({ names, versionReads }) => {
      // Prepare
      const secret = seed('testSecret');
      const { pendingVersionId: _, ...plain } = secret;

      // Act
      await bundle.handler(
        substituteSecret(loadSample('rotation-failed-testSecret.json'), names ? secret : plain),
        lambdaContext()
      );

      // Assess
      expect(counter.cloudTrailOperations()).toEqual([]);
      expect(
        counter.secretsManagerOperations().filter((op) => op === 'ListSecretVersionIds')
      ).toHaveLength(versionReads);
    }
  );

  it.each([
    { case: 'a pinned discard', dryRun: false },
    { case: 'a dry run of a pinned discard', dryRun: true },
  ])('$case: no LookupEvents, no ListSecretVersionIds', async ({ dryRun }) => {
    // Prepare
    const secret = seed('testSecret');

    // Act
    await bundle.handler(
      {
        secretId: secret.arn,
        pendingAction: 'discard',
        expectedPendingVersionId: secret.pendingVersionId,
        dryRun,
      },
      lambdaContext()
    );

    // Assess
    expect(counter.cloudTrailOperations()).toEqual([]);
    expect(counter.secretsManagerOperations()).not.toContain('ListSecretVersionIds');
  });

  it('a discard no person pinned looks the step up, and holds after testSecret', async () => {
    // Prepare
    const secret = seed('testSecret');

    // Act
    const report = reportOf(
      await bundle.handler({ secretId: secret.arn, pendingAction: 'discard' }, lambdaContext())
    );

    // Assess
    expect(counter.cloudTrailOperations()).toEqual(['LookupEvents']);
    expect(report.decision.rule).toBe('hold.discard-after-step');
    expect(endStateOf(secret)).toEqual({ rotationEnabled: false, pending: true, promoted: false });
  });

  it.each([
    {
      case: 'an already-clean secret',
      prepare: () =>
        emulator.store.seedCleanSecret({ name: 'rr-history/clean', rotationEnabled: true }),
    },
    {
      case: 'a refused secret (marked for deletion)',
      prepare: () => {
        const secret = seed('testSecret');
        emulator.store.markForDeletion(secret.arn);
        return secret;
      },
    },
  ])('$case: no LookupEvents', async ({ prepare }) => {
    // Prepare
    const secret = prepare();

    // Act
    await bundle.handler({ secretId: secret.arn }, lambdaContext());

    // Assess
    expect(counter.cloudTrailOperations()).toEqual([]);
  });

  it('a dry run resolves the step too: the plan shows the real decision', async () => {
    // Prepare
    const secret = seed('testSecret');

    // Act
    const report = reportOf(
      await bundle.handler({ secretId: secret.arn, dryRun: true }, lambdaContext())
    );

    // Assess
    expect(report.status).toBe('planned');
    expect(report.decision).toMatchObject({
      rule: 'auto.testSecret.hold',
      evidence: expect.objectContaining({ stepSource: 'history-exact', lookup: 'complete' }),
    });
    expect(counter.cloudTrailOperations()).toEqual(['LookupEvents']);
  });

  it('a busy history costs one call per page read, and never more than the cap of 5 pages', async () => {
    // Prepare: 400 newer records of other secrets hide this one's
    const now = Date.now();
    const secret = seed('testSecret', { failureRecord: { at: new Date(now - 110 * 60_000) } }, now);
    for (let i = 0; i < 400; i += 1) {
      emulator.store.cloudTrail.record({
        secretId: `arn:aws:secretsmanager:${emulator.region}:123456789012:secret:other-${i}-AbCdEf`,
        secretArn: `arn:aws:secretsmanager:${emulator.region}:123456789012:secret:other-${i}-AbCdEf`,
        versionId: null,
        at: new Date(now - 100 * 60_000 + i * 1000),
        errorMessage: rotationFailedMessage('setSecret'),
      });
    }

    // Act
    const report = reportOf(await TRIGGERS.direct(secret));

    // Assess
    expect(counter.cloudTrailOperations()).toEqual(Array(5).fill('LookupEvents'));
    // older records remain unread: that is not "not found", and nothing is discarded on it
    expect(report.failedStepLookup).toMatchObject({ outcome: 'incomplete', pages: 5 });
    expect(report.decision).toMatchObject({
      rule: 'hold.evidence-incomplete',
      evidence: expect.objectContaining({ lookup: 'window-incomplete' }),
    });
    expect(report.status).toBe('needs-decision');
  });
});
