import type { ClassifiedEntry } from '../../../src/report/classify.js';
import {
  addCounts,
  classifySecret,
  emptyReportCounts,
  worstFirst,
} from '../../../src/report/classify.js';
import type { ReportLine } from '../../../src/report/types.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const DAY = 86_400_000;
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:rotator';
const CLEAN = { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] };
const STUCK = { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'], v3: ['AWSPENDING'] };
const PENDING_ON_CURRENT = { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT', 'AWSPENDING'] };

const entry = (fields: ClassifiedEntry): ClassifiedEntry => ({
  SecretVersionsToStages: CLEAN,
  ...fields,
});
const rotating = {
  RotationEnabled: true,
  RotationLambdaARN: LAMBDA,
  LastRotatedDate: new Date(NOW - DAY),
  NextRotationDate: new Date(NOW + 29 * DAY),
};

describe('classifySecret', () => {
  it.each([
    ['no rotation at all', entry({}), undefined],
    ['rotation disabled, no function', entry({ RotationEnabled: false }), undefined],
    [
      'rotation disabled, empty function ARN',
      entry({ RotationEnabled: false, RotationLambdaARN: '' }),
      undefined,
    ],
    [
      'stuck, labels alone (pending off current), rotation off',
      entry({ RotationLambdaARN: LAMBDA, RotationEnabled: false, SecretVersionsToStages: STUCK }),
      'stuck',
    ],
    [
      'stuck over overdue',
      entry({ ...rotating, NextRotationDate: new Date(NOW - DAY), SecretVersionsToStages: STUCK }),
      'stuck',
    ],
    [
      'stuck over never-rotated',
      entry({ RotationEnabled: true, SecretVersionsToStages: STUCK }),
      'stuck',
    ],
    [
      'AWSPENDING on AWSCURRENT is not stuck',
      entry({ ...rotating, SecretVersionsToStages: PENDING_ON_CURRENT }),
      'rotating',
    ],
    [
      'overdue: on, next date past',
      entry({ ...rotating, NextRotationDate: new Date(NOW - 1) }),
      'overdue',
    ],
    [
      'overdue over never-rotated',
      entry({ RotationEnabled: true, NextRotationDate: new Date(NOW - DAY) }),
      'overdue',
    ],
    [
      'off: function, rotation disabled',
      entry({ RotationEnabled: false, RotationLambdaARN: LAMBDA }),
      'off',
    ],
    ['off: function, RotationEnabled absent', entry({ RotationLambdaARN: LAMBDA }), 'off'],
    [
      'off over never-rotated (a cancel clears the dates)',
      entry({ RotationEnabled: false, RotationLambdaARN: LAMBDA, LastRotatedDate: undefined }),
      'off',
    ],
    [
      'off, even with a past next date',
      entry({
        RotationEnabled: false,
        RotationLambdaARN: LAMBDA,
        NextRotationDate: new Date(NOW - DAY),
      }),
      'off',
    ],
    [
      'rotating: resumed, pending its first success (no last date, next ahead)',
      entry({
        RotationEnabled: true,
        RotationLambdaARN: LAMBDA,
        NextRotationDate: new Date(NOW + DAY),
      }),
      'rotating',
    ],
    [
      'managed: OwningService set, even when stuck',
      entry({ ...rotating, OwningService: 'rds', SecretVersionsToStages: STUCK }),
      'managed',
    ],
    [
      'managed: a name like rds!…, without OwningService',
      entry({ ...rotating, Name: 'rds!db-1234', NextRotationDate: new Date(NOW - DAY) }),
      'managed',
    ],
    [
      'managed without rotation configured is not reported',
      entry({ OwningService: 'rds' }),
      undefined,
    ],
    ['never-rotated: on, no dates at all', entry({ RotationEnabled: true }), 'never-rotated'],
    ['rotating: on, next ahead', entry(rotating), 'rotating'],
    [
      'rotating: on, rotated, no next date',
      entry({ ...rotating, NextRotationDate: undefined }),
      'rotating',
    ],
    [
      'rotating: next date exactly now is not past',
      entry({ ...rotating, NextRotationDate: new Date(NOW) }),
      'rotating',
    ],
  ] as const)('%s → %s', (_label, input, expected) => {
    // Act
    const result = classifySecret(input, NOW);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('worstFirst', () => {
  it('orders by class (stuck > managed > overdue > off > never-rotated > rotating), then name', () => {
    // Prepare
    const line = (name: string, rotationClass: ReportLine['class']): ReportLine => ({
      name,
      arn: `arn:${name}`,
      class: rotationClass,
      lastRotated: null,
      nextRotation: null,
    });
    const lines = [
      line('a', 'rotating'),
      line('b', 'never-rotated'),
      line('c', 'off'),
      line('e', 'overdue'),
      line('d', 'overdue'),
      line('f', 'stuck'),
      line('g', 'managed'),
    ];

    // Act
    const sorted = [...lines].sort(worstFirst).map((l) => `${l.class}:${l.name}`);

    // Assess
    expect(sorted).toEqual([
      'stuck:f',
      'managed:g',
      'overdue:d',
      'overdue:e',
      'off:c',
      'never-rotated:b',
      'rotating:a',
    ]);
  });
});

describe('addCounts', () => {
  it('adds every class and the secrets without rotation', () => {
    // Prepare
    const one = { ...emptyReportCounts(), stuck: 1, rotating: 2, notConfigured: 3 };

    // Act
    const sum = addCounts(one, { ...one, off: 4 });

    // Assess
    expect(sum).toEqual({
      stuck: 2,
      managed: 0,
      overdue: 0,
      off: 4,
      'never-rotated': 0,
      rotating: 4,
      notConfigured: 6,
    });
  });
});
