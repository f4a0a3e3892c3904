/**
 * A JSON value sealed into an opaque string: `<base64url(JSON)>.<first 16 bytes of
 * SHA-256(JSON), base64url>`. The digest catches truncation, corruption and casual edits; it is
 * not a signature (the function holds no key). The sweep's and the report's continuations use it.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

const digestOf = (json: string): string =>
  createHash('sha256').update(json, 'utf8').digest().subarray(0, 16).toString('base64url');

/** Seals `payload` (plain JSON) into its string. */
export const sealJson = (payload: object): string => {
  const json = JSON.stringify(payload);
  return `${Buffer.from(json, 'utf8').toString('base64url')}.${digestOf(json)}`;
};

/**
 * The JSON value `text` carries; undefined for anything {@link sealJson} did not write (too long,
 * not the format, bad base64, wrong digest, not JSON).
 */
export const openSealedJson = (text: string, maxLength: number): unknown => {
  if (text.length > maxLength) return undefined;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(text);
  if (match === null) return undefined;
  const [, body = '', digest = ''] = match;
  const json = Buffer.from(body, 'base64url').toString('utf8');
  if (Buffer.from(json, 'utf8').toString('base64url') !== body || digestOf(json) !== digest) {
    return undefined;
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
};
