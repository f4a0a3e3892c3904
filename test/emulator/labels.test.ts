import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SeededSecret } from '../../emulator/secrets-manager/index.js';
import { ErrorMessage } from '../../emulator/secrets-manager/index.js';
import { uniqueName, useEmulator } from './support.js';

const under = useEmulator();

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:rotator';
const sorted = (labels: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(labels).map(([id, l]) => [id, [...l].sort()]));

describe('UpdateSecretVersionStage', () => {
  it('moving AWSCURRENT moves AWSPREVIOUS to the version AWSCURRENT left', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('promote'),
      step: 'finishSecret',
    });
    const pending = s.pendingVersionId ?? '';

    // Act
    await under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.arn,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: pending,
        RemoveFromVersionId: s.currentVersionId,
      })
    );

    // Assess
    expect(sorted(under.emulator.store.labels(s.arn))).toEqual({
      [pending]: ['AWSCURRENT', 'AWSPENDING'],
      [s.currentVersionId]: ['AWSPREVIOUS'],
    });
  });

  it('requires RemoveFromVersionId when the label is attached elsewhere (message as quoted)', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('no-remove'),
      step: 'finishSecret',
    });
    const before = under.emulator.store.describe(s.arn);

    // Act
    const outcome = under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.arn,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: s.pendingVersionId,
      })
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${s.currentVersionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
      $metadata: { httpStatusCode: 400 },
    });
    expect(under.emulator.store.describe(s.arn)).toEqual(before);
  });

  it.each([
    { case: 'move naming the wrong holder', move: true },
    { case: 'remove from a version not holding the label', move: false },
  ])('$case → InvalidParameterException, nothing changed', async ({ move }) => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('wrong'),
      step: 'finishSecret',
    });
    const before = under.emulator.store.describe(s.arn);

    // Act
    const outcome = under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.arn,
        VersionStage: move ? 'AWSCURRENT' : 'AWSPENDING',
        MoveToVersionId: move ? s.pendingVersionId : undefined,
        RemoveFromVersionId: s.previousVersionId,
      })
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(under.emulator.store.describe(s.arn)).toEqual(before);
  });

  it('removes a label with RemoveFromVersionId only (the discard)', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('discard'),
      step: 'setSecret',
    });

    // Act
    await under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.name,
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: s.pendingVersionId,
      })
    );

    // Assess
    expect(under.emulator.store.labels(s.arn)).toEqual({
      [s.previousVersionId]: ['AWSPREVIOUS'],
      [s.currentVersionId]: ['AWSCURRENT'],
    });
    const versions = under.emulator.store.versions(s.arn).map((v) => v.versionId);
    expect(versions).toContain(s.pendingVersionId);
  });

  it('refuses to remove AWSCURRENT without moving it', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('rm-current') });

    // Act
    const outcome = under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.arn,
        VersionStage: 'AWSCURRENT',
        RemoveFromVersionId: s.currentVersionId,
      })
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(under.emulator.store.labels(s.arn)[s.currentVersionId]).toEqual(['AWSCURRENT']);
  });

  it('keeps a label on at most one version (custom label moved with RemoveFromVersionId)', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('custom') });
    await under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.arn,
        VersionStage: 'MYLABEL',
        MoveToVersionId: s.previousVersionId,
      })
    );

    // Act
    await under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.arn,
        VersionStage: 'MYLABEL',
        MoveToVersionId: s.currentVersionId,
        RemoveFromVersionId: s.previousVersionId,
      })
    );

    // Assess
    const holders = Object.entries(under.emulator.store.labels(s.arn)).filter(([, l]) =>
      l.includes('MYLABEL')
    );
    expect(holders.map(([id]) => id)).toEqual([s.currentVersionId]);
    expect(under.emulator.store.labels(s.arn)[s.previousVersionId]).toEqual(['AWSPREVIOUS']);
  });

  it('rejects an unknown MoveToVersionId with InvalidParameterException', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('unknown-move') });

    // Act
    const outcome = under.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: s.arn,
        VersionStage: 'MYLABEL',
        MoveToVersionId: '00000000-0000-0000-0000-000000000000',
      })
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('PutSecretValue', () => {
  it('attaches AWSCURRENT by default and moves AWSPREVIOUS to the old current', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('put') });

    // Act
    const out = await under.client.send(
      new PutSecretValueCommand({ SecretId: s.arn, SecretString: 'v3' })
    );

    // Assess
    expect(out.VersionStages).toEqual(['AWSCURRENT']);
    expect(under.emulator.store.labels(s.arn)).toEqual({
      [s.currentVersionId]: ['AWSPREVIOUS'],
      [out.VersionId ?? '']: ['AWSCURRENT'],
    });
  });

  it('moves a label given in VersionStages off the version that had it', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('put-pending'),
      step: 'setSecret',
    });

    // Act
    const out = await under.client.send(
      new PutSecretValueCommand({
        SecretId: s.arn,
        SecretString: 'p2',
        VersionStages: ['AWSPENDING'],
      })
    );

    // Assess
    const labels = under.emulator.store.labels(s.arn);
    expect(labels[out.VersionId ?? '']).toEqual(['AWSPENDING']);
    expect(labels[s.pendingVersionId ?? '']).toBeUndefined();
  });

  it('is idempotent on the same token and value, ResourceExistsException on a different value', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('put-token') });
    const token = 'a'.repeat(32);
    const first = await under.client.send(
      new PutSecretValueCommand({
        SecretId: s.arn,
        SecretString: 'same',
        ClientRequestToken: token,
      })
    );
    const labelsAfterFirst = under.emulator.store.labels(s.arn);

    // Act
    const again = await under.client.send(
      new PutSecretValueCommand({
        SecretId: s.arn,
        SecretString: 'same',
        ClientRequestToken: token,
      })
    );
    const different = under.client.send(
      new PutSecretValueCommand({
        SecretId: s.arn,
        SecretString: 'other',
        ClientRequestToken: token,
      })
    );

    // Assess
    expect(again.VersionId).toBe(first.VersionId);
    await expect(different).rejects.toMatchObject({ name: 'ResourceExistsException' });
    expect(under.emulator.store.labels(s.arn)).toEqual(labelsAfterFirst);
  });

  it('fills the valueless version RotateSecret made (the createSecret step)', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('fill'),
      step: 'createSecret',
    });

    // Act
    await under.client.send(
      new PutSecretValueCommand({
        SecretId: s.arn,
        SecretString: 'new',
        ClientRequestToken: s.pendingVersionId,
        VersionStages: ['AWSPENDING'],
      })
    );

    // Assess
    const pending = await under.client.send(
      new GetSecretValueCommand({ SecretId: s.arn, VersionStage: 'AWSPENDING' })
    );
    expect(pending).toMatchObject({ VersionId: s.pendingVersionId, SecretString: 'new' });
  });
});

describe('RotateSecret', () => {
  it('is refused while AWSPENDING sits on a version other than AWSCURRENT (message as quoted)', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('refused'),
      step: 'setSecret',
    });
    const before = under.emulator.store.describe(s.arn);

    // Act
    const outcome = under.client.send(new RotateSecretCommand({ SecretId: s.arn }));

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: ErrorMessage.previousRotationIncomplete,
    });
    expect(under.emulator.store.describe(s.arn)).toEqual(before);
  });

  it('is allowed when AWSPENDING sits on AWSCURRENT: AWSPENDING goes to a new valueless version', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({
      name: uniqueName('allowed'),
      rotationEnabled: true,
      pendingOnCurrent: true,
    });

    // Act
    const out = await under.client.send(new RotateSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(out.VersionId).toBeDefined();
    expect(under.emulator.store.labels(s.arn)).toEqual({
      [s.previousVersionId]: ['AWSPREVIOUS'],
      [s.currentVersionId]: ['AWSCURRENT'],
      [out.VersionId ?? '']: ['AWSPENDING'],
    });
    await expect(
      under.client.send(new GetSecretValueCommand({ SecretId: s.arn, VersionStage: 'AWSPENDING' }))
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('needs a rotation Lambda ARN when none was ever configured', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('no-lambda') });

    // Act
    const outcome = under.client.send(new RotateSecretCommand({ SecretId: s.arn }));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(under.emulator.store.describe(s.arn).RotationEnabled).toBeUndefined();
  });

  it('RotationEnabled is absent until configured, true after RotateSecret, false after a cancel', async () => {
    // Prepare
    const name = uniqueName('enabled');
    await under.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
    const fresh = await under.client.send(new DescribeSecretCommand({ SecretId: name }));

    // Act
    await under.client.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: LAMBDA,
        RotationRules: { AutomaticallyAfterDays: 7 },
        RotateImmediately: false,
      })
    );
    const rotating = await under.client.send(new DescribeSecretCommand({ SecretId: name }));
    await under.client.send(new CancelRotateSecretCommand({ SecretId: name }));
    const cancelled = await under.client.send(new DescribeSecretCommand({ SecretId: name }));

    // Assess
    expect('RotationEnabled' in fresh).toBe(false);
    expect(rotating).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: LAMBDA,
      RotationRules: { AutomaticallyAfterDays: 7 },
    });
    expect(rotating.NextRotationDate).toBeInstanceOf(Date);
    expect(cancelled.RotationEnabled).toBe(false);
  });
});

describe('CancelRotateSecret', () => {
  it('disables rotation, keeps ARN and rules, drops the rotation dates, leaves labels alone', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('cancel'),
      step: 'testSecret',
    });
    const labelsBefore = under.emulator.store.labels(s.arn);
    const before = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));

    // Act
    const out = await under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));
    const after = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(out).toMatchObject({ ARN: s.arn, Name: s.name, VersionId: s.pendingVersionId });
    expect(before.LastRotatedDate).toBeInstanceOf(Date);
    expect(before.NextRotationDate).toBeInstanceOf(Date);
    expect(after.RotationEnabled).toBe(false);
    expect(after.RotationLambdaARN).toBe(before.RotationLambdaARN);
    expect(after.RotationRules).toEqual(before.RotationRules);
    expect(after.LastRotatedDate).toBeUndefined();
    expect(after.NextRotationDate).toBeUndefined();
    expect(under.emulator.store.labels(s.arn)).toEqual(labelsBefore);
  });

  it('is harmless when called again', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('cancel2'),
      step: 'setSecret',
    });
    await under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));
    const before = under.emulator.store.describe(s.arn);

    // Act
    const again = await under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(again.ARN).toBe(s.arn);
    const after = under.emulator.store.describe(s.arn);
    expect({ ...after, LastChangedDate: 0 }).toEqual({ ...before, LastChangedDate: 0 });
  });

  it('omits VersionId when AWSPENDING is not on a separate version', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({
      name: uniqueName('cancel-clean'),
      rotationEnabled: true,
      pendingOnCurrent: true,
    });

    // Act
    const out = await under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(out.VersionId).toBeUndefined();
  });

  it('is refused when no rotation Lambda was ever configured', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('cancel-never') });

    // Act
    const outcome = under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect('RotationEnabled' in under.emulator.store.describe(s.arn)).toBe(false);
  });
});

describe('atomicity: a failed call changes nothing', () => {
  const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  const stuck = (): SeededSecret =>
    under.emulator.store.seedFailedRotation({
      name: uniqueName('atomic'),
      step: 'setSecret',
      tags: { owner: 'team' },
    });
  const neverRotated = (): SeededSecret =>
    under.emulator.store.seedCleanSecret({
      name: uniqueName('atomic-clean'),
      tags: { owner: 'team' },
    });

  it.each([
    {
      case: 'UpdateSecretVersionStage without RemoveFromVersionId',
      seed: stuck,
      act: (s: SeededSecret) =>
        under.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: s.arn,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: s.pendingVersionId,
          })
        ),
    },
    {
      case: 'PutSecretValue reusing a token with another value',
      seed: stuck,
      act: (s: SeededSecret) =>
        under.client.send(
          new PutSecretValueCommand({
            SecretId: s.arn,
            SecretString: 'different',
            ClientRequestToken: s.currentVersionId,
          })
        ),
    },
    {
      case: 'RotateSecret while a rotation is pending',
      seed: stuck,
      act: (s: SeededSecret) =>
        under.client.send(
          new RotateSecretCommand({ SecretId: s.arn, RotationLambdaARN: `${LAMBDA}2` })
        ),
    },
    {
      case: 'RotateSecret whose new version id is taken (fails after configuring rotation)',
      seed: neverRotated,
      act: (s: SeededSecret) =>
        under.client.send(
          new RotateSecretCommand({
            SecretId: s.arn,
            RotationLambdaARN: LAMBDA,
            ClientRequestToken: s.previousVersionId,
          })
        ),
    },
    {
      case: 'TagResource going over 50 tags (fails after merging)',
      seed: stuck,
      act: (s: SeededSecret) =>
        under.client.send(new TagResourceCommand({ SecretId: s.arn, Tags: fifty })),
    },
    {
      case: 'DeleteSecret with both ForceDeleteWithoutRecovery and a window',
      seed: stuck,
      act: (s: SeededSecret) =>
        under.client.send(
          new DeleteSecretCommand({
            SecretId: s.arn,
            ForceDeleteWithoutRecovery: true,
            RecoveryWindowInDays: 7,
          })
        ),
    },
  ])('$case', async ({ seed, act }) => {
    // Prepare
    const s = seed();
    const before = under.emulator.store.describe(s.arn);
    const versionsBefore = under.emulator.store.versions(s.arn);

    // Act
    const outcome = act(s);

    // Assess
    await expect(outcome).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(under.emulator.store.describe(s.arn)).toEqual(before);
    expect(under.emulator.store.versions(s.arn)).toEqual(versionsBefore);
  });
});

describe('a secret marked for deletion', () => {
  it.each([
    {
      operation: 'PutSecretValue',
      act: (s: SeededSecret) =>
        under.client.send(new PutSecretValueCommand({ SecretId: s.arn, SecretString: 'x' })),
    },
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
      operation: 'RotateSecret',
      act: (s: SeededSecret) => under.client.send(new RotateSecretCommand({ SecretId: s.arn })),
    },
    {
      operation: 'CancelRotateSecret',
      act: (s: SeededSecret) =>
        under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn })),
    },
    {
      operation: 'TagResource',
      act: (s: SeededSecret) =>
        under.client.send(
          new TagResourceCommand({ SecretId: s.arn, Tags: [{ Key: 'a', Value: 'b' }] })
        ),
    },
    {
      operation: 'UntagResource',
      act: (s: SeededSecret) =>
        under.client.send(new UntagResourceCommand({ SecretId: s.arn, TagKeys: ['owner'] })),
    },
    {
      operation: 'UpdateSecret',
      act: (s: SeededSecret) =>
        under.client.send(new UpdateSecretCommand({ SecretId: s.arn, Description: 'x' })),
    },
    {
      operation: 'DeleteSecret',
      act: (s: SeededSecret) => under.client.send(new DeleteSecretCommand({ SecretId: s.arn })),
    },
  ])(
    '$operation → InvalidRequestException (message as quoted), nothing changed',
    async ({ act }) => {
      // Prepare
      const s = under.emulator.store.seedFailedRotation({
        name: uniqueName('deleted'),
        step: 'setSecret',
        tags: { owner: 'team' },
      });
      under.emulator.store.markForDeletion(s.arn);
      const before = under.emulator.store.describe(s.arn);

      // Act
      const outcome = act(s);

      // Assess
      await expect(outcome).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: ErrorMessage.markedForDeletion,
        $metadata: { httpStatusCode: 400 },
      });
      expect(under.emulator.store.describe(s.arn)).toEqual(before);
    }
  );

  it('still answers DescribeSecret (with DeletedDate), and RestoreSecret clears the mark', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('restore'),
      step: 'setSecret',
    });
    await under.client.send(new DeleteSecretCommand({ SecretId: s.arn, RecoveryWindowInDays: 7 }));

    // Act
    const described = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));
    await under.client.send(new RestoreSecretCommand({ SecretId: s.arn }));
    const restored = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(described.DeletedDate).toBeInstanceOf(Date);
    expect(described.VersionIdsToStages).toEqual(under.emulator.store.labels(s.arn));
    expect(restored.DeletedDate).toBeUndefined();
  });
});
