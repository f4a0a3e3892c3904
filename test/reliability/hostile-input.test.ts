/**
 * Hostile input, property-based, through the built dist/handler.js: for every trigger adapter,
 * its sample events with structure-aware mutations (drop, retype or corrupt a field, add unknown
 * fields, corrupt an HTTP body inside its JSON or its encoding, duplicate or empty arrays, nest
 * deeply), each carrying planted canaries. The secret an event names exists (and is clean) or does
 * not exist.
 *
 * Whatever the mutation: the handler answers with a report, "ignored", a ValidationError,
 * SecretNotFound or (HTTP) a 4xx, never anything else; it makes no mutating call and takes no
 * lock; and no canary appears in a log line, an error or a response.
 */

import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { SECRET_NAME_PATTERN } from '../../src/identifiers.js';
import { selectTrigger, triggers } from '../../src/triggers/index.js';
import { lambdaContext } from '../helpers/bundle.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import { CREDENTIAL_CANARIES, PLAIN_CANARY, stringLeaves } from '../helpers/canaries.js';
import { LogCapture } from '../helpers/log-capture.js';
import type { JsonPath } from '../helpers/samples.js';
import {
  decodeBody,
  encodeBody,
  loadSample,
  sampleFiles,
  scalarLeaves,
  setAt,
  substituteSecret,
} from '../helpers/samples.js';
import { writeCounters } from './report/counters.js';
import type { BundleWorld } from './support/bundle-world.js';
import { startBundleWorld } from './support/bundle-world.js';
import type { Outcome } from './support/world.js';

/** Runs per adapter. */
const RUNS_PER_ADAPTER = 300;

/** Fields an HTTP event carries that are never input. */
const HTTP_NEVER_INPUT = {
  headers: { 'x-canary': PLAIN_CANARY, cookie: `session=${PLAIN_CANARY}` },
  multiValueHeaders: { 'x-canary': [PLAIN_CANARY] },
  cookies: [`session=${PLAIN_CANARY}`],
  queryStringParameters: { secretId: PLAIN_CANARY },
  rawQueryString: `secretId=${PLAIN_CANARY}`,
  pathParameters: { proxy: PLAIN_CANARY },
  stageVariables: { stage: PLAIN_CANARY },
} as const;

/** Values a leaf may be replaced with: wrong types, near-misses and plain junk. */
const junk = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(5_000),
    '../../etc/passwd',
    '__proto__',
    '{"secretId":"rr-test/hostile-clean"}',
    'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:rr-test/hostile-clean-AbCdEf',
    'arn:aws:secretsmanager:us-east-1:000000000000:secret:x',
    'ALARM',
    'OK',
    'RotationFailed',
    'AWS API Call via CloudTrail',
    'aws.cloudwatch',
    'aws.secretsmanager',
    'POST',
    'GET',
    '2.0',
    'true',
    'promote',
    'discard',
    'Error during finishSecret step during setSecret step',
    '\u0000\u001b[31m\n{"level":"INFO"}'
  )
);

/** Keys added to objects: prototype-shaped ones and the keys other triggers are detected by. */
const extraKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'secretId',
  'source',
  'sweep',
  'report',
  'requestContext',
  'detail-type',
  'alarmData',
  'dryRun',
  'x-unknown'
);

/** One structure-aware mutation of an event. */
type Mutation = (event: Record<string, unknown>) => Record<string, unknown>;

const leafAt = (event: unknown, pick: number): JsonPath | undefined => {
  const leaves = scalarLeaves(event);
  return leaves.length === 0 ? undefined : leaves[pick % leaves.length];
};

const isHttp = (event: Record<string, unknown>): boolean => typeof event.body === 'string';

const withBody = (event: Record<string, unknown>, change: (body: unknown) => unknown) => {
  let body: unknown;
  try {
    body = decodeBody(event);
  } catch {
    return event;
  }
  return { ...event, body: encodeBody(event, change(body)) };
};

/** The mutations, each with the random choices it needs. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (pick): Mutation =>
      (event) => {
        const path = leafAt(event, pick);
        return path === undefined
          ? event
          : (setAt(event, path, undefined) as Record<string, unknown>);
      }
  ),
  fc.record({ pick: fc.nat(), value: junk }).map(
    ({ pick, value }): Mutation =>
      (event) => {
        const path = leafAt(event, pick);
        return path === undefined ? event : (setAt(event, path, value) as Record<string, unknown>);
      }
  ),
  fc.record({ pick: fc.nat(), value: junk }).map(
    ({ pick, value }): Mutation =>
      (event) => {
        const path = leafAt(event, pick);
        return path === undefined || path.length < 2
          ? event
          : (setAt(event, path.slice(0, -1), value) as Record<string, unknown>);
      }
  ),
  fc.record({ key: extraKeys, value: junk }).map(
    ({ key, value }): Mutation =>
      (event) => {
        const copy = { ...event };
        Object.defineProperty(copy, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return copy;
      }
  ),
  fc.record({ pick: fc.nat(), value: junk }).map(
    ({ pick, value }): Mutation =>
      (event) =>
        isHttp(event)
          ? withBody(event, (body) => {
              const path = leafAt(body, pick);
              return path === undefined ? value : setAt(body, path, value);
            })
          : event
  ),
  fc.record({ key: extraKeys, value: junk }).map(
    ({ key, value }): Mutation =>
      (event) =>
        isHttp(event)
          ? withBody(event, (body) =>
              typeof body === 'object' && body !== null ? { ...body, [key]: value } : body
            )
          : event
  ),
  fc.record({ cut: fc.nat(), text: fc.string(), base64: fc.boolean() }).map(
    ({ cut, text, base64 }): Mutation =>
      (event) => {
        if (!isHttp(event)) return event;
        const body = String(event.body);
        const variants = [
          body.slice(0, cut % (body.length + 1)),
          text,
          Buffer.from([0xff, 0xfe, 0xfd]).toString('base64'),
          '!!not base64!!',
        ];
        return { ...event, body: variants[cut % variants.length], isBase64Encoded: base64 };
      }
  ),
  fc.record({ pick: fc.nat(), double: fc.boolean() }).map(
    ({ pick, double }): Mutation =>
      (event) => {
        const arrays: JsonPath[] = [];
        const visit = (value: unknown, path: JsonPath): void => {
          if (Array.isArray(value)) arrays.push(path);
          if (typeof value === 'object' && value !== null) {
            for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
          }
        };
        visit(event, []);
        const path = arrays[pick % Math.max(1, arrays.length)];
        if (path === undefined) return event;
        let target: unknown = event;
        for (const key of path) target = (target as Record<string | number, unknown>)[key];
        const items = target as unknown[];
        return setAt(event, path, double ? [...items, ...items] : []) as Record<string, unknown>;
      }
  ),
  fc.record({ pick: fc.nat(), depth: fc.integer({ min: 50, max: 400 }) }).map(
    ({ pick, depth }): Mutation =>
      (event) => {
        const path = leafAt(event, pick);
        if (path === undefined) return event;
        let nested: unknown = 'deep';
        for (let i = 0; i < depth; i++) nested = { n: nested };
        return setAt(event, path, nested) as Record<string, unknown>;
      }
  )
);

/** Plants a credential canary in one string leaf (inside the body for HTTP events, sometimes). */
const plantCredential = (
  event: Record<string, unknown>,
  pick: number,
  value: string,
  inBody: boolean
): Record<string, unknown> => {
  const stringLeaf = (root: unknown): JsonPath | undefined => {
    const paths = stringLeaves(root);
    return paths.length === 0 ? undefined : paths[pick % paths.length];
  };
  if (inBody && isHttp(event)) {
    return withBody(event, (body) => {
      const path = stringLeaf(body);
      return path === undefined ? body : setAt(body, path, value);
    });
  }
  const path = stringLeaf(event);
  return path === undefined ? event : (setAt(event, path, value) as Record<string, unknown>);
};

let world: BundleWorld;
const capture = new LogCapture();
const tried: Record<string, number> = {};

/** The secrets events may name: a clean one (by name or ARN) and one that does not exist. */
let targets: { name: string; arn: string }[];

/** Sample events by the adapter that claims them. */
const samplesByAdapter = new Map<string, Record<string, unknown>[]>();
for (const file of sampleFiles()) {
  const sample = loadSample(file);
  const name = selectTrigger(sample).name;
  samplesByAdapter.set(name, [...(samplesByAdapter.get(name) ?? []), sample]);
}
const ADAPTERS = triggers.map((adapter) => adapter.name);

beforeAll(async () => {
  world = await startBundleWorld();
  const clean = world.emulator.store.seedCleanSecret({
    name: 'rr-test/hostile-clean',
    rotationEnabled: true,
  });
  targets = [
    { name: clean.name, arn: clean.arn },
    { name: clean.arn, arn: clean.arn },
    {
      name: 'rr-test/hostile-missing',
      arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rr-test/hostile-missing-AbCdEf',
    },
  ];
});

afterAll(async () => {
  capture.stop();
  await world.stop();
  writeCounters('hostile-input', {
    hostile: { tried: Object.values(tried).reduce((a, b) => a + b, 0), byAdapter: tried },
    wrongStates: 0,
    stuckLocks: 0,
  });
});

/** What is wrong with one invocation's outcome, if anything. */
const problemsOf = (outcome: Outcome, raw: unknown): string[] => {
  const http = raw as { statusCode?: unknown } | undefined;
  if (typeof http?.statusCode === 'number') {
    return http.statusCode >= 500 ? [`HTTP ${http.statusCode}`] : [];
  }
  if (outcome.kind === 'error') {
    return ['ValidationError', 'SecretNotFound'].includes(outcome.name)
      ? []
      : [`threw ${outcome.name}`];
  }
  const result = outcome.report as unknown as Record<string, unknown>;
  // a sweep's report, and a fleet report (read-only), are legitimate answers
  if ('sweep' in result || 'report' in result) return [];
  return ['ignored', 'already-clean'].includes(String(result.status))
    ? []
    : [`answered ${String(result.status)}`];
};

/**
 * True when `value`, a legal secret name, is what `event` names its secret with (a `secretId`,
 * `SecretId`, `SecretArn` or `SecretName` field, or the HTTP body's `secretId`).
 */
const namesTheSecret = (event: unknown, value: string): boolean => {
  if (!SECRET_NAME_PATTERN.test(value)) return false;
  const http = event as { body?: unknown; isBase64Encoded?: boolean };
  const body =
    typeof http.body === 'string'
      ? http.isBase64Encoded === true
        ? Buffer.from(http.body, 'base64').toString('utf8')
        : http.body
      : '';
  const field = new RegExp(
    `"secret(id|arn|name)":${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    'i'
  );
  return field.test(JSON.stringify(event)) || field.test(body);
};

describe('hostile input, every trigger adapter', () => {
  it('every adapter has sample events to mutate', () => {
    expect(ADAPTERS.filter((name) => (samplesByAdapter.get(name) ?? []).length === 0)).toEqual([]);
  });

  it.each(ADAPTERS)(
    '%s: mutated events never crash, change a secret, take a lock or leak a canary',
    async (adapter) => {
      // Prepare
      const samples = samplesByAdapter.get(adapter) ?? [];
      const events = fc
        .record({
          sample: fc.constantFrom(...samples),
          target: fc.constantFrom(...targets),
          mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
          canary: fc.constantFrom(...CREDENTIAL_CANARIES),
          pick: fc.nat(),
          inBody: fc.boolean(),
          plain: fc.boolean(),
        })
        .map(({ sample, target, mutations, canary, pick, inBody, plain }) => {
          let event = substituteSecret(sample, target);
          event = plantCredential(event, pick, canary.value, inBody);
          for (const mutate of mutations) event = mutate(event);
          if (plain) {
            event = isHttp(event)
              ? { ...event, ...HTTP_NEVER_INPUT }
              : { ...event, 'x-canary': PLAIN_CANARY };
          }
          return { event, marker: canary.marker, names: namesTheSecret(event, canary.value) };
        });

      // Act and Assess (per run)
      await fc.assert(
        fc.asyncProperty(events, async ({ event, marker, names }) => {
          tried[adapter] = (tried[adapter] ?? 0) + 1;
          world.emulator.resetCalls();
          const locksBefore = world.dynamo.calls.filter((c) => c.operation === 'PutItem').length;
          capture.reset();
          capture.start();
          let raw: unknown;
          let outcome: Outcome;
          try {
            raw = await world.bundle.handler(event, lambdaContext());
            outcome = { kind: 'report', report: raw as never };
          } catch (error) {
            const cause = (error as Error).cause as Error | undefined;
            outcome = {
              kind: 'error',
              name: (error as Error).name,
              message: `${(error as Error).message}\n${cause?.name ?? ''} ${cause?.message ?? ''}`,
            };
          } finally {
            capture.stop();
          }
          const text = [
            ...capture.lines,
            JSON.stringify(raw ?? null),
            outcome.kind === 'error' ? `${outcome.name} ${outcome.message}` : '',
          ].join('\n');
          const mutating = world.emulator.calls
            .map((c) => c.operation)
            .filter((op) => (MUTATING_OPERATIONS as readonly string[]).includes(op));
          const locks =
            world.dynamo.calls.filter((c) => c.operation === 'PutItem').length - locksBefore;
          expect({
            problems: problemsOf(outcome, raw),
            mutating,
            locks,
            // a legal secret name planted where the event names its secret is that secret's name,
            // an identifier kept whole (issue 21); anywhere else the canary must not be seen
            leaked: [...(names ? [] : [marker]), PLAIN_CANARY].filter((canary) =>
              text.includes(canary)
            ),
          }).toEqual({ problems: [], mutating: [], locks: 0, leaked: [] });
        }),
        { numRuns: RUNS_PER_ADAPTER }
      );
    }
  );
});
