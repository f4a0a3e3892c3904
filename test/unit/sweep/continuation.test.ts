import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { ValidationError } from '../../../src/errors.js';
import {
  decodeContinuation,
  encodeContinuation,
  MAX_CONTINUATION_LENGTH,
  MAX_PENDING_IN_CONTINUATION,
} from '../../../src/sweep/continuation.js';
import type { SweepContinuation } from '../../../src/sweep/types.js';
import { CANARY } from '../../helpers/samples.js';

const arn = (n: number): string =>
  `arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-${n}-AbCdEf`;

const full: SweepContinuation = {
  listed: false,
  nextToken: 'eyJzIjoic2VjcmV0cyIsIm8iOjEwMCwicCI6MX0',
  pending: [arn(1), arn(2)],
  dryRun: false,
  startedAt: '2026-03-01T12:00:00.000Z',
  run: 1,
};

/** A continuation string made of `json`, with a correct digest unless one is given. */
const forge = (json: string, digest?: string): string => {
  const real = encodeContinuation(full).split('.')[1] ?? '';
  const body = Buffer.from(json, 'utf8').toString('base64url');
  return `${body}.${digest ?? real}`;
};

/** Re-encodes the payload of a valid continuation after `edit`, keeping its original digest. */
const tamper = (edit: (payload: Record<string, unknown>) => void): string => {
  const [body = '', digest = ''] = encodeContinuation(full).split('.');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  edit(payload);
  return `${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}.${digest}`;
};

describe('continuation round trip', () => {
  it.each([
    { name: 'listing and pending candidates', continuation: full },
    {
      name: 'listing ended, candidates pending',
      continuation: {
        listed: true,
        pending: [arn(3)],
        dryRun: true,
        startedAt: full.startedAt,
        run: 4,
      },
    },
    {
      name: 'pages left, no candidate pending',
      continuation: { ...full, pending: [] },
    },
    {
      name: 'listing not started yet',
      continuation: {
        listed: false,
        pending: [],
        dryRun: false,
        startedAt: full.startedAt,
        run: 1,
      },
    },
    {
      name: 'as many candidates as allowed',
      continuation: {
        ...full,
        pending: Array.from({ length: MAX_PENDING_IN_CONTINUATION }, (_, n) => arn(n)),
      },
    },
  ] as const satisfies readonly { name: string; continuation: SweepContinuation }[])(
    '$name',
    ({ continuation }) => {
      // Act
      const text = encodeContinuation(continuation);

      // Assess
      expect(text).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
      expect(decodeContinuation(text)).toEqual(continuation);
    }
  );
});

describe('decodeContinuation refuses what it did not issue', () => {
  it.each([
    { name: 'an empty string', text: '' },
    { name: 'no digest', text: encodeContinuation(full).split('.')[0] ?? '' },
    { name: 'a truncated string', text: encodeContinuation(full).slice(0, -5) },
    { name: 'a truncated body', text: encodeContinuation(full).slice(10) },
    { name: 'a character changed', text: `x${encodeContinuation(full).slice(1)}` },
    { name: 'a wrong digest', text: forge(JSON.stringify({ v: 1 }), 'A'.repeat(22)) },
    { name: 'standard base64 padding', text: `${encodeContinuation(full)}==` },
    { name: 'junk', text: `${CANARY} <"\n>` },
    {
      name: 'another ARN slipped in (digest kept)',
      text: tamper((payload) => {
        payload.p = [arn(9)];
      }),
    },
    {
      name: 'dryRun flipped (digest kept)',
      text: tamper((payload) => {
        payload.d = true;
      }),
    },
    {
      name: 'too long',
      text: 'A'.repeat(MAX_CONTINUATION_LENGTH + 1),
    },
  ])('$name', ({ text }) => {
    // Act
    const act = () => decodeContinuation(text);

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(/sweep\.continuation: is not a continuation this function issued/);
  });

  const digestOf = (json: string): string =>
    createHash('sha256').update(json, 'utf8').digest().subarray(0, 16).toString('base64url');

  it('a well-digested body that is not JSON', () => {
    // Prepare
    const json = `{"v":1,${CANARY}`;

    // Act
    const act = () => decodeContinuation(forge(json, digestOf(json)));

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).not.toThrow(new RegExp(CANARY));
  });

  it.each([
    {
      name: 'an unknown version',
      payload: { v: 2, l: false, p: [], d: false, s: full.startedAt, r: 1 },
    },
    {
      name: 'an unknown field',
      payload: { v: 1, l: false, p: [], d: false, s: full.startedAt, r: 1, x: CANARY },
    },
    {
      name: 'a pending entry that is no ARN',
      payload: { v: 1, l: false, p: [CANARY], d: false, s: full.startedAt, r: 1 },
    },
    { name: 'no run count', payload: { v: 1, l: false, p: [], d: false, s: full.startedAt } },
    {
      name: 'a run count of 0',
      payload: { v: 1, l: false, p: [], d: false, s: full.startedAt, r: 0 },
    },
    { name: 'a bad start date', payload: { v: 1, l: false, p: [], d: false, s: CANARY, r: 1 } },
    {
      name: 'an empty token',
      payload: { v: 1, l: false, t: '', p: [], d: false, s: full.startedAt, r: 1 },
    },
    {
      name: 'too many pending entries',
      payload: {
        v: 1,
        l: false,
        p: Array.from({ length: MAX_PENDING_IN_CONTINUATION + 1 }, (_, n) => arn(n)),
        d: false,
        s: full.startedAt,
        r: 1,
      },
    },
    { name: 'JSON that is no object', payload: [1, 2, 3] },
    { name: 'no listing flag', payload: { v: 1, p: [], d: false, s: full.startedAt, r: 1 } },
    {
      name: 'a token although listing had ended',
      payload: { v: 1, l: true, t: 'x', p: [], d: false, s: full.startedAt, r: 1 },
    },
  ])('a well-digested payload with $name', ({ payload }) => {
    // Prepare: a correct digest, so only the payload check can refuse it
    const json = JSON.stringify(payload);
    const text = forge(json, digestOf(json));

    // Act
    const act = () => decodeContinuation(text);

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).not.toThrow(new RegExp(CANARY));
  });
});
