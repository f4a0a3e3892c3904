/**
 * Property-based tests: random JSON and mutated sample events thrown at the built handler. Nothing
 * may escape but a validation error, a 4xx, SecretNotFound, an "ignored" answer or a sweep's report,
 * and no mutating call may ever be made. The samples name a secret that does not exist.
 */

import fc from 'fast-check';
import { lambdaContext } from '../helpers/bundle.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import type { JsonPath } from '../helpers/samples.js';
import { loadSample, sampleFiles, scalarLeaves, setAt } from '../helpers/samples.js';

const aws = useBundleAgainstAws();

const ALLOWED_ERRORS = ['ValidationError', 'SecretNotFound'];

/** Classifies one invocation; returns a problem description, or undefined when acceptable. */
const problemWith = async (event: unknown): Promise<string | undefined> => {
  aws.counter.reset();
  let problem: string | undefined;
  try {
    const result = (await aws.bundle.handler(event, lambdaContext())) as Record<string, unknown>;
    if (typeof result.statusCode === 'number') {
      if (result.statusCode >= 500) problem = `HTTP ${result.statusCode}`;
    } else if (result.status !== 'ignored' && !('sweep' in result) && !('report' in result)) {
      // (a sweep's report, from a mutated sweep.json, is legitimate: nothing here is stuck, and
      // the mutating-call check below still applies; so is a fleet report, which only reads)
      problem = `unexpected status ${String(result.status)}`;
    }
  } catch (error) {
    const name = (error as Error).name;
    if (!ALLOWED_ERRORS.includes(name)) problem = `threw ${name}`;
  }
  const mutating = aws.counter
    .secretsManagerOperations()
    .filter((op) => (MUTATING_OPERATIONS as readonly string[]).includes(op));
  if (mutating.length > 0) problem = `mutating calls ${mutating.join(',')}`;
  return problem;
};

// A mutated sweep.json can be a live sweep of every secret: only against our own emulator.
const samples = sampleFiles()
  .filter(
    (file) => file !== 'sweep.json' || process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER === undefined
  )
  .map((file) => loadSample(file));

/** Structure-aware mutations of a sample: drop, retype or corrupt one leaf, or add a field. */
const mutatedSample = fc
  .record({
    sample: fc.constantFrom(...samples),
    pick: fc.nat(),
    kind: fc.constantFrom('drop', 'retype', 'junk', 'extra', 'emptyObject', 'truncateBody'),
    junk: fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.constant([]),
      fc.constant({}),
      fc.constantFrom('ALARM', 'RotationFailed', 'POST', 'GET', 'aws.cloudwatch', '2.0', 'true')
    ),
  })
  .map(({ sample, pick, kind, junk }) => {
    const leaves = scalarLeaves(sample);
    const path: JsonPath = leaves[pick % Math.max(1, leaves.length)] ?? [];
    switch (kind) {
      case 'drop':
        return setAt(sample, path, undefined);
      case 'retype':
        return setAt(sample, path, typeof junk === 'string' ? 42 : String(junk));
      case 'junk':
        return setAt(sample, path, junk);
      case 'extra':
        return { ...sample, [`x${pick % 7}`]: junk };
      case 'emptyObject':
        return setAt(sample, path.slice(0, -1), {});
      default:
        return typeof sample.body === 'string'
          ? { ...sample, body: sample.body.slice(0, pick % sample.body.length) }
          : sample;
    }
  });

describe('hostile input', () => {
  it('random JSON never crashes the handler or changes a secret', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (event) => {
        expect(await problemWith(event)).toBeUndefined();
      }),
      { numRuns: 300 }
    );
  });

  it('structure-aware mutations of every sample never crash it or change a secret', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedSample, async (event) => {
        expect(await problemWith(event)).toBeUndefined();
      }),
      { numRuns: 600 }
    );
  });
});
