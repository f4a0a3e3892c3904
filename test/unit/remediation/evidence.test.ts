import { assessEvidence, noEvidence, tieEvent } from '../../../src/remediation/evidence.js';
import type { FailureEvent, StepLookup } from '../../../src/remediation/types.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf';
const PEND = 'c0000000-0000-4000-8000-000000000003';
const OLD = 'd0000000-0000-4000-8000-000000000004';
const CREATED = new Date('2026-11-30T00:00:00.000Z');
const NOW = new Date('2026-11-30T02:00:00.000Z');

const event = (overrides: Partial<FailureEvent> = {}): FailureEvent => ({
  eventName: 'RotationFailed',
  time: '2026-11-30T00:10:00.000Z',
  id: 'ev-1',
  requestId: `Rotation-${ARN}-${PEND}`,
  ...overrides,
});

describe('tieEvent: an event acts only on the version it failed', () => {
  it.each<{ case: string; failure: FailureEvent; ids: string[] | undefined; expected: string }>([
    {
      case: 'its requestID names the pending version',
      failure: event(),
      ids: [PEND, OLD],
      expected: 'exact',
    },
    {
      case: 'the pending version, even with the versions unread',
      failure: event(),
      ids: undefined,
      expected: 'exact',
    },
    {
      case: 'its requestID names a superseded version of this secret',
      failure: event({ requestId: `Rotation-${ARN}-${OLD}` }),
      ids: [PEND, OLD],
      expected: 'stale-superseded',
    },
    {
      case: 'another id, no version of this secret, not older than the pending version',
      failure: event({ requestId: `Rotation-${ARN}-e0000000-0000-4000-8000-000000000005` }),
      ids: [PEND, OLD],
      expected: 'by-time',
    },
    {
      case: 'a plain requestID, after the pending version',
      failure: event({ requestId: '9c4b2e61-3f0a-4d7e-8b15-2a6c0d9e7f11' }),
      ids: [PEND],
      expected: 'by-time',
    },
    {
      case: 'a plain requestID, at the very creation',
      failure: event({ requestId: undefined, time: CREATED.toISOString() }),
      ids: [PEND],
      expected: 'by-time',
    },
    {
      case: 'a plain requestID, three hours older than the pending version (a replay)',
      failure: event({ requestId: undefined, time: '2026-11-29T21:00:00.000Z' }),
      ids: [PEND],
      expected: 'stale-older',
    },
    {
      case: 'another id while the versions could not be read',
      failure: event({ requestId: `Rotation-${ARN}-${OLD}` }),
      ids: undefined,
      expected: 'unknown',
    },
  ])('$case → $expected', ({ failure, ids, expected }) => {
    // Act
    const tie = tieEvent(failure, {
      secretArn: ARN,
      pendingVersionId: PEND,
      versionIds: ids === undefined ? undefined : new Set(ids),
      pendingCreatedAt: CREATED,
    });

    // Assess
    expect(tie).toBe(expected);
  });

  it('cannot tie by time without the pending version creation', () => {
    // Act
    const tie = tieEvent(event({ requestId: undefined }), {
      secretArn: ARN,
      pendingVersionId: PEND,
      versionIds: new Set([PEND]),
      pendingCreatedAt: undefined,
    });

    // Assess
    expect(tie).toBe('unknown');
  });
});

const lookup = (overrides: Partial<StepLookup>): StepLookup => ({
  outcome: 'found',
  step: 'setSecret',
  eventTime: '2026-11-30T00:10:00.000Z',
  exact: true,
  pages: 1,
  eventId: 'ct-1',
  requestId: `Rotation-${ARN}-${PEND}`,
  ...overrides,
});

describe('assessEvidence: every decision names what it rests on', () => {
  const base = {
    secretArn: ARN,
    pendingVersionId: PEND,
    event: undefined,
    versions: { ids: new Set([PEND]), pendingCreatedAt: CREATED },
    pendingCreatedAt: undefined,
    now: NOW,
  };

  it.each<{
    case: string;
    input: Partial<Parameters<typeof assessEvidence>[0]>;
    step: string | undefined;
    expected: Record<string, unknown>;
  }>([
    {
      case: 'a record naming the pending version',
      input: { lookup: lookup({}) },
      step: 'setSecret',
      expected: {
        stepSource: 'history-exact',
        lookup: 'complete',
        record: {
          source: 'history',
          time: '2026-11-30T00:10:00.000Z',
          id: 'ct-1',
          requestId: `Rotation-${ARN}-${PEND}`,
        },
      },
    },
    {
      case: 'a record of the secret by time',
      input: { lookup: lookup({ exact: false, requestId: 'plain' }) },
      step: 'setSecret',
      expected: { stepSource: 'history-by-time', lookup: 'complete' },
    },
    {
      case: 'no record',
      input: {
        lookup: lookup({
          outcome: 'not-found',
          step: undefined,
          eventTime: null,
          exact: false,
          eventId: undefined,
          requestId: undefined,
        }),
      },
      step: undefined,
      expected: { stepSource: 'none', lookup: 'complete', record: null },
    },
    {
      case: 'a record naming no step (a time-out)',
      input: { lookup: lookup({ outcome: 'no-step', step: undefined }) },
      step: undefined,
      expected: { stepSource: 'none', lookup: 'complete' },
    },
    ...(
      [
        ['denied', 'denied'],
        ['throttled', 'throttled'],
        ['timed-out', 'failed'],
        ['failed', 'failed'],
        ['incomplete', 'window-incomplete'],
      ] as const
    ).map(([outcome, state]) => ({
      case: `a look-up ${outcome}`,
      input: { lookup: lookup({ outcome, step: undefined, eventTime: null, errorName: 'Boom' }) },
      step: undefined,
      expected: { stepSource: 'none', lookup: state, lookupError: 'Boom', record: null },
    })),
    {
      case: 'the look-up off',
      input: { lookup: 'off' as const },
      step: undefined,
      expected: { lookup: 'off', stepSource: 'none' },
    },
    {
      case: 'a tied event naming the step',
      input: {
        lookup: 'not-needed' as const,
        event: { failure: event(), step: 'finishSecret' as const },
      },
      step: 'finishSecret',
      expected: {
        stepSource: 'event',
        eventTie: 'exact',
        eventAgeSeconds: 6600,
        record: {
          source: 'event',
          time: '2026-11-30T00:10:00.000Z',
          id: 'ev-1',
          requestId: `Rotation-${ARN}-${PEND}`,
        },
      },
    },
    {
      case: 'a stale event: its step never counts',
      input: {
        lookup: 'not-needed' as const,
        event: {
          failure: event({ requestId: undefined, time: '2026-11-29T21:00:00.000Z' }),
          step: 'finishSecret' as const,
        },
      },
      step: undefined,
      expected: { stepSource: 'none', eventTie: 'stale-older', record: null },
    },
    {
      case: 'the versions unreadable',
      input: { lookup: 'off' as const, versions: 'AccessDeniedException' },
      step: undefined,
      expected: {
        lookupError: 'AccessDeniedException',
        pendingVersionCreatedAt: null,
        pendingVersionAgeSeconds: null,
      },
    },
  ])('$case', ({ input, step, expected }) => {
    // Act
    const assessed = assessEvidence({ ...base, lookup: 'not-needed', ...input });

    // Assess
    expect(assessed.step).toBe(step);
    expect(assessed.evidence).toEqual(expect.objectContaining(expected));
  });

  it('ages the pending version from the one clock reading it is given', () => {
    // Act
    const { evidence } = assessEvidence({ ...base, lookup: 'off' });

    // Assess
    expect(evidence.pendingVersionCreatedAt).toBe(CREATED.toISOString());
    expect(evidence.pendingVersionAgeSeconds).toBe(7200);
    expect(evidence.pendingVersionId).toBe(PEND);
  });

  it('prefers the creation the caller already knows (the sweep)', () => {
    // Act
    const { evidence } = assessEvidence({
      ...base,
      versions: undefined,
      pendingCreatedAt: new Date('2026-11-30T01:00:00.000Z'),
      lookup: 'off',
    });

    // Assess
    expect(evidence.pendingVersionAgeSeconds).toBe(3600);
  });

  it('names no evidence where none was needed', () => {
    // Act & Assess
    expect(noEvidence(undefined)).toEqual({
      stepSource: 'none',
      lookup: 'not-needed',
      lookupError: null,
      record: null,
      eventTie: null,
      eventAgeSeconds: null,
      pendingVersionId: null,
      pendingVersionCreatedAt: null,
      pendingVersionAgeSeconds: null,
    });
  });
});
