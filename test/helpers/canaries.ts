/**
 * Canaries for the no-leak tests (audit trail, outcome events, hostile input): values shaped like
 * credentials, each with the part that must never be seen (redaction masks it), and a plain one for
 * fields that are never input and so must never be logged or echoed at all.
 */
import type { JsonPath } from './samples.js';
import { scalarLeaves } from './samples.js';

/** Credential-shaped canaries, and the part of each that must never be seen. */
export const CREDENTIAL_CANARIES = [
  { value: 'AKIACANARY7F3A9C0XYZ', marker: 'CANARY7F3A9C0XYZ' },
  { value: 'password=canary-7f3a9c-pw', marker: 'canary-7f3a9c-pw' },
  { value: 'Bearer canary7f3a9cBEARERTOKEN', marker: 'canary7f3a9cBEARERTOKEN' },
  {
    value: 'eyJjYW5hcnkiOiI3ZjNhOWMifQ.eyJzdWIiOiJjYW5hcnk3ZjNhOWMifQ.c2lnbmF0dXJlN2YzYTlj',
    marker: 'eyJzdWIiOiJjYW5hcnk3ZjNhOWMifQ',
  },
] as const;

/** A canary with no credential shape, for fields that must never be logged or echoed at all. */
export const PLAIN_CANARY = 'plain-canary-7f3a9c';

/** Paths of every string leaf of a JSON value (where a canary can be planted). */
export const stringLeaves = (value: unknown): JsonPath[] =>
  scalarLeaves(value).filter((path) => {
    let leaf: unknown = value;
    for (const key of path) leaf = (leaf as Record<string | number, unknown>)[key];
    return typeof leaf === 'string';
  });
