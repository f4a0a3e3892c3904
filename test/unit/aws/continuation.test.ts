import * as z from 'zod/mini';
import { sealedContinuation } from '../../../src/aws/continuation.js';
import { sealJson } from '../../../src/aws/sealed-json.js';
import { ValidationError } from '../../../src/errors.js';

const fields = z.strictObject({ n: z.int() });

const kindOf = (kind: string, kindOptional = false) =>
  sealedContinuation({
    kind,
    version: 1,
    maxLength: 1_000,
    fields,
    kindOptional,
    invalidMessage: `invalid ${kind} continuation`,
  });

describe('sealedContinuation', () => {
  it('opens what it seals, the kind and version written beside the fields', () => {
    // Prepare
    const sealed = kindOf('alpha');

    // Act
    const token = sealed.seal({ n: 7 });

    // Assess
    expect(sealed.open(token)).toEqual({ n: 7 });
    expect(token).toBe(sealJson({ v: 1, k: 'alpha', n: 7 }));
  });

  it.each([
    ['another kind', sealJson({ v: 1, k: 'beta', n: 7 })],
    ['no kind', sealJson({ v: 1, n: 7 })],
    ['another version', sealJson({ v: 2, k: 'alpha', n: 7 })],
    ['a field the kind does not have', sealJson({ v: 1, k: 'alpha', n: 7, x: 1 })],
    ['a field of the wrong type', sealJson({ v: 1, k: 'alpha', n: 'seven' })],
    ['a string too long', sealJson({ v: 1, k: 'alpha', n: 7, pad: 'x'.repeat(1_000) })],
    ['not a sealed string', 'canary-not-a-token'],
  ])('refuses %s, without echoing the input', (_what, token) => {
    // Act
    const open = () => kindOf('alpha').open(token);

    // Assess
    expect(open).toThrow(ValidationError);
    expect(open).toThrow('invalid alpha continuation');
    expect(open).not.toThrow(/canary/);
  });

  it('accepts a token without a kind only when the kind says so', () => {
    // Act
    const opened = kindOf('alpha', true).open(sealJson({ v: 1, n: 7 }));

    // Assess
    expect(opened).toEqual({ n: 7 });
    expect(() => kindOf('alpha', true).open(sealJson({ v: 1, k: 'beta', n: 7 }))).toThrow(
      ValidationError
    );
  });
});
