/**
 * The continuation string: an opaque token a sweep cut short by the deadline returns, and the next
 * run accepts as `{"sweep": {"continuation": "…"}}`.
 *
 * Format: `<base64url(JSON)>.<first 16 bytes of SHA-256(JSON), base64url>`, the JSON carrying a
 * format version, its kind (`sweep`) and the account and region that issued it. The digest catches
 * truncation, corruption and casual edits; it is not a signature (the function holds no key), and
 * nothing relies on it for safety: a continuation is a position, never a permission. The request
 * states `dryRun` itself and the token must agree, a token naming another account or region is
 * refused (src/triggers/sweep.ts, before any AWS call), and every secret it names is examined again
 * from scratch (ListSecretVersionIds, DescribeSecret, the planner and its REQUIRED_TAG scope)
 * before anything is done, exactly as if ListSecrets had returned it (docs/security.md).
 */
import * as z from 'zod/mini';
import { sealedContinuation } from '../aws/continuation.js';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN, SECRET_ARN_PATTERN } from '../identifiers.js';
import type { SweepContinuation } from './types.js';

/** Format version written into every continuation. */
export const CONTINUATION_VERSION = 1;

/** Longest continuation string accepted (well inside Lambda's 256 KB asynchronous payload). */
export const MAX_CONTINUATION_LENGTH = 200_000;

/** Most pending candidates a continuation may carry. */
export const MAX_PENDING_IN_CONTINUATION = 1_000;

const fieldsSchema = z
  .strictObject({
    a: z.optional(z.string().check(z.regex(ACCOUNT_ID_PATTERN))),
    g: z.optional(z.string().check(z.regex(REGION_PATTERN))),
    l: z.boolean(),
    t: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
    p: z
      .array(z.string().check(z.maxLength(2048), z.regex(SECRET_ARN_PATTERN)))
      .check(z.maxLength(MAX_PENDING_IN_CONTINUATION)),
    d: z.boolean(),
    s: z.iso.datetime(),
    r: z.int().check(z.minimum(1), z.maximum(1_000_000)),
  })
  .check(z.refine((fields) => !(fields.l && fields.t !== undefined))); // ended, yet a token

const sealed = sealedContinuation({
  kind: 'sweep',
  version: CONTINUATION_VERSION,
  maxLength: MAX_CONTINUATION_LENGTH,
  fields: fieldsSchema,
  // absent in the tokens issued before kinds were written; a report's token always names its own
  kindOptional: true,
  invalidMessage:
    'Invalid request: sweep.continuation: is not a continuation this function issued (corrupted or altered); start a new sweep without it.',
});

/** Encodes a continuation into its opaque string. */
export const encodeContinuation = (continuation: SweepContinuation): string =>
  sealed.seal({
    a: continuation.scope?.account,
    g: continuation.scope?.region,
    l: continuation.listed,
    t: continuation.nextToken,
    p: continuation.pending,
    d: continuation.dryRun,
    s: continuation.startedAt,
    r: continuation.run,
  });

/**
 * Decodes a continuation string. Anything that is not exactly what {@link encodeContinuation}
 * wrote (bad base64, wrong digest, unknown version or fields, a listing both ended and with a
 * token) is a ValidationError whose message never echoes the input.
 */
export const decodeContinuation = (text: string): SweepContinuation => {
  const { a, g, l, t, p, d, s, r } = sealed.open(text);
  return {
    ...(a === undefined && g === undefined ? {} : { scope: { account: a, region: g } }),
    listed: l,
    nextToken: t,
    pending: p,
    dryRun: d,
    startedAt: s,
    run: r,
  };
};
