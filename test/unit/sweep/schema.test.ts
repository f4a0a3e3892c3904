import type { Context } from 'aws-lambda';
import { ValidationError } from '../../../src/errors.js';
import { encodeContinuation } from '../../../src/sweep/continuation.js';
import type { SweepContinuation } from '../../../src/sweep/types.js';
import { selectTrigger, triggers } from '../../../src/triggers/index.js';
import { parseSweepEvent, sweepTrigger } from '../../../src/triggers/sweep.js';
import { CANARY, CANARY_JUNK, loadSample, testConfig } from '../../helpers/samples.js';

const continuation: SweepContinuation = {
  listed: false,
  nextToken: 'next-page',
  pending: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf'],
  dryRun: true,
  startedAt: '2026-03-01T12:00:00.000Z',
  run: 2,
};

describe('the sweep schema', () => {
  it.each([
    { name: 'no option', event: { sweep: {} }, request: {} },
    { name: 'a dry run', event: { sweep: { dryRun: true } }, request: { dryRun: true } },
    { name: 'a live run', event: { sweep: { dryRun: false } }, request: { dryRun: false } },
    {
      name: 'a reason',
      event: { sweep: { reason: 'INC-4711' } },
      request: { reason: 'INC-4711' },
    },
    {
      name: 'a continuation with the dryRun it was issued with',
      event: { sweep: { continuation: encodeContinuation(continuation), dryRun: true } },
      request: { continuation, dryRun: true },
    },
  ] as const)('accepts $name', ({ event, request }) => {
    // Act & Assess
    expect(parseSweepEvent(event)).toEqual(request);
  });

  it.each([
    { name: 'a typo in an option', event: { sweep: { dryrun: true } }, mentions: 'sweep:' },
    { name: 'a dryRun string', event: { sweep: { dryRun: 'true' } }, mentions: 'sweep.dryRun' },
    { name: 'a secret to sweep', event: { sweep: { secretId: 'app/db' } }, mentions: 'sweep:' },
    {
      name: 'a reason that is no string',
      event: { sweep: { reason: 7 } },
      mentions: 'sweep.reason',
    },
    {
      name: 'a reason of 1025 characters',
      event: { sweep: { reason: 'x'.repeat(1025) } },
      mentions: 'sweep.reason: must be at most 1024 characters',
    },
    {
      name: 'a continuation without dryRun',
      event: { sweep: { continuation: encodeContinuation(continuation) } },
      mentions: 'needs sweep.dryRun stated',
    },
    {
      name: 'a dry-run continuation run live',
      event: { sweep: { continuation: encodeContinuation(continuation), dryRun: false } },
      mentions: 'was issued by a dry run',
    },
    { name: 'sweep: null', event: { sweep: null }, mentions: 'sweep' },
    { name: 'sweep: true', event: { sweep: true }, mentions: 'sweep' },
    { name: 'sweep: []', event: { sweep: [] }, mentions: 'sweep' },
    { name: 'an unknown top-level key', event: { sweep: {}, extra: 1 }, mentions: 'unknown' },
    {
      name: 'an empty continuation',
      event: { sweep: { continuation: '' } },
      mentions: 'sweep.continuation',
    },
    {
      name: 'a continuation that is no string',
      event: { sweep: { continuation: 42 } },
      mentions: 'sweep.continuation',
    },
    {
      name: 'a forged continuation',
      event: { sweep: { continuation: `${CANARY}.${'A'.repeat(22)}` } },
      mentions: 'sweep.continuation: is not a continuation this function issued',
    },
    {
      name: 'junk in the continuation',
      event: { sweep: { continuation: CANARY_JUNK } },
      mentions: 'sweep.continuation',
    },
  ])('refuses $name', ({ event, mentions }) => {
    // Act
    const act = () => parseSweepEvent(event);

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(mentions);
    expect(act).not.toThrow(new RegExp(CANARY));
  });
});

describe('the sweep trigger', () => {
  it.each([
    [{ sweep: {} }, 'sweep'],
    [{ sweep: 'anything' }, 'sweep'],
    [{ sweep: {}, secretId: 'app/db' }, 'direct'],
  ] as const)('%j is detected as %s', (event, name) => {
    // Act & Assess
    expect(selectTrigger(event).name).toBe(name);
  });

  it.each([
    { sweep: {}, source: 'aws.events' },
    { sweep: {}, requestContext: {} },
    { sweep: {}, source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm State Change' },
  ])('does not claim %j, which carries another trigger’s key', (event) => {
    // Act & Assess
    expect(sweepTrigger.matches(event)).toBe(false);
    expect(triggers.filter((adapter) => adapter.matches(event)).length).toBeLessThanOrEqual(1);
  });

  it('turns the sample into a sweep with the Lambda request id', () => {
    // Prepare
    const context = { awsRequestId: 'req-sweep-1' } as Context;

    // Act
    const result = sweepTrigger.toCommand(loadSample('sweep.json'), context, testConfig());

    // Assess
    expect(result).toEqual({
      kind: 'sweep',
      sweep: { dryRun: false, reason: 'scheduled sweep' },
      correlationId: 'req-sweep-1',
    });
  });

  it('fails visibly: errors are rethrown, reports returned as they are', () => {
    // Prepare
    const error = new ValidationError('x');
    const report = { status: 'ignored', reason: 'r' } as const;

    // Act & Assess
    expect(() => sweepTrigger.toErrorResponse(error)).toThrow(error);
    expect(sweepTrigger.toResponse(report)).toBe(report);
  });
});
