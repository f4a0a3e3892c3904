import {
  CancelRotateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SeededSecret } from '../../emulator/secrets-manager/index.js';
import { uniqueName, useEmulator } from './support.js';

const under = useEmulator(
  {
    region: 'eu-central-1',
    accountId: '111122223333',
  },
  { region: 'eu-central-1' }
);

const managedName = (prefix: string): string => `rds!${uniqueName(prefix).replaceAll('/', '-')}`;

describe('seedFailedRotation', () => {
  it.each([
    { step: 'createSecret' as const, pendingHasValue: false },
    { step: 'setSecret' as const, pendingHasValue: true },
    { step: 'testSecret' as const, pendingHasValue: true },
    { step: 'finishSecret' as const, pendingHasValue: true },
  ])(
    '$step: three labelled versions, pending has a value: $pendingHasValue',
    async ({ step, pendingHasValue }) => {
      // Prepare
      const s = under.emulator.store.seedFailedRotation({ name: uniqueName(step), step });

      // Act
      const described = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));
      const pending = under.client
        .send(new GetSecretValueCommand({ SecretId: s.arn, VersionStage: 'AWSPENDING' }))
        .then(
          (value) => ({ value, error: undefined }),
          (error: unknown) => ({ value: undefined, error })
        );
      const current = await under.client.send(new GetSecretValueCommand({ SecretId: s.arn }));
      const previous = await under.client.send(
        new GetSecretValueCommand({ SecretId: s.arn, VersionStage: 'AWSPREVIOUS' })
      );

      // Assess
      expect(described).toMatchObject({
        RotationEnabled: true,
        RotationLambdaARN: 'arn:aws:lambda:eu-central-1:111122223333:function:rotator',
        RotationRules: { AutomaticallyAfterDays: 30 },
        VersionIdsToStages: {
          [s.previousVersionId]: ['AWSPREVIOUS'],
          [s.currentVersionId]: ['AWSCURRENT'],
          [s.pendingVersionId ?? '']: ['AWSPENDING'],
        },
      });
      expect(described.LastRotatedDate).toBeInstanceOf(Date);
      expect(described.NextRotationDate?.getTime()).toBeLessThan(Date.now());
      expect(s.arn).toMatch(/^arn:aws:secretsmanager:eu-central-1:111122223333:secret:/);
      expect(current.VersionId).toBe(s.currentVersionId);
      expect(previous.VersionId).toBe(s.previousVersionId);
      const pendingRead = await pending;
      if (pendingHasValue) {
        expect(pendingRead.value).toMatchObject({ VersionId: s.pendingVersionId });
      } else {
        expect(pendingRead.error).toMatchObject({ name: 'ResourceNotFoundException' });
      }
    }
  );

  it('honours pendingCreatedAt, rotationLambdaArn and tags', async () => {
    // Prepare
    const pendingCreatedAt = new Date('2024-01-02T03:04:05Z');

    // Act
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('opts'),
      step: 'setSecret',
      pendingCreatedAt,
      rotationLambdaArn: 'arn:aws:lambda:eu-central-1:111122223333:function:other',
      tags: { remediate: 'yes' },
    });

    // Assess
    const listed = await under.client.send(new ListSecretVersionIdsCommand({ SecretId: s.arn }));
    const pending = listed.Versions?.find((v) => v.VersionId === s.pendingVersionId);
    expect(pending?.CreatedDate?.getTime()).toBe(pendingCreatedAt.getTime());
    expect(under.emulator.store.describe(s.arn)).toMatchObject({
      RotationLambdaARN: 'arn:aws:lambda:eu-central-1:111122223333:function:other',
      Tags: [{ Key: 'remediate', Value: 'yes' }],
    });
  });

  it('rotationEnabled: false seeds the post-cancel state (dates absent, labels kept)', async () => {
    // Prepare
    const name = uniqueName('disabled');

    // Act
    const s = under.emulator.store.seedFailedRotation({
      name,
      step: 'testSecret',
      rotationEnabled: false,
    });

    // Assess
    const d = under.emulator.store.describe(s.arn);
    expect(d.RotationEnabled).toBe(false);
    expect(d.LastRotatedDate).toBeUndefined();
    expect(d.NextRotationDate).toBeUndefined();
    expect(Object.keys(d.VersionIdsToStages ?? {})).toHaveLength(3);
  });

  it('refuses a name that is taken', () => {
    // Prepare
    const name = uniqueName('taken');
    under.emulator.store.seedCleanSecret({ name });

    // Act
    const seed = () => under.emulator.store.seedFailedRotation({ name, step: 'setSecret' });

    // Assess
    expect(seed).toThrow(expect.objectContaining({ name: 'ResourceExistsException' }));
  });
});

describe('seedCleanSecret', () => {
  it.each([
    { rotationEnabled: undefined, present: false },
    { rotationEnabled: true, present: true },
    { rotationEnabled: false, present: true },
  ])(
    'rotationEnabled=$rotationEnabled → field present: $present',
    async ({ rotationEnabled, present }) => {
      // Prepare
      const name = uniqueName('clean');

      // Act
      const s = under.emulator.store.seedCleanSecret({ name, rotationEnabled });

      // Assess
      const d = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));
      expect('RotationEnabled' in d).toBe(present);
      if (present) expect(d.RotationEnabled).toBe(rotationEnabled);
      expect(s.pendingVersionId).toBeUndefined();
      expect(d.VersionIdsToStages).toEqual({
        [s.previousVersionId]: ['AWSPREVIOUS'],
        [s.currentVersionId]: ['AWSCURRENT'],
      });
    }
  );

  it('pendingOnCurrent leaves AWSPENDING on the AWSCURRENT version', () => {
    // Prepare
    const name = uniqueName('pending-on-current');

    // Act
    const s = under.emulator.store.seedCleanSecret({
      name,
      rotationEnabled: true,
      pendingOnCurrent: true,
    });

    // Assess
    expect(s.pendingVersionId).toBe(s.currentVersionId);
    expect(under.emulator.store.labels(s.arn)[s.currentVersionId]).toEqual([
      'AWSCURRENT',
      'AWSPENDING',
    ]);
  });
});

describe('managed secrets', () => {
  it('carry OwningService from the name prefix', () => {
    // Prepare
    const name = managedName('owning');

    // Act
    const s = under.emulator.store.seedFailedRotation({ name, step: 'setSecret', kind: 'managed' });

    // Assess
    expect(under.emulator.store.describe(s.arn).OwningService).toBe('rds');
  });

  it('need a "<service>!" name', () => {
    // Prepare
    const name = uniqueName('not-managed-name');

    // Act
    const seed = () =>
      under.emulator.store.seedFailedRotation({ name, step: 'setSecret', kind: 'managed' });

    // Assess
    expect(seed).toThrow(expect.objectContaining({ name: 'InvalidParameterException' }));
  });

  it.each([
    {
      operation: 'UpdateSecretVersionStage',
      act: (s: SeededSecret) =>
        under.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: s.arn,
            VersionStage: 'AWSPENDING',
            RemoveFromVersionId: s.pendingVersionId,
          })
        ),
    },
    {
      operation: 'PutSecretValue',
      act: (s: SeededSecret) =>
        under.client.send(new PutSecretValueCommand({ SecretId: s.arn, SecretString: 'x' })),
    },
    {
      operation: 'CancelRotateSecret',
      act: (s: SeededSecret) =>
        under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn })),
    },
  ])('$operation → InvalidRequestException, nothing changed', async ({ act }) => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: managedName('refuse'),
      step: 'setSecret',
      kind: 'managed',
    });
    const before = under.emulator.store.describe(s.arn);

    // Act
    const outcome = act(s);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(under.emulator.store.describe(s.arn)).toEqual(before);
  });

  it('allow CancelRotateSecret with managedAllowsCancel (labels untouched)', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: managedName('allow'),
      step: 'setSecret',
      kind: 'managed',
      managedAllowsCancel: true,
    });
    const labels = under.emulator.store.labels(s.arn);

    // Act
    const out = await under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(out.VersionId).toBe(s.pendingVersionId);
    expect(under.emulator.store.describe(s.arn).RotationEnabled).toBe(false);
    expect(under.emulator.store.labels(s.arn)).toEqual(labels);
  });
});

describe('replica secrets', () => {
  it.each([
    { primaryRegion: undefined, expected: 'us-west-2' },
    { primaryRegion: 'ap-south-1', expected: 'ap-south-1' },
  ])(
    'PrimaryRegion $expected (given: $primaryRegion), DescribeSecret works',
    async ({ primaryRegion, expected }) => {
      // Prepare
      const name = uniqueName('replica');

      // Act
      const s = under.emulator.store.seedFailedRotation({
        name,
        step: 'setSecret',
        kind: 'replica',
        primaryRegion,
      });

      // Assess
      const d = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));
      expect(d.PrimaryRegion).toBe(expected);
    }
  );

  it.each([
    {
      operation: 'UpdateSecretVersionStage',
      act: (s: SeededSecret) =>
        under.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: s.arn,
            VersionStage: 'AWSPENDING',
            RemoveFromVersionId: s.pendingVersionId,
          })
        ),
    },
    {
      operation: 'PutSecretValue',
      act: (s: SeededSecret) =>
        under.client.send(new PutSecretValueCommand({ SecretId: s.arn, SecretString: 'x' })),
    },
    {
      operation: 'CancelRotateSecret',
      act: (s: SeededSecret) =>
        under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn })),
    },
    {
      operation: 'RotateSecret',
      act: (s: SeededSecret) => under.client.send(new RotateSecretCommand({ SecretId: s.arn })),
    },
    {
      operation: 'UpdateSecret',
      act: (s: SeededSecret) =>
        under.client.send(new UpdateSecretCommand({ SecretId: s.arn, Description: 'x' })),
    },
    {
      operation: 'TagResource',
      act: (s: SeededSecret) =>
        under.client.send(
          new TagResourceCommand({ SecretId: s.arn, Tags: [{ Key: 'k', Value: 'v' }] })
        ),
    },
    {
      operation: 'UntagResource',
      act: (s: SeededSecret) =>
        under.client.send(new UntagResourceCommand({ SecretId: s.arn, TagKeys: ['k'] })),
    },
    {
      operation: 'DeleteSecret',
      act: (s: SeededSecret) => under.client.send(new DeleteSecretCommand({ SecretId: s.arn })),
    },
    {
      operation: 'RestoreSecret',
      act: (s: SeededSecret) => under.client.send(new RestoreSecretCommand({ SecretId: s.arn })),
    },
  ])('$operation → InvalidRequestException, nothing changed', async ({ act }) => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('replica-ro'),
      step: 'setSecret',
      kind: 'replica',
      tags: { k: 'v' },
    });
    const before = under.emulator.store.describe(s.arn);

    // Act
    const outcome = act(s);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(under.emulator.store.describe(s.arn)).toEqual(before);
  });
});

describe('store helpers', () => {
  it('attachLabel moves a label raw (no AWSPREVIOUS bookkeeping) and can create a version', () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('attach'),
      step: 'setSecret',
    });
    const fresh = 'f'.repeat(36);

    // Act
    under.emulator.store.attachLabel(s.arn, 'AWSCURRENT', s.pendingVersionId ?? '');
    under.emulator.store.attachLabel(s.name, 'AWSPENDING', fresh);

    // Assess
    expect(under.emulator.store.labels(s.arn)).toEqual({
      [s.previousVersionId]: ['AWSPREVIOUS'],
      [s.pendingVersionId ?? '']: ['AWSCURRENT'],
      [fresh]: ['AWSPENDING'],
    });
    expect(under.emulator.store.versions(s.arn).find((v) => v.versionId === fresh)?.hasValue).toBe(
      false
    );
  });

  it('setPendingCreatedDate and markForDeletion change state directly', () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('helpers'),
      step: 'setSecret',
    });
    const date = new Date('2023-05-06T07:08:09Z');

    // Act
    under.emulator.store.setPendingCreatedDate(s.arn, s.pendingVersionId ?? '', date);
    under.emulator.store.markForDeletion(s.arn);

    // Assess
    const pending = under.emulator.store
      .versions(s.arn)
      .find((v) => v.versionId === s.pendingVersionId);
    expect(pending?.createdDate).toEqual(date);
    expect(under.emulator.store.describe(s.arn).DeletedDate).toEqual(expect.any(Number));
  });

  it('helpers on an unknown secret throw ResourceNotFoundException', () => {
    // Prepare
    const name = uniqueName('ghost');

    // Act
    const read = () => under.emulator.store.labels(name);

    // Assess
    expect(read).toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException', status: 400 })
    );
  });
});
