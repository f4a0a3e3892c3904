import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Versions } from '../../../scripts/demo/cases.js';
import { CASES, EndState, expectedEndState, SECRETS } from '../../../scripts/demo/cases.js';
import type { CaseEndState } from '../../../scripts/demo/check.js';
import { checkCase, summarize } from '../../../scripts/demo/check.js';

const VERSIONS: Versions = {
  previousVersionId: 'aaaaaaaa-0000-4000-8000-000000000001',
  currentVersionId: 'bbbbbbbb-0000-4000-8000-000000000002',
  pendingVersionId: 'cccccccc-0000-4000-8000-000000000003',
};

const endState = (overrides: Partial<CaseEndState> = {}): CaseEndState => ({
  status: 'remediated',
  labels: EndState.promoted(VERSIONS),
  rotationEnabled: false,
  ...overrides,
});

describe('checkCase', () => {
  it.each([
    {
      what: 'the labels of a discard where a promotion was expected',
      actual: endState({ labels: EndState.discarded(VERSIONS) }),
      problems: [
        'labels aaaaaaaa:AWSPREVIOUS bbbbbbbb:AWSCURRENT, expected bbbbbbbb:AWSPREVIOUS cccccccc:AWSCURRENT',
      ],
    },
    {
      what: 'another status',
      actual: endState({ status: 'needs-decision' }),
      problems: ['status needs-decision, expected remediated'],
    },
    {
      what: 'a handler that threw instead of reporting',
      actual: endState({ status: 'threw TypeError' }),
      problems: ['status threw TypeError, expected remediated'],
    },
    {
      what: 'rotation left on',
      actual: endState({ rotationEnabled: true }),
      problems: ['rotation true, expected false'],
    },
    {
      what: 'rotation the secret does not report',
      actual: endState({ rotationEnabled: null }),
      problems: ['rotation null, expected false'],
    },
    {
      what: 'everything wrong at once',
      actual: { status: 'refused', labels: EndState.stuck(VERSIONS), rotationEnabled: true },
      problems: [
        'status refused, expected remediated',
        'labels aaaaaaaa:AWSPREVIOUS bbbbbbbb:AWSCURRENT cccccccc:AWSPENDING, expected bbbbbbbb:AWSPREVIOUS cccccccc:AWSCURRENT',
        'rotation true, expected false',
      ],
    },
  ])('reports $what', ({ actual, problems }) => {
    // Prepare
    const expected = endState();

    // Act
    const found = checkCase(expected, actual);

    // Assess
    expect(found).toEqual(problems);
  });

  it.each([
    { what: 'the same end state', labels: EndState.promoted(VERSIONS) },
    {
      what: 'the labels in another order, with an empty entry',
      labels: {
        [VERSIONS.previousVersionId]: [],
        [VERSIONS.pendingVersionId]: ['AWSCURRENT'],
        [VERSIONS.currentVersionId]: ['AWSPREVIOUS'],
      },
    },
  ])('finds nothing wrong with $what', ({ labels }) => {
    // Prepare
    const expected = endState();

    // Act
    const found = checkCase(expected, endState({ labels }));

    // Assess
    expect(found).toEqual([]);
  });
});

describe('summarize', () => {
  /** Every demo case as checked against `actualOf(case index)`. */
  const checkAll = (actualOf: (index: number) => CaseEndState | undefined) =>
    CASES.map((demoCase, index) => {
      const expected = expectedEndState(demoCase, VERSIONS);
      return { title: demoCase.title, problems: checkCase(expected, actualOf(index) ?? expected) };
    });

  it('exits 0 when every end state is as expected', () => {
    // Prepare
    const results = checkAll(() => undefined);

    // Act
    const summary = summarize(results);

    // Assess
    expect(summary).toEqual({
      lines: [`${CASES.length} cases: every end state as expected`],
      exitCode: 0,
    });
  });

  it('exits 1 and names the case when one end state is wrong', () => {
    // Prepare: the finishSecret case (5.) ends with a discard instead of the promotion
    const finishSecret = CASES.findIndex((c) => c.title === 'RotationFailed at finishSecret');
    const results = checkAll((index) =>
      index === finishSecret
        ? { status: 'remediated', labels: EndState.discarded(VERSIONS), rotationEnabled: false }
        : undefined
    );

    // Act
    const summary = summarize(results);

    // Assess
    expect(summary.exitCode).toBe(1);
    expect(summary.lines).toEqual([
      `${CASES.length} cases: 1 with a wrong end state`,
      expect.stringMatching(/^FAILED 5\. RotationFailed at finishSecret: labels .+, expected /),
    ]);
  });
});

describe('the demo cases', () => {
  it.each(CASES.map((demoCase) => [demoCase.title, demoCase] as const))(
    '%s sends an existing sample to a seeded secret',
    (_title, demoCase) => {
      // Assess
      expect(SECRETS[demoCase.secret]).toBeDefined();
      expect(existsSync(resolve(__dirname, '../../../events', demoCase.sample))).toBe(true);
    }
  );
});
