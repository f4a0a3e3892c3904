/**
 * Issue #14: the built dist/handler.js puts one EventBridge event per outcome, none for dry runs,
 * replays, already-clean, ignored or rejected events; the `decide` commands of a Needs Decision
 * event finish the remediation as given (and are refused once the pending version moved); no
 * canary planted in a sample reaches an event (one invocation per sample: the property field by
 * field is test/unit/notifications/canaries.test.ts); and a PutEvents that fails changes nothing but the
 * audit trail and the `NotificationsFailed` metric. Events are read back from the emulator's
 * EventBridge, or (moto, an account) through a rule of the tests' own bus to an SQS queue.
 */
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { cliArgsOf } from '../../scripts/demo/decide.js';
import { DECIDE_REASON } from '../../src/notifications/detail.js';
import type { RemediationReport } from '../../src/remediation/types.js';
import { lambdaContext } from '../helpers/bundle.js';
import { leakedCanary, plantEverywhere } from '../helpers/canaries.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { EventSink, ReceivedEvent } from '../helpers/event-sink.js';
import { startEventSink, uniqueBusName } from '../helpers/event-sink.js';
import { readLabels } from '../helpers/labels.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import { LogCapture } from '../helpers/log-capture.js';
import { loadSample, readExpectations, substituteSecret } from '../helpers/samples.js';
import type { SeededSecret } from '../helpers/secrets-manager-target.js';
import {
  describeEmulatorOnly,
  seedFailedRotation,
  seedStuckWithPublicCalls,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

const busName = uniqueBusName();
const aws = useBundleAgainstAws({
  EVENT_BUS_NAME: busName,
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_DISABLED: 'false',
});
const capture = new LogCapture();
let sink: EventSink;

beforeAll(async () => {
  sink = await startEventSink(aws.target, busName);
});
afterAll(async () => {
  capture.stop();
  await sink?.stop();
});

/** What one invocation did: the handler's result (HTTP bodies parsed), its logs, the events. */
interface Run {
  report: RemediationReport | undefined;
  error: Error | undefined;
  audit: Record<string, unknown>[];
  records: Record<string, unknown>[];
  text: string;
  events: ReceivedEvent[];
}

/** Invokes the bundle with its output captured; `expected` events are awaited (external buses). */
const invoke = async (event: unknown, expected = 1): Promise<Run> => {
  await sink.clear();
  capture.reset();
  capture.start();
  let result: unknown;
  let error: Error | undefined;
  try {
    result = await aws.bundle.handler(event, lambdaContext(30_000, `req-${uniqueName('n')}`));
  } catch (caught) {
    error = caught as Error;
  } finally {
    capture.stop();
  }
  const body = (result as { body?: unknown } | undefined)?.body;
  const report = (typeof body === 'string' ? JSON.parse(body) : result) as RemediationReport;
  return {
    report: error === undefined ? report : undefined,
    error,
    audit: capture.auditRecords(),
    records: capture.records(),
    text: [...capture.lines, JSON.stringify(result ?? null), error?.message ?? ''].join('\n'),
    events: expected === 0 ? await sink.received() : await sink.waitFor(expected),
  };
};

const labelsOf = (secretId: string) => readLabels(aws.target.client, secretId);

/** The part of a report every event repeats. */
const reportFields = (report: RemediationReport) => ({
  status: report.status,
  secret: report.secret,
  decision: report.decision,
  reason: report.reason,
  actions: report.actions,
  before: {
    rotationEnabled: report.before.rotationEnabled,
    versionIdsToStages: report.before.versionIdsToStages,
  },
  after: {
    rotationEnabled: report.after.rotationEnabled,
    versionIdsToStages: report.after.versionIdsToStages,
  },
});

/** A secret stuck at testSecret: a RotationFailed event ends in needs-decision. */
const needsDecision = async (prefix: string) => {
  const seeded = await seedFailedRotation(aws.target, {
    name: uniqueName(prefix),
    step: 'testSecret',
  });
  const run = await invoke(substituteSecret(loadSample('rotation-failed-testSecret.json'), seeded));
  return { seeded, run, decide: run.events[0]?.detail.decide as Decide };
};

interface Choice {
  body: Record<string, unknown>;
  cli: string;
}
interface Decide {
  pendingVersionId: string;
  promote: Choice;
  discard: Choice;
}

describe('one event per outcome', () => {
  it('remediated: "Rotation Remediated" with the report and the end state', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-remediated'));

    // Act
    const run = await invoke({ secretId: seeded.arn, pendingAction: 'discard', reason: 'INC-1' });

    // Assess
    const report = run.report as RemediationReport;
    expect(report.status).toBe('remediated');
    expect(run.events).toHaveLength(1);
    const [event] = run.events;
    expect(event).toMatchObject({
      source: 'rotation-remediator',
      detailType: 'Rotation Remediated',
      resources: [seeded.arn],
      detail: {
        ...reportFields(report),
        trigger: 'direct',
        requestReason: 'INC-1',
        nextStep: expect.any(String),
        summary: expect.stringContaining(seeded.name),
      },
    });
    expect(event?.detail.after).toMatchObject({ versionIdsToStages: await labelsOf(seeded.arn) });
    expect(event?.detail).not.toHaveProperty('decide');
  });

  it('refused: "Rotation Remediation Refused", nothing changed', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-refused'));
    const before = await labelsOf(seeded.arn);

    // Act
    const run = await invoke({
      secretId: seeded.arn,
      expectedPendingVersionId: '00000000-0000-4000-8000-000000000000',
    });

    // Assess
    expect(run.report?.status).toBe('refused');
    expect(run.events.map((e) => e.detailType)).toEqual(['Rotation Remediation Refused']);
    expect(run.events[0]?.detail).toMatchObject({
      ...reportFields(run.report as RemediationReport),
      decision: { rule: 'refuse.pending-version-mismatch' },
    });
    expect(await labelsOf(seeded.arn)).toEqual(before);
  });

  it('needs-decision: "... Needs Decision" with both choices pinned to the pending version', async () => {
    // Act
    const { seeded, run, decide } = await needsDecision('ev-decision');

    // Assess
    expect(run.report?.status).toBe('needs-decision');
    expect(run.events.map((e) => e.detailType)).toEqual(['Rotation Remediation Needs Decision']);
    expect(run.events[0]?.detail).toMatchObject({
      ...reportFields(run.report as RemediationReport),
      decision: {
        rule: 'auto.testSecret.hold',
        failedStep: 'testSecret',
        // the event says what the decision rests on
        evidence: expect.objectContaining({
          stepSource: 'event',
          eventTie: 'exact',
          pendingVersionId: seeded.pendingVersionId,
        }),
      },
      trigger: 'rotation-failed',
    });
    expect(decide.pendingVersionId).toBe(seeded.pendingVersionId);
    for (const action of ['promote', 'discard'] as const) {
      expect(decide[action].body).toEqual({
        secretId: seeded.arn,
        pendingAction: action,
        expectedPendingVersionId: seeded.pendingVersionId,
      });
      expect(cliArgsOf(decide[action].cli)).toEqual([
        'decide',
        '--secret-id',
        seeded.arn,
        '--expected-pending-version',
        seeded.pendingVersionId,
        `--${action}`,
        '--reason',
        DECIDE_REASON[action],
        '--region',
        seeded.arn.split(':')[3],
      ]);
    }
  });
});

describe('no event', () => {
  it.each([
    ['a dry run', (s: SeededSecret) => ({ secretId: s.arn, dryRun: true }), 'planned'],
    ['an ignored event', () => loadSample('rotation-succeeded.json'), 'ignored'],
    [
      'a rejected event',
      (s: SeededSecret) => ({ secretId: s.arn, dryrun: true }),
      'ValidationError',
    ],
    [
      'an unknown secret',
      () => ({ secretId: uniqueName('never-created'), pendingAction: 'discard' }),
      'SecretNotFound',
    ],
  ] as const)('for %s', async (_case, eventOf, outcome) => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-none'));

    // Act
    const run = await invoke(eventOf(seeded), 0);

    // Assess
    expect(run.error?.name ?? run.report?.status).toBe(outcome);
    expect(run.events).toEqual([]);
  });

  it('for an already-clean secret', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-clean'));
    await invoke({ secretId: seeded.arn, pendingAction: 'discard' });

    // Act
    const run = await invoke({ secretId: seeded.arn, pendingAction: 'discard' }, 0);

    // Assess
    expect(run.report?.status).toBe('already-clean');
    expect(run.events).toEqual([]);
  });
});

/** Runs a CLI line of an event as given (the CLI in this process, pointed at the tests' endpoints). */
const runCliLine = (line: string) => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const key of Object.keys(process.env)) {
    if (/^AWS_/.test(key)) env[key] = process.env[key];
  }
  return runCliInProcess([...cliArgsOf(line), '--json'], env);
};

describe('the decide commands, run as given', () => {
  it('the promote body (HTTP or direct) promotes the pending version', async () => {
    // Prepare
    const { seeded, decide } = await needsDecision('decide-body');

    // Act
    const run = await invoke(decide.promote.body);

    // Assess
    expect(run.report).toMatchObject({
      status: 'remediated',
      decision: { rule: 'requested.promote' },
    });
    expect(await labelsOf(seeded.arn)).toEqual({
      [seeded.currentVersionId]: ['AWSPREVIOUS'],
      [seeded.pendingVersionId]: ['AWSCURRENT'],
    });
    expect(run.events.map((e) => e.detailType)).toEqual(['Rotation Remediated']);
  });

  it('the discard CLI line discards the pending version', async () => {
    // Prepare
    const { seeded, decide } = await needsDecision('decide-cli');

    // Act
    const result = await runCliLine(decide.discard.cli);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'remediated' });
    expect(await labelsOf(seeded.arn)).toEqual({
      [seeded.previousVersionId]: ['AWSPREVIOUS'],
      [seeded.currentVersionId]: ['AWSCURRENT'],
    });
  });

  it('refuses once the pending version moved, and says so in a Refused event', async () => {
    // Prepare
    const { seeded, decide } = await needsDecision('decide-moved');
    await aws.target.client.send(
      new PutSecretValueCommand({
        SecretId: seeded.arn,
        SecretString: '{"moved":true}',
        VersionStages: ['AWSPENDING'],
      })
    );
    const moved = await labelsOf(seeded.arn);

    // Act
    const run = await invoke(decide.promote.body);
    const cli = await runCliLine(decide.promote.cli);

    // Assess
    expect(run.report).toMatchObject({
      status: 'refused',
      decision: { rule: 'refuse.pending-version-mismatch' },
    });
    expect(run.events.map((e) => e.detailType)).toEqual(['Rotation Remediation Refused']);
    expect(cli.code).toBe(2);
    expect(await labelsOf(seeded.arn)).toEqual(moved);
  });
});

describeEmulatorOnly(
  'canaries',
  'redaction is our code (test/unit/notifications/canaries.test.ts proves it field by field); another service adds nothing to it',
  () => {
    // the fleet report (report.json) has no string field to plant in and puts no event
    const rows = readExpectations().filter((row) => row.file !== 'report.json');

    it.each(rows.map((row) => [row.file, row] as const))(
      '%s: credentials planted in every string field it tolerates never reach an event',
      async (file, row) => {
        // Prepare
        const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-canary'));
        const { event, planted } = plantEverywhere(
          substituteSecret(loadSample(file), seeded),
          row.trigger
        );

        // Act
        const run = await invoke(event, 0);

        // Assess
        expect(planted.length).toBeGreaterThan(0);
        const text = run.events.map((e) => `${e.text}\n${e.resources.join(' ')}`).join('\n');
        expect(leakedCanary(text)).toBeUndefined();
        if (!['ignored', 'planned'].includes(row.outcome)) {
          expect(run.events.length).toBeGreaterThan(0);
        }
      }
    );
  }
);

/** The `notification.failed` records and the `NotificationsFailed` metrics of a run. */
const failuresOf = (run: Run) => ({
  audit: run.audit.filter((record) => record.event === 'notification.failed'),
  metrics: run.records.filter((record) => record.NotificationsFailed !== undefined),
});

/** Credential shapes in free text, each with its own marker (issue 21: 11 of 13 leaked). */
const FREE_TEXT_SHAPES = [
  '{"password":"c4n4ry01"}',
  '{"SecretString":"c4n4ry02"}',
  '{"aws_secret_access_key":"c4n4ry03"}',
  'DB_PASSWORD=c4n4ry04',
  'PGPASSWORD=c4n4ry05',
  'GITHUB_TOKEN=c4n4ry06',
  'postgres://app:c4n4ry07@db.internal/app',
  'password => c4n4ry08',
  'password is c4n4ry09',
  'pass\u200Bword=c4n4ry10',
  '\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44=c4n4ry11',
  'password=c4n4ry12',
  'AKIAC4N4RY13ABCDEFG1',
] as const;

/** Characters that must never reach a log line or an event as they are. */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe('free text and identifiers', () => {
  it('masks every credential shape and escapes invisible characters, and keeps identifiers whole', async () => {
    // Prepare: a secret whose legal name looks like token=value
    const seeded = await seedFailedRotation(aws.target, {
      name: uniqueName('app-token=blue'),
      step: 'testSecret',
    });
    const reason = `INC-21 \u202Eevil\u2066 \u0007 ${FREE_TEXT_SHAPES.join(' ; ')}`;

    // Act
    const run = await invoke({ secretId: seeded.arn, reason });

    // Assess
    const event = run.events[0];
    const everything = [run.text, ...run.events.map((e) => e.text)].join('\n');
    const leaked = FREE_TEXT_SHAPES.map((_shape, i) => `c4n4ry${String(i + 1).padStart(2, '0')}`)
      .concat('C4N4RY13ABCDEFG1')
      .filter((marker) => everything.includes(marker));
    expect(leaked).toEqual([]);
    expect(everything).not.toMatch(INVISIBLE);
    expect(event?.detail.requestReason).toEqual(expect.stringContaining('INC-21'));
    expect(event?.detail.secret).toEqual(
      expect.objectContaining({ arn: seeded.arn, name: seeded.name })
    );
    expect(run.audit.find((r) => r.event === 'remediation.requested')).toEqual(
      expect.objectContaining({ secretId: seeded.arn })
    );
    const decide = event?.detail.decide as Decide | undefined;
    if (decide !== undefined) expect(decide.promote.body.secretId).toBe(seeded.arn);
  });
});

describeEmulatorOnly(
  'PutEvents failing, failed remediations, replays',
  'fault injection on PutEvents and UpdateSecretVersionStage, failed entries, a race hook',
  () => {
    const emulator = () => {
      const { emulator: found, eventBridge } = aws.target;
      if (found === undefined || eventBridge === undefined) throw new Error('emulator-only');
      return { emulator: found, eventBridge };
    };
    afterEach(() => {
      emulator().emulator.faults.clear();
    });

    it.each([
      ['an error (500)', { kind: 'error', errorName: 'InternalException', status: 500 }],
      ['throttling', { kind: 'error', errorName: 'ThrottlingException', status: 400 }],
      ['a connection dropped before the answer', { kind: 'drop-before-apply' }],
      ['a connection dropped after the event was taken', { kind: 'drop-after-apply' }],
    ] as const)(
      '%s on every attempt leaves the result and end state as they are',
      async (_case, fault) => {
        // Prepare
        const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-fault'));
        emulator().emulator.faults.inject({ operation: 'PutEvents', times: 'always', ...fault });

        // Act
        const run = await invoke({ secretId: seeded.arn, pendingAction: 'discard' }, 0);

        // Assess
        expect(run.report).toMatchObject({
          status: 'remediated',
          decision: { rule: 'requested.discard' },
        });
        expect(await labelsOf(seeded.arn)).toEqual({
          [seeded.previousVersionId]: ['AWSPREVIOUS'],
          [seeded.currentVersionId]: ['AWSCURRENT'],
        });
        const { audit, metrics } = failuresOf(run);
        expect(audit).toEqual([
          expect.objectContaining({
            detailType: 'Rotation Remediated',
            eventBusName: busName,
            secretArn: seeded.arn,
            attempts: 3,
          }),
        ]);
        expect(metrics).toEqual([expect.objectContaining({ NotificationsFailed: 1 })]);
        expect(run.audit.find((r) => r.event === 'remediation.completed')).toMatchObject({
          status: 'remediated',
        });
      }
    );

    it('an entry failed inside a 200 answer, every time: an audit record and the metric', async () => {
      // Prepare
      const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-entry'));
      const failure = emulator().eventBridge.failEntries({
        times: 'always',
        errorCode: 'InternalFailure',
      });

      // Act
      const run = await invoke({ secretId: seeded.arn, pendingAction: 'discard' }, 0);
      failure.remove();

      // Assess
      expect(run.report?.status).toBe('remediated');
      expect(run.events).toEqual([]);
      expect(failuresOf(run).audit).toEqual([
        expect.objectContaining({ errorName: 'InternalFailure', attempts: 2 }),
      ]);
      expect(failuresOf(run).metrics).toHaveLength(1);
    });

    it.each([
      ['a retryable code, once: put on the retry', 'InternalFailure', 1, 0],
      ['a code no retry helps: not retried', 'MalformedDetail', 0, 1],
    ] as const)('an entry failed with %s', async (_case, errorCode, events, failures) => {
      // Prepare
      const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-entry-once'));
      emulator().eventBridge.failEntries({ times: 1, errorCode });

      // Act
      const run = await invoke({ secretId: seeded.arn, pendingAction: 'discard' }, events);

      // Assess
      expect(run.events).toHaveLength(events);
      expect(failuresOf(run).audit).toHaveLength(failures);
    });

    it('a remediation that throws (AwsCallFailed) puts one "Rotation Remediation Failed"', async () => {
      // Prepare
      const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-failed'));
      emulator().emulator.faults.inject({
        operation: 'UpdateSecretVersionStage',
        times: 'always',
        kind: 'error',
        errorName: 'InternalServiceError',
      });

      // Act
      const run = await invoke({ secretId: seeded.arn, pendingAction: 'discard' });

      // Assess
      expect(run.error?.name).toBe('AwsCallFailed');
      expect(run.events).toHaveLength(1);
      expect(run.events[0]).toMatchObject({
        detailType: 'Rotation Remediation Failed',
        resources: [seeded.arn],
        detail: {
          status: 'failed',
          secret: { arn: seeded.arn, name: seeded.name },
          decision: { rule: 'requested.discard', resolved: 'discard' },
          error: { name: 'AwsCallFailed', message: run.error?.message },
          after: null,
          trigger: 'direct',
        },
      });
      expect(run.events[0]?.detail.nextStep).toContain('--pending discard');
    });

    it('a replay emits nothing new', async () => {
      // Prepare: the duplicate's DescribeSecret answer is held back until the first run finished
      const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('ev-replay'));
      const command = { secretId: seeded.arn, pendingAction: 'discard' };
      emulator().emulator.faults.inject({
        operation: 'DescribeSecret',
        nth: 2,
        kind: 'latency',
        latencyMs: 500,
      });
      await sink.clear();
      capture.reset();
      capture.start();

      // Act
      const [first, second] = (await Promise.all([
        aws.bundle.handler(command, lambdaContext()),
        aws.bundle.handler(command, lambdaContext()),
      ]).finally(() => capture.stop())) as RemediationReport[];
      const events = await sink.received();

      // Assess
      expect([first?.replayed, second?.replayed].sort()).toEqual([true, undefined]);
      expect(events.map((e) => e.detailType)).toEqual(['Rotation Remediated']);
    });

    it('a sweep: one event per secret it acts on, then one "Rotation Sweep Completed"', async () => {
      // Prepare: old pending versions (the grace period counts from their creation)
      const stuck = await Promise.all(
        ['sweep-a', 'sweep-b'].map((name) =>
          seedFailedRotation(aws.target, { name: uniqueName(name), step: 'setSecret' })
        )
      );
      const twoHoursAgo = new Date(Date.now() - 7_200_000);
      for (const secret of stuck) {
        emulator().emulator.store.setPendingCreatedDate(
          secret.arn,
          secret.pendingVersionId,
          twoHoursAgo
        );
      }

      // Act
      const run = await invoke({ sweep: { reason: 'INC-2' } }, 0);

      // Assess
      const report = (
        run.report as unknown as {
          sweep: Record<string, unknown> & { results: { secretArn: string; status: string }[] };
        }
      ).sweep;
      const arnsWith = (statuses: string[]) =>
        report.results
          .filter((r) => statuses.includes(r.status))
          .map((r) => r.secretArn)
          .sort();
      const perSecret = run.events.filter((e) => e.detailType !== 'Rotation Sweep Completed');
      const isHeld = (e: ReceivedEvent) => e.detail.status === 'needs-decision';
      expect(
        perSecret
          .filter((e) => !isHeld(e))
          .map((e) => e.resources[0])
          .sort()
      ).toEqual(arnsWith(['remediated', 'refused', 'failed']));
      // a held decision announced earlier in this file is not announced again (reminders.test.ts)
      for (const event of perSecret.filter(isHeld)) {
        expect(arnsWith(['needs-decision'])).toContain(event.resources[0]);
      }
      expect(run.events.at(-1)).toMatchObject({
        detailType: 'Rotation Sweep Completed',
        detail: {
          counts: { stuck: report.stuck, remediated: report.remediated, failed: report.failed },
          requestReason: 'INC-2',
          trigger: 'sweep',
        },
      });
      expect(run.events.filter((e) => e.detailType === 'Rotation Sweep Completed')).toHaveLength(1);
    });
  }
);
