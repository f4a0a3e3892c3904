/**
 * No canary planted in a sample event reaches an outcome event, without AWS. Every string field of
 * every sample (and of an HTTP sample's JSON body) gets a credential canary, one field at a time,
 * and the plain canary goes where the trigger never reads (an unknown field, the query string,
 * cookies). The event goes through its trigger adapter; for whatever command comes out, every event
 * that command can lead to (the outcome, the Failed event, the Sweep Completed event), built by
 * src/notifications/detail.ts over outcomes that fast-check draws and serialised as EventBridge gets
 * it, carries neither canary. The built bundle's side of the property (the notifier sends what
 * serializeDetail makes) is one invocation per sample in test/integration/notifications.test.ts.
 */
import fc from 'fast-check';
import { MethodNotAllowed, ValidationError } from '../../../src/errors.js';
import {
  FAILURE_ERROR_NAMES,
  failureNotification,
  outcomeNotification,
  serializeDetail,
  sweepNotification,
} from '../../../src/notifications/detail.js';
import type { Notification } from '../../../src/notifications/types.js';
import type {
  Decision,
  FailureRecord,
  RemediationReport,
  RemediationRequest,
  StateSnapshot,
} from '../../../src/remediation/types.js';
import {
  EventTie,
  LookupState,
  RemediationStatus,
  ResolvedAction,
  RotationStep,
  Rule,
  StepSource,
} from '../../../src/remediation/types.js';
import { selectTrigger } from '../../../src/triggers/index.js';
import type { TriggerCommand } from '../../../src/triggers/types.js';
import { lambdaContext } from '../../helpers/bundle.js';
import { leakedCanary, plainExtras, plantAt, plantings } from '../../helpers/canaries.js';
import {
  loadSample,
  readExpectations,
  SAMPLE_SECRET_ARN,
  SAMPLE_SECRET_NAME,
  testConfig,
} from '../../helpers/samples.js';

/** Outcomes drawn per planted field: about 200 to 400 a sample, so every status and rule is drawn. */
const RUNS_PER_FIELD = 10;

/** The command a trigger makes of `event`; undefined when it rejects it (the handler puts no event then). */
const commandOf = (event: unknown): TriggerCommand | undefined => {
  try {
    return selectTrigger(event).toCommand(event, lambdaContext(), testConfig());
  } catch (error) {
    if (error instanceof ValidationError || error instanceof MethodNotAllowed) return undefined;
    throw error;
  }
};

const text = fc.string({ maxLength: 20 });

const snapshot: fc.Arbitrary<StateSnapshot> = fc.record({
  rotationEnabled: fc.option(fc.boolean(), { nil: null }),
  versionIdsToStages: fc.dictionary(
    fc.uuid(),
    fc.subarray(['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'])
  ),
  lastRotatedDate: fc.constant(null),
  nextRotationDate: fc.option(fc.constant('2026-12-01T00:00:00.000Z'), { nil: null }),
  rotationLambdaArn: fc.constant(null),
});

/**
 * A decision's evidence: its record is the request's event (what the adapter copied of it: its
 * time and ids) or a history record, or none.
 */
const evidenceOf = (request: RemediationRequest): fc.Arbitrary<Decision['evidence']> =>
  fc.record({
    stepSource: fc.constantFrom(...Object.values(StepSource)),
    lookup: fc.constantFrom(...Object.values(LookupState)),
    lookupError: fc.option(text, { nil: null }),
    record: fc.option<FailureRecord>(
      request.failureEvent === undefined
        ? fc.record({
            source: fc.constant('history' as const),
            time: fc.constant<string | null>('2026-12-01T00:00:00.000Z'),
            id: fc.option(text, { nil: null }),
            requestId: fc.option(text, { nil: null }),
          })
        : fc.constant<FailureRecord>({
            source: 'event',
            time: request.failureEvent.time,
            id: request.failureEvent.id ?? null,
            requestId: request.failureEvent.requestId ?? null,
          }),
      { nil: null }
    ),
    eventTie: fc.option(fc.constantFrom(...Object.values(EventTie)), { nil: null }),
    eventAgeSeconds: fc.option(fc.nat(), { nil: null }),
    pendingVersionId: fc.option(fc.uuid(), { nil: null }),
    pendingVersionCreatedAt: fc.constant(null),
    pendingVersionAgeSeconds: fc.option(fc.nat(), { nil: null }),
  });

const decisionOf = (request: RemediationRequest): fc.Arbitrary<Decision> =>
  fc.record({
    requested: fc.constantFrom('auto', 'discard', 'promote', 'resume'),
    resolved: fc.constantFrom(...Object.values(ResolvedAction)),
    rule: fc.constantFrom(...Object.values(Rule)),
    failedStep: fc.option(fc.constantFrom(...Object.values(RotationStep)), { nil: null }),
    evidence: evidenceOf(request),
  });

/**
 * What the service may make of a request: the report of a remediation or the failure of one. The
 * secret is the one AWS resolved (the sample's: a `secretId` replaced by a canary names no secret,
 * so nothing is reported on it); the error message repeats the request's `secretId`.
 */
const outcomeOf = (request: RemediationRequest) =>
  fc.record({
    secret: fc.constant({ arn: SAMPLE_SECRET_ARN, name: SAMPLE_SECRET_NAME }),
    status: fc.constantFrom(...Object.values(RemediationStatus)),
    decision: decisionOf(request),
    reason: text,
    before: snapshot,
    after: snapshot,
    errorName: fc.constantFrom(...FAILURE_ERROR_NAMES),
    errorMessage: text.map((message) => `${message} ${request.secretId}`),
  });

type Outcome = ReturnType<typeof outcomeOf> extends fc.Arbitrary<infer T> ? T : never;

/** Every event a remediation request can lead to, for one drawn outcome. */
const remediationEvents = (
  request: RemediationRequest,
  outcome: Outcome
): (Notification | undefined)[] => {
  const report: RemediationReport = {
    status: outcome.status,
    dryRun: request.dryRun,
    secret: outcome.secret,
    decision: outcome.decision,
    reason: outcome.reason,
    actions: [{ operation: 'CancelRotateSecret' }],
    before: outcome.before,
    after: outcome.after,
  };
  const error = Object.assign(new Error(outcome.errorMessage), { name: outcome.errorName });
  const failed = {
    secret: outcome.secret,
    decision: outcome.decision,
    reason: outcome.reason,
    actions: [],
    after: outcome.after,
  };
  return [outcomeNotification(report, request), failureNotification(failed, request, error)];
};

const counts = fc.record({
  candidates: fc.nat(),
  stuck: fc.nat(),
  running: fc.nat(),
  cleared: fc.nat(),
  skipped: fc.nat(),
  remediated: fc.nat(),
  alreadyClean: fc.nat(),
  planned: fc.nat(),
  needsDecision: fc.nat(),
  refused: fc.nat(),
  inProgress: fc.nat(),
  failed: fc.nat(),
  remaining: fc.nat(),
  throttled: fc.nat(),
});

/**
 * Every event a command can lead to, serialised as EventBridge gets it (`serializeDetail`) with
 * its resources; `[]` for a rejected event, an ignored one and the report (which puts none).
 */
const eventTextsOf = (command: TriggerCommand | undefined): fc.Arbitrary<string[]> => {
  const texts = (events: (Notification | undefined)[]) =>
    events
      .filter((event): event is Notification => event !== undefined)
      .map((event) => `${serializeDetail(event.detail)}\n${event.resources.join(' ')}`);
  if (command === undefined || command.kind === 'ignore' || command.kind === 'report') {
    return fc.constant([]);
  }
  if (command.kind === 'sweep') {
    // the Sweep Completed event, and the event of each secret it acts on (a request of its own)
    const perSecret: RemediationRequest = {
      secretId: SAMPLE_SECRET_ARN,
      dryRun: command.sweep.dryRun ?? false,
      pendingAction: 'auto',
      trigger: 'sweep',
      reason: 'sweep: pending since an unknown date',
      ...(command.correlationId === undefined ? {} : { correlationId: command.correlationId }),
    };
    return fc
      .tuple(counts, fc.nat(), outcomeOf(perSecret))
      .map(([drawn, durationMs, outcome]) =>
        texts([
          sweepNotification(
            { ...drawn, dryRun: command.sweep.dryRun ?? false, durationMs },
            { correlationId: command.correlationId, reason: command.sweep.reason }
          ),
          ...remediationEvents(perSecret, outcome),
        ])
      );
  }
  return outcomeOf(command.request).map((outcome) =>
    texts(remediationEvents(command.request, outcome))
  );
};

describe('canaries planted in a sample never reach an event', () => {
  // report.json has no string field to plant in (its one string option, the continuation, is absent)
  const rows = readExpectations().filter((row) => row.file !== 'report.json');

  it.each(rows.map((row) => [row.file, row] as const))(
    '%s: a credential in any string field, the plain canary outside the command',
    (file, row) => {
      // Prepare
      const sample = loadSample(file);
      const planted = plantings(sample).map((planting) => ({
        label: planting.label,
        event: {
          ...plantAt(sample, planting.path, planting.inBody, planting.canary.value),
          ...plainExtras(row.trigger),
        },
      }));

      // Act
      const leaks = new Set<string>();
      let events = 0;
      for (const { label, event } of planted) {
        const command = commandOf(event);
        fc.assert(
          fc.property(eventTextsOf(command), (texts) => {
            events += texts.length;
            const leaked = texts.map(leakedCanary).find((found) => found !== undefined);
            if (leaked !== undefined) leaks.add(`${label}: ${leaked}`);
          }),
          { numRuns: RUNS_PER_FIELD }
        );
      }

      // Assess
      expect(planted.length).toBeGreaterThan(0);
      expect([...leaks]).toEqual([]);
      if (!['ignored', 'planned'].includes(row.outcome)) expect(events).toBeGreaterThan(0);
    }
  );
});
