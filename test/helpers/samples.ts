/**
 * The sample events in `events/`, the expectations in `events/README.md`, and helpers to vary them:
 * substitute the placeholder secret (from `tools/samples.ts`, which the scripts share), plant
 * canaries into every string field.
 */
import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RemediatorConfig } from '../../src/settings.js';
import { mapStrings } from '../../tools/samples.js';

export { SAMPLE_SECRET_ARN, SAMPLE_SECRET_NAME, substituteSecret } from '../../tools/samples.js';

/** Directory of the sample events. */
export const EVENTS_DIR = resolve(__dirname, '../../events');

/** A string that must never show up in an error message or an error response. */
export const CANARY = 'CANARY-7f3a9c';
/** The canary with characters that no id, name, ARN or enum accepts. */
export const CANARY_JUNK = `${CANARY} <"\n\u0000{}>`;

/** The configuration the adapter tests run with (the defaults of `loadConfig`). */
export const testConfig = (overrides: Partial<RemediatorConfig> = {}): RemediatorConfig => ({
  requiredTag: undefined,
  defaultPendingAction: 'auto',
  actOnEvents: ['RotationFailed'],
  failedStepLookup: true,
  policy: { graceSeconds: 3600, unknownStepAction: 'hold' },
  // the samples' account: adapter tests without a Lambda context still pass the account check
  // (test/unit/triggers/account.test.ts covers it)
  trustedEventAccounts: ['123456789012'],
  ...overrides,
});

/** File names of every sample event, sorted. */
export const sampleFiles = (): string[] =>
  readdirSync(EVENTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort();

/** A fresh copy of one sample event. */
export const loadSample = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(EVENTS_DIR, file), 'utf8')) as Record<string, unknown>;

/** One row of the table in `events/README.md`. */
export interface SampleExpectation {
  file: string;
  trigger: string;
  expected: string;
  /** First word of `expected`: a report status, `ignored`, or an error name. */
  outcome: string;
  /** The HTTP status code for HTTP rows. */
  httpStatus: number | undefined;
}

/** Parses the `file | trigger | expected` table of `events/README.md`. */
export const readExpectations = (): SampleExpectation[] => {
  const lines = readFileSync(join(EVENTS_DIR, 'README.md'), 'utf8').split('\n');
  const header = lines.findIndex((line) =>
    /^\|\s*file\s*\|\s*trigger\s*\|\s*expected\s*\|$/.test(line)
  );
  if (header < 0) throw new Error('events/README.md has no "file | trigger | expected" table');
  const rows: SampleExpectation[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [file = '', trigger = '', expected = ''] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/^`|`$/g, ''));
    const status = /\(HTTP (\d{3})\)/.exec(expected)?.[1];
    rows.push({
      file,
      trigger,
      expected,
      outcome: expected.split(/\s+/)[0] ?? '',
      httpStatus: status === undefined ? undefined : Number(status),
    });
  }
  return rows;
};

/** A path into a JSON value. */
export type JsonPath = readonly (string | number)[];

/** Paths of every string, number and boolean leaf of a JSON value. */
export const scalarLeaves = (value: unknown, path: JsonPath = []): JsonPath[] => {
  if (Array.isArray(value))
    return value.flatMap((item, index) => scalarLeaves(item, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => scalarLeaves(item, [...path, key]));
  }
  return value === null ? [] : [path];
};

/** A deep copy of `value` with the leaf at `path` set to `leaf`. */
export const setAt = (value: unknown, path: JsonPath, leaf: unknown): unknown => {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  if (Array.isArray(value)) {
    return value.map((item, index) => (index === head ? setAt(item, rest, leaf) : item));
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  return { ...record, [head]: setAt(record[head], rest, leaf) };
};

/** Every string of `value` replaced by `text`. */
export const replaceAllStrings = (value: unknown, text: string): unknown =>
  mapStrings(value, () => text);

/** Encodes a JSON value as an HTTP event body, base64 when the event says so. */
export const encodeBody = (event: Record<string, unknown>, body: unknown): string => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return event.isBase64Encoded === true ? Buffer.from(text, 'utf8').toString('base64') : text;
};

/** Decodes the JSON body of an HTTP sample. */
export const decodeBody = (event: Record<string, unknown>): unknown => {
  const body = String(event.body);
  return JSON.parse(
    event.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body
  ) as unknown;
};
