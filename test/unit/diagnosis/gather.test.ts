/**
 * The gatherer over a port of plain objects: what it asks, and that a denied, throttled or failed
 * call is reported as missing with its reason while the other calls still answer.
 */

import { functionNameOf, gatherFacts, logGroupOf } from '../../../src/diagnosis/gather.js';
import { LOG_FILTER_PATTERN } from '../../../src/diagnosis/log-rules.js';
import type { DiagnosisSources, SourceResult } from '../../../src/diagnosis/sources.js';
import type { FunctionFacts, LogLine, MissingFact } from '../../../src/diagnosis/types.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:rotate-prod-db';
const WINDOW = {
  startMs: Date.parse('2026-11-30T10:00:00Z'),
  endMs: Date.parse('2026-11-30T11:00:00Z'),
};
const ok = <T>(value: T): SourceResult<T> => ({ ok: true, value });
const fn: FunctionFacts = {
  exists: true,
  name: 'rotate-prod-db',
  runtime: 'python3.12',
  timeoutSeconds: 30,
};
const LINES: LogLine[] = [
  { timestamp: WINDOW.startMs, message: 'START RequestId: 1 Version: $LATEST' },
  { timestamp: WINDOW.startMs + 1, message: "[ERROR] KeyError: 'host'" },
];

/** A port whose calls all answer, with `overrides` replacing some. */
const sources = (overrides: Partial<DiagnosisSources> = {}) => {
  const asked: string[] = [];
  const patterns: (string | undefined)[] = [];
  const port: DiagnosisSources = {
    functionConfiguration: async () => ok(fn),
    reservedConcurrency: async () => ok(undefined),
    logLines: async (group, _window, _limits, pattern) => {
      asked.push(group);
      patterns.push(pattern);
      return ok(LINES);
    },
    metrics: async () => ok({ errors: 1, throttles: 0 }),
    ...overrides,
  };
  return { port, asked, patterns };
};

describe('gatherFacts', () => {
  it('keeps only the lines a diagnosis reads, from the default log group', async () => {
    // Prepare
    const { port, asked } = sources();

    // Act
    const facts = await gatherFacts(port, { functionId: FUNCTION_ARN, window: WINDOW });

    // Assess
    expect(asked).toEqual(['/aws/lambda/rotate-prod-db']);
    expect(facts.logs).toEqual([LINES[1]]);
    expect(facts.missing).toEqual([]);
  });

  it('asks the service for the lines with a term of the filter pattern only', async () => {
    // Prepare
    const { port, patterns } = sources();

    // Act
    await gatherFacts(port, { functionId: FUNCTION_ARN, window: WINDOW });

    // Assess
    expect(patterns).toEqual([LOG_FILTER_PATTERN]);
  });

  it('reads the log group LoggingConfig names', async () => {
    // Prepare
    const { port, asked } = sources({
      functionConfiguration: async () => ok({ ...fn, logGroup: '/custom/rotation' }),
    });

    // Act
    await gatherFacts(port, { functionId: FUNCTION_ARN, window: WINDOW });

    // Assess
    expect(asked).toEqual(['/custom/rotation']);
  });

  it.each<{ case: string; overrides: Partial<DiagnosisSources>; missing: MissingFact[] }>([
    {
      case: 'a denied configuration',
      overrides: {
        functionConfiguration: async () => ({
          ok: false,
          reason: 'access-denied',
          detail: 'AccessDeniedException',
        }),
      },
      missing: [{ fact: 'function', reason: 'access-denied', detail: 'AccessDeniedException' }],
    },
    {
      case: 'throttled logs',
      overrides: { logLines: async () => ({ ok: false, reason: 'throttled' }) },
      missing: [{ fact: 'logs', reason: 'throttled' }],
    },
    {
      case: 'metrics that timed out',
      overrides: {
        metrics: async () => ({ ok: false, reason: 'timed-out', detail: 'AbortError' }),
      },
      missing: [{ fact: 'metrics', reason: 'timed-out', detail: 'AbortError' }],
    },
  ])('reports $case as missing and gathers the rest', async ({ overrides, missing }) => {
    // Prepare
    const { port } = sources(overrides);

    // Act
    const facts = await gatherFacts(port, { functionId: FUNCTION_ARN, window: WINDOW });

    // Assess
    expect(facts.missing).toEqual(missing);
    expect(facts.logs !== undefined || missing[0]?.fact === 'logs').toBe(true);
  });

  it('asks nothing more of a function that does not exist', async () => {
    // Prepare
    const { port, asked } = sources({
      functionConfiguration: async () => ok({ exists: false, name: FUNCTION_ARN }),
    });

    // Act
    const facts = await gatherFacts(port, { functionId: FUNCTION_ARN, window: WINDOW });

    // Assess
    expect(facts.function?.exists).toBe(false);
    expect(asked).toEqual([]);
  });

  it.each([
    { id: FUNCTION_ARN, name: 'rotate-prod-db' },
    { id: `${FUNCTION_ARN}:live`, name: 'rotate-prod-db' },
    { id: 'rotate-prod-db', name: 'rotate-prod-db' },
  ])('names the function of $id', ({ id, name }) => {
    // Act
    const found = functionNameOf(id);

    // Assess
    expect(found).toBe(name);
    expect(logGroupOf(undefined, found)).toBe(`/aws/lambda/${name}`);
  });
});
