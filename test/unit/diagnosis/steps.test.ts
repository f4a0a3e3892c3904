/**
 * Which rotation steps completed for a version, from the step lines of AWS's rotation templates.
 */

import { completedSteps, parseStepLine } from '../../../src/diagnosis/steps.js';
import type { LogLine } from '../../../src/diagnosis/types.js';
import type { RotationStep } from '../../../src/remediation/types.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const PENDING = 'c0000000-0000-4000-8000-000000000003';
const OTHER = 'c0000000-0000-4000-8000-000000000009';
const AT = Date.parse('2026-11-30T10:00:00Z');

const CREATE = (version: string) =>
  `createSecret: Successfully put secret for ARN ${ARN} and version ${version}.`;
const SET = `setSecret: Successfully set password for user app in PostgreSQL DB for secret arn ${ARN}.`;
const TEST = `testSecret: Successfully signed into PostgreSQL DB for secret arn ${ARN}.`;
const FINISH = (version: string) =>
  `finishSecret: Successfully set AWSCURRENT stage to version ${version} for secret ${ARN}.`;

const log = (...messages: string[]): LogLine[] =>
  messages.map((message, index) => ({
    timestamp: AT + index * 1000,
    message: `[INFO]\t2026-11-30T10:00:00.000Z\t0f6c2c8e-1b7a-4b0e-9f3e-2a1d9c8b7a65\t${message}`,
  }));

describe('parseStepLine', () => {
  it.each([
    { line: CREATE(PENDING), expected: { step: 'createSecret', versionId: PENDING } },
    { line: SET, expected: { step: 'setSecret', versionId: undefined } },
    { line: TEST, expected: { step: 'testSecret', versionId: undefined } },
    { line: FINISH(PENDING), expected: { step: 'finishSecret', versionId: PENDING } },
    { line: 'setSecret: Unable to log into database', expected: undefined },
    { line: `INFO text createSecret: Successfully put secret for ARN ${ARN}`, expected: undefined },
  ])('reads $line', ({ line, expected }) => {
    // Act
    const parsed = parseStepLine(line);

    // Assess
    expect(parsed).toEqual(expected);
  });
});

describe('completedSteps', () => {
  it.each<{ case: string; lines: LogLine[]; expected: RotationStep[] }>([
    { case: 'createSecret only', lines: log(CREATE(PENDING)), expected: ['createSecret'] },
    {
      case: 'setSecret after this version was created',
      lines: log(CREATE(PENDING), SET),
      expected: ['createSecret', 'setSecret'],
    },
    {
      case: 'every step',
      lines: log(CREATE(PENDING), SET, TEST, FINISH(PENDING)),
      expected: ['createSecret', 'setSecret', 'testSecret', 'finishSecret'],
    },
    {
      case: "another version's setSecret",
      lines: log(CREATE(PENDING), CREATE(OTHER), SET),
      expected: ['createSecret'],
    },
    { case: 'a setSecret line with no version before it', lines: log(SET), expected: [] },
    { case: 'no lines', lines: [], expected: [] },
  ])('finds $expected for $case', ({ lines, expected }) => {
    // Act
    const steps = completedSteps(lines, PENDING);

    // Assess
    expect(steps.map((done) => done.step)).toEqual(expected);
  });

  it('says which steps name the version and which are attributed by order', () => {
    // Prepare: out of order in the input, as pages of several log streams come
    const lines = log(CREATE(PENDING), SET).reverse();

    // Act
    const steps = completedSteps(lines, PENDING);

    // Assess
    expect(steps).toEqual([
      { step: 'createSecret', at: '2026-11-30T10:00:00.000Z', namesVersion: true },
      { step: 'setSecret', at: '2026-11-30T10:00:01.000Z', namesVersion: false },
    ]);
  });
});
