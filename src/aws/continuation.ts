/**
 * A continuation of a kind: the opaque token a run cut short by the deadline returns (the sweep's,
 * the report's), sealed with {@link sealJson}. The JSON carries a format version, the kind and the
 * kind's own fields, so a token of one kind is never taken for another's. Anything that is not
 * exactly what {@link SealedContinuation.seal} wrote is a {@link ValidationError} whose message
 * never echoes the input.
 */
import * as z from 'zod/mini';
import { ValidationError } from '../errors.js';
import { openSealedJson, sealJson } from './sealed-json.js';

/** What defines a kind of continuation. */
export interface ContinuationKind<F extends object> {
  /** The kind written into every token (`k`). */
  kind: string;
  /** The format version written into every token (`v`). */
  version: number;
  /** Longest token accepted. */
  maxLength: number;
  /** The kind's own fields (a strict object: no field but `v` and `k` besides them). */
  fields: z.ZodMiniType<F>;
  /** Accept tokens without a kind (issued before kinds were written). */
  kindOptional?: boolean;
  /** The message of the error for a token this kind did not write. */
  invalidMessage: string;
}

/** Seals a kind's fields into a token, and opens a token into them. */
export interface SealedContinuation<F extends object> {
  seal(fields: F): string;
  open(text: string): F;
}

/** The sealed continuation of a kind. */
export const sealedContinuation = <F extends object>(
  spec: ContinuationKind<F>
): SealedContinuation<F> => {
  const kind = z.literal(spec.kind);
  const envelope = z.looseObject({
    v: z.literal(spec.version),
    k: spec.kindOptional === true ? z.optional(kind) : kind,
  });
  const invalid = (): ValidationError => new ValidationError(spec.invalidMessage);
  return {
    seal: (fields) => sealJson({ v: spec.version, k: spec.kind, ...fields }),
    open: (text) => {
      const parsed = openSealedJson(text, spec.maxLength);
      if (parsed === undefined || !z.safeParse(envelope, parsed).success) throw invalid();
      const { v: _version, k: _kind, ...rest } = parsed as Record<string, unknown>;
      const result = z.safeParse(spec.fields, rest);
      if (!result.success) throw invalid();
      return result.data;
    },
  };
};
