/**
 * Canaries for the no-leak tests (audit trail, outcome events, hostile input): values shaped like
 * credentials, each with the part that must never be seen (redaction masks it), and a plain one for
 * fields that are never input and so must never be logged or echoed at all; and the ways of
 * planting them into a sample event.
 */
import { selectTrigger } from '../../src/triggers/index.js';
import type { JsonPath } from './samples.js';
import { decodeBody, encodeBody, scalarLeaves, setAt, testConfig } from './samples.js';

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

/** One way of planting a canary into a sample: where, which canary, and the event that results. */
export interface PlantedEvent {
  /** The path planted, `body.`-prefixed for a field of an HTTP body. */
  label: string;
  path: JsonPath;
  inBody: boolean;
  canary: (typeof CREDENTIAL_CANARIES)[number];
}

/** `event` with `value` at `path` (inside the JSON body, re-encoded as it was, when `inBody`). */
export const plantAt = (
  event: Record<string, unknown>,
  path: JsonPath,
  inBody: boolean,
  value: string
): Record<string, unknown> => {
  if (!inBody) return setAt(event, path, value) as Record<string, unknown>;
  return { ...event, body: encodeBody(event, setAt(decodeBody(event), path, value)) };
};

/**
 * Every string field of a sample (and of its JSON body, for HTTP samples), each with the next
 * credential canary in turn: the places a canary is planted, one at a time.
 */
export const plantings = (sample: Record<string, unknown>): PlantedEvent[] => {
  const inBody = typeof sample.body === 'string' ? stringLeaves(decodeBody(sample)) : [];
  return [
    ...stringLeaves(sample).map((path) => ({ path, inBody: false })),
    ...inBody.map((path) => ({ path, inBody: true })),
  ].map(({ path, inBody: body }, index) => ({
    label: `${body ? 'body.' : ''}${path.join('.')}`,
    path,
    inBody: body,
    canary: CREDENTIAL_CANARIES[index % CREDENTIAL_CANARIES.length] ?? CREDENTIAL_CANARIES[0],
  }));
};

/**
 * The plain canary outside the command, for a trigger that reads only its own fields: an unknown
 * field (where the schema is not strict), and for HTTP the query string and cookies.
 */
export const plainExtras = (trigger: string): Record<string, unknown> => {
  if (trigger === 'direct' || trigger === 'sweep' || trigger === 'report') return {}; // strict: an unknown key is rejected
  return {
    unknownField: PLAIN_CANARY,
    ...(trigger === 'http'
      ? {
          cookies: [`session=${PLAIN_CANARY}`],
          queryStringParameters: { secretId: PLAIN_CANARY },
          rawQueryString: `secretId=${PLAIN_CANARY}`,
        }
      : {}),
  };
};

/** The first canary text found in `text` (a credential canary's marker, or the plain one). */
export const leakedCanary = (text: string): string | undefined =>
  [...CREDENTIAL_CANARIES.map((canary) => canary.marker), PLAIN_CANARY].find((marker) =>
    text.includes(marker)
  );

/** The free-text fields of a command: where a canary changes nothing the service decides on. */
const FREE_TEXT = new Set(['correlationId', 'requestedBy', 'reason']);

/** What decides a command's outcome (all of it but the free text), as a comparable text. */
const gistOf = (event: unknown): string => {
  try {
    const command = selectTrigger(event).toCommand(event, undefined, testConfig());
    return JSON.stringify(command, (key, value) => (FREE_TEXT.has(key) ? '' : value));
  } catch (error) {
    return `rejected: ${(error as Error).name}`;
  }
};

/**
 * `event` with a credential canary in every string field it tolerates, and the plain canary
 * outside the command: a field is planted when the trigger still makes the same command of the
 * event (the same secret, action and mode), so the event still leads to its outcome. Returns the
 * event and the fields planted.
 */
export const plantEverywhere = (
  event: Record<string, unknown>,
  trigger: string
): { event: Record<string, unknown>; planted: PlantedEvent[] } => {
  const gist = gistOf(event);
  let planted = { ...event, ...plainExtras(trigger) };
  const kept: PlantedEvent[] = [];
  for (const planting of plantings(event)) {
    const candidate = plantAt(planted, planting.path, planting.inBody, planting.canary.value);
    if (gistOf(candidate) !== gist) continue;
    planted = candidate;
    kept.push(planting);
  }
  return { event: planted, planted: kept };
};
