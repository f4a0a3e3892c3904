/**
 * Which RotationFailed record of CloudTrail's history belongs to a stuck pending version (pure).
 */
import type { RotationFailure } from '../../../src/history/match.js';
import {
  findFailure,
  Relation,
  relationOf,
  toRotationFailure,
} from '../../../src/history/match.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const PENDING = 'c0000000-0000-4000-8000-000000000003';
const target = { secretArn: ARN, secretName: 'prod/db', pendingVersionId: PENDING };
const created = new Date('2026-11-29T10:00:00Z');
/** A record's time where its value does not matter (a fixed instant, never the clock). */
const AT = new Date('2026-11-29T11:00:00Z');

const failure = (overrides: Partial<RotationFailure> = {}): RotationFailure => ({
  eventId: 'e-1',
  eventTime: new Date('2026-11-29T10:05:00Z'),
  secretId: ARN,
  errorMessage:
    'Error when executing lambda arn:aws:lambda:us-east-1:123456789012:function:r during testSecret step',
  requestId: `Rotation-${ARN}-${PENDING}`,
  ...overrides,
});

describe('relationOf', () => {
  it.each<{ case: string; overrides: Partial<RotationFailure>; expected: Relation }>([
    { case: 'its requestID names the pending version', overrides: {}, expected: Relation.Exact },
    {
      case: 'it names the secret by name',
      overrides: { secretId: 'prod/db' },
      expected: Relation.Exact,
    },
    {
      case: 'a plain requestID',
      overrides: { requestId: 'a1b2c3' },
      expected: Relation.SameSecret,
    },
    { case: 'no requestID', overrides: { requestId: undefined }, expected: Relation.SameSecret },
    {
      // whether AWS writes the pending version's id there is unconfirmed: never rules a record out
      case: 'another id named by the requestID, not older than the pending version',
      overrides: { requestId: `Rotation-${ARN}-d0000000-0000-4000-8000-000000000004` },
      expected: Relation.SameSecret,
    },
    {
      case: 'another secret, same name prefix',
      overrides: { secretId: `${ARN}x` },
      expected: Relation.Other,
    },
    {
      case: 'another secret by name',
      overrides: { secretId: 'prod/db-old' },
      expected: Relation.Other,
    },
    {
      case: 'older than the pending version',
      overrides: { eventTime: new Date('2026-11-29T09:59:59Z') },
      expected: Relation.Other,
    },
    { case: 'at the very creation', overrides: { eventTime: created }, expected: Relation.Exact },
  ])('$case → $expected', ({ overrides, expected }) => {
    // Act
    const relation = relationOf(failure(overrides), target, created);

    // Assess
    expect(relation).toBe(expected);
  });
});

describe('findFailure', () => {
  it('takes the newest record that counts, and the step its message names', () => {
    // Prepare: newest first, as LookupEvents answers
    const failures = [
      failure({ eventId: 'other', secretId: 'someone-else' }),
      failure({ eventId: 'newer', errorMessage: 'during finishSecret step' }),
      failure({ eventId: 'older', errorMessage: 'during setSecret step' }),
    ];

    // Act
    const found = findFailure(failures, target, created);

    // Assess
    expect(found).toMatchObject({
      failure: { eventId: 'newer' },
      step: 'finishSecret',
      exact: true,
    });
  });

  it.each([
    ['a message naming no step', 'Task timed out after 30.00 seconds'],
    ['a message naming two steps', 'during setSecret step, then during testSecret step'],
    ['no message', undefined],
  ])('%s: found, with no step', (_case, errorMessage) => {
    // Act
    const found = findFailure([failure({ errorMessage })], target, created);

    // Assess
    expect(found?.step).toBeUndefined();
    expect(found?.failure.eventId).toBe('e-1');
  });

  it('nothing that counts: undefined', () => {
    // Act & Assess
    expect(findFailure([failure({ secretId: 'x' })], target, created)).toBeUndefined();
  });
});

describe('toRotationFailure', () => {
  it('reads the parts of the record the look-up uses', () => {
    // Prepare
    const entry = {
      EventId: 'e-9',
      EventTime: new Date('2026-11-29T10:05:00Z'),
      CloudTrailEvent: JSON.stringify({
        additionalEventData: { SecretId: ARN },
        errorMessage: 'during setSecret step',
        requestID: 'r-1',
      }),
    };

    // Act
    const parsed = toRotationFailure(entry);

    // Assess
    expect(parsed).toEqual({
      eventId: 'e-9',
      eventTime: entry.EventTime,
      secretId: ARN,
      errorMessage: 'during setSecret step',
      requestId: 'r-1',
    });
  });

  it.each([
    ['no time', { CloudTrailEvent: '{}' }],
    ['no record', { EventTime: AT }],
    ['a record that is not JSON', { EventTime: AT, CloudTrailEvent: '{not json' }],
    ['a record that is not an object', { EventTime: AT, CloudTrailEvent: '[1,2]' }],
  ])('%s: undefined', (_case, entry) => {
    // Act & Assess
    expect(toRotationFailure(entry)).toBeUndefined();
  });

  it('fields of the wrong type are left out, never trusted', () => {
    // Act
    const parsed = toRotationFailure({
      EventTime: AT,
      CloudTrailEvent: JSON.stringify({
        additionalEventData: { SecretId: 7 },
        errorMessage: {},
        requestID: [],
      }),
    });

    // Assess
    expect(parsed).toMatchObject({
      secretId: undefined,
      errorMessage: undefined,
      requestId: undefined,
    });
  });
});
