import type { SecretListEntry, SecretVersionsListEntry } from '@aws-sdk/client-secrets-manager';
import {
  isPastGrace,
  selectCandidates,
  stuckPendingVersionOf,
} from '../../../src/sweep/candidates.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf';
const [V1, V2, V3] = [
  '11111111-1111-1111-1111-111111111111',
  '22222222-2222-2222-2222-222222222222',
  '33333333-3333-3333-3333-333333333333',
] as const;

const entry = (overrides: Partial<SecretListEntry> = {}): SecretListEntry => ({
  ARN,
  Name: 'app/db',
  RotationEnabled: true,
  SecretVersionsToStages: {
    [V1]: ['AWSPREVIOUS'],
    [V2]: ['AWSCURRENT'],
    [V3]: ['AWSPENDING'],
  },
  ...overrides,
});

describe('selectCandidates', () => {
  const selectionCases: {
    name: string;
    overrides: Partial<SecretListEntry>;
    candidate: boolean;
  }[] = [
    { name: 'AWSPENDING on a third version', overrides: {}, candidate: true },
    {
      name: 'AWSPENDING on a version that also has a custom label',
      overrides: {
        SecretVersionsToStages: { [V2]: ['AWSCURRENT'], [V3]: ['AWSPENDING', 'blue'] },
      },
      candidate: true,
    },
    {
      name: 'AWSPENDING with no AWSCURRENT anywhere',
      overrides: { SecretVersionsToStages: { [V3]: ['AWSPENDING'] } },
      candidate: true,
    },
    {
      name: 'rotation disabled after a cancel, AWSPENDING kept',
      overrides: { RotationEnabled: false },
      candidate: true,
    },
    {
      name: 'rotation never configured (field absent)',
      overrides: { RotationEnabled: undefined },
      candidate: true,
    },
    {
      name: 'NextRotationDate in the future (not relied on)',
      overrides: { NextRotationDate: new Date('2999-01-01T00:00:00Z') },
      candidate: true,
    },
    {
      name: 'AWSPENDING on the AWSCURRENT version (legal resting state)',
      overrides: {
        SecretVersionsToStages: { [V1]: ['AWSPREVIOUS'], [V2]: ['AWSCURRENT', 'AWSPENDING'] },
      },
      candidate: false,
    },
    {
      name: 'no AWSPENDING',
      overrides: { SecretVersionsToStages: { [V1]: ['AWSPREVIOUS'], [V2]: ['AWSCURRENT'] } },
      candidate: false,
    },
    {
      name: 'no label picture at all',
      overrides: { SecretVersionsToStages: undefined },
      candidate: false,
    },
    { name: 'no ARN', overrides: { ARN: undefined }, candidate: false },
  ];

  it.each(selectionCases)('$name → candidate: $candidate', ({ overrides, candidate }) => {
    // Act
    const selection = selectCandidates([entry(overrides)]);

    // Assess
    expect(selection.candidates).toEqual(candidate ? [{ arn: ARN, pendingVersionId: V3 }] : []);
    expect(selection.skipped).toEqual({});
  });

  const skipCases: {
    name: string;
    overrides: Partial<SecretListEntry>;
    requiredTag: { key: string; value: string } | undefined;
    skipped: Record<string, number>;
  }[] = [
    {
      name: 'a replica (repaired in its primary region)',
      overrides: { PrimaryRegion: 'us-west-2' },
      requiredTag: undefined,
      skipped: { replica: 1 },
    },
    {
      name: 'marked for deletion',
      overrides: { DeletedDate: new Date('2026-01-01T00:00:00Z') },
      requiredTag: undefined,
      skipped: { 'marked-for-deletion': 1 },
    },
    {
      name: 'without the REQUIRED_TAG',
      overrides: { Tags: [{ Key: 'team', Value: 'db' }] },
      requiredTag: { key: 'remediate', value: 'yes' },
      skipped: { 'out-of-scope': 1 },
    },
    {
      name: 'with the REQUIRED_TAG key but another value',
      overrides: { Tags: [{ Key: 'remediate', Value: 'no' }] },
      requiredTag: { key: 'remediate', value: 'yes' },
      skipped: { 'out-of-scope': 1 },
    },
  ];

  it.each(skipCases)(
    'skips a stuck-looking secret $name',
    ({ overrides, requiredTag, skipped }) => {
      // Act
      const selection = selectCandidates([entry(overrides)], { requiredTag });

      // Assess
      expect(selection).toEqual({ candidates: [], skipped });
    }
  );

  it('keeps a secret carrying the REQUIRED_TAG', () => {
    // Prepare
    const tagged = entry({
      Tags: [
        { Key: 'team', Value: 'db' },
        { Key: 'remediate', Value: 'yes' },
      ],
    });

    // Act
    const selection = selectCandidates([tagged], {
      requiredTag: { key: 'remediate', value: 'yes' },
    });

    // Assess
    expect(selection.candidates).toEqual([{ arn: ARN, pendingVersionId: V3 }]);
  });

  it('keeps the order of the page and ignores clean secrets between candidates', () => {
    // Prepare
    const arns = ['a', 'b', 'c', 'd'].map((suffix) => `${ARN}${suffix}`);
    const page = [
      entry({ ARN: arns[0] }),
      entry({ ARN: arns[1], SecretVersionsToStages: { [V2]: ['AWSCURRENT'] } }),
      entry({ ARN: arns[2], PrimaryRegion: 'eu-west-1' }),
      entry({ ARN: arns[3] }),
    ];

    // Act
    const selection = selectCandidates(page);

    // Assess
    expect(selection.candidates.map((candidate) => candidate.arn)).toEqual([arns[0], arns[3]]);
    expect(selection.skipped).toEqual({ replica: 1 });
  });

  it('selects nothing from an empty page', () => {
    // Act & Assess
    expect(selectCandidates([])).toEqual({ candidates: [], skipped: {} });
  });
});

describe('stuckPendingVersionOf', () => {
  const created = new Date('2026-03-01T10:00:00Z');

  it.each([
    {
      name: 'AWSPENDING on its own version',
      versions: [
        { VersionId: V2, VersionStages: ['AWSCURRENT'] },
        { VersionId: V3, VersionStages: ['AWSPENDING'], CreatedDate: created },
      ],
      expected: { versionId: V3, createdDate: created },
    },
    {
      name: 'no CreatedDate',
      versions: [{ VersionId: V3, VersionStages: ['AWSPENDING'] }],
      expected: { versionId: V3, createdDate: undefined },
    },
    {
      name: 'AWSPENDING on AWSCURRENT',
      versions: [{ VersionId: V2, VersionStages: ['AWSCURRENT', 'AWSPENDING'] }],
      expected: undefined,
    },
    {
      name: 'no AWSPENDING (removed since ListSecrets)',
      versions: [{ VersionId: V2, VersionStages: ['AWSCURRENT'] }],
      expected: undefined,
    },
    { name: 'no versions', versions: [], expected: undefined },
  ] as const satisfies readonly {
    name: string;
    versions: readonly SecretVersionsListEntry[];
    expected: unknown;
  }[])('$name', ({ versions, expected }) => {
    // Act & Assess
    expect(stuckPendingVersionOf(versions)).toEqual(expected);
  });
});

describe('isPastGrace', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const ago = (seconds: number): Date => new Date(now - seconds * 1000);

  it.each([
    { name: 'older than the grace', created: ago(3601), grace: 3600, stuck: true },
    { name: 'exactly the grace old', created: ago(3600), grace: 3600, stuck: false },
    { name: 'younger than the grace (running)', created: ago(60), grace: 3600, stuck: false },
    { name: 'created in the future (clock skew)', created: ago(-30), grace: 3600, stuck: false },
    { name: 'of unknown age', created: undefined, grace: 3600, stuck: false },
    { name: 'grace 0: just created', created: ago(0), grace: 0, stuck: true },
    { name: 'grace 0: unknown age', created: undefined, grace: 0, stuck: true },
    { name: 'grace 0: from the future', created: ago(-30), grace: 0, stuck: true },
    { name: 'an invalid date', created: new Date(Number.NaN), grace: 60, stuck: false },
  ] as const)('$name → $stuck', ({ created, grace, stuck }) => {
    // Act & Assess
    expect(isPastGrace(created, now, grace)).toBe(stuck);
  });
});
