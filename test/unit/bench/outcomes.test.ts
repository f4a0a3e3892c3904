import { atMinimum } from '../../../scripts/bench/calls.js';
import { cacheOutcome } from '../../../scripts/bench/compile-cache.js';
import { outcomeOf } from '../../../scripts/bench/protocol.js';

describe('cacheOutcome', () => {
  const file = '/var/task/handler.js';

  it.each([
    {
      name: 'accepted',
      output: `[compile cache] V8 code cache for CommonJS ${file} was accepted, keeping the in-memory entry`,
    },
    {
      name: 'rejected',
      output: `[compile cache] V8 code cache for CommonJS ${file} was rejected`,
    },
    {
      name: 'missed',
      output: `[compile cache] reading cache from /c/v24-x64-1-0/187c8c83 for CommonJS ${file}... no such file or directory\n[compile cache] V8 code cache for CommonJS ${file} was not initialized, initializing the in-memory entry`,
    },
    {
      name: 'disabled',
      output: '[compile cache] Cannot create cache directory: permission denied',
    },
  ])('reads $name', ({ name, output }) => {
    // Act / Assess
    expect(cacheOutcome(output, file)).toBe(name);
  });

  it('ignores lines about other files', () => {
    // Prepare
    const output = '[compile cache] V8 code cache for CommonJS /probe.js was accepted';

    // Act / Assess
    expect(cacheOutcome(output, file)).toBe('disabled');
  });
});

describe('outcomeOf', () => {
  it.each([
    { result: { status: 'remediated' }, expected: 'remediated' },
    { result: { statusCode: 409, body: '{}' }, expected: 'http 409' },
    { result: { sweep: { remediated: 1 } }, expected: 'swept' },
    { result: { other: true }, expected: 'object' },
    { result: undefined, expected: 'undefined' },
  ])('names $expected', ({ result, expected }) => {
    // Act / Assess
    expect(outcomeOf(result)).toBe(expected);
  });
});

describe('atMinimum', () => {
  const count = {
    name: 'discard',
    outcome: 'remediated',
    secretsManager: [
      'DescribeSecret',
      'CancelRotateSecret',
      'UpdateSecretVersionStage',
      'DescribeSecret',
    ],
    minimum: ['DescribeSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'DescribeSecret'],
    dynamoDb: ['PutItem', 'UpdateItem'],
    minimumDynamoDb: ['PutItem', 'UpdateItem'],
  };

  it('holds when both services are at their minimum', () => {
    // Act / Assess
    expect(atMinimum(count)).toBe(true);
  });

  it('fails on one extra call on either service', () => {
    // Act / Assess
    expect(
      atMinimum({ ...count, secretsManager: [...count.secretsManager, 'DescribeSecret'] })
    ).toBe(false);
    expect(atMinimum({ ...count, dynamoDb: [...count.dynamoDb, 'GetItem'] })).toBe(false);
  });
});
