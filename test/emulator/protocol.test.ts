import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { rawCall, uniqueName, useEmulator } from './support.js';

const under = useEmulator();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('wire format', () => {
  it('answers errors with __type/Message, x-amzn-ErrorType, a request id and status 400', async () => {
    // Prepare
    const body = { SecretId: uniqueName('missing') };

    // Act
    const response = await rawCall(under.emulator, 'secretsmanager.DescribeSecret', body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      __type: 'ResourceNotFoundException',
      Message: expect.any(String),
    });
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
  });

  it('sends dates as epoch seconds and a request id on success', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('dates'),
      step: 'setSecret',
    });
    const nowSeconds = Date.now() / 1000;

    // Act
    const response = await rawCall(under.emulator, 'secretsmanager.DescribeSecret', {
      SecretId: s.arn,
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
    for (const field of ['CreatedDate', 'LastChangedDate', 'LastRotatedDate', 'NextRotationDate']) {
      const value = response.json[field];
      expect(typeof value).toBe('number');
      expect(Math.abs(Number(value) - nowSeconds)).toBeLessThan(200 * 86_400);
    }
    expect('RotationEnabled' in response.json).toBe(true);
  });

  it.each([
    {
      case: 'unknown operation',
      target: 'secretsmanager.Frobnicate',
      error: 'UnknownOperationException',
    },
    { case: 'other service prefix', target: 'kms.DescribeKey', error: 'UnknownOperationException' },
    { case: 'no target header', target: undefined, error: 'UnknownOperationException' },
  ])('$case → 400 $error', async ({ target, error }) => {
    // Prepare
    const body = {};

    // Act
    const response = await rawCall(under.emulator, target, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe(error);
  });

  it('rejects a body that is not JSON with SerializationException', async () => {
    // Prepare
    const rawBody = '{not json';

    // Act
    const response = await rawCall(under.emulator, 'secretsmanager.DescribeSecret', undefined, {
      rawBody,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('SerializationException');
  });

  it('rejects a missing SecretId with InvalidParameterException', async () => {
    // Prepare
    const body = {};

    // Act
    const response = await rawCall(under.emulator, 'secretsmanager.CancelRotateSecret', body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('InvalidParameterException');
  });
});

describe('secret ids and ARNs', () => {
  it('makes ARNs arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 alphanumerics>', async () => {
    // Prepare
    const name = uniqueName('arn');

    // Act
    const created = await under.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v' })
    );

    // Assess
    const escaped = name.replace(/[/.]/g, '\\$&');
    expect(created.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:123456789012:secret:${escaped}-[A-Za-z0-9]{6}$`)
    );
  });

  it.each([{ by: 'name' as const }, { by: 'arn' as const }])(
    'accepts the $by as SecretId',
    async ({ by }) => {
      // Prepare
      const s = under.emulator.store.seedCleanSecret({ name: uniqueName(`by-${by}`) });

      // Act
      const out = await under.client.send(
        new DescribeSecretCommand({ SecretId: by === 'name' ? s.name : s.arn })
      );

      // Assess
      expect(out).toMatchObject({ ARN: s.arn, Name: s.name });
    }
  );

  it.each([
    { case: 'unknown name', id: () => uniqueName('nope') },
    {
      case: 'partial ARN',
      id: () =>
        under.emulator.store.seedCleanSecret({ name: uniqueName('partial') }).arn.slice(0, -7),
    },
    {
      case: 'ARN of another account',
      id: () =>
        under.emulator.store
          .seedCleanSecret({ name: uniqueName('acct') })
          .arn.replace('123456789012', '999999999999'),
    },
  ])('$case → ResourceNotFoundException', async ({ id }) => {
    // Prepare
    const secretId = id();

    // Act
    const outcome = under.client.send(new DescribeSecretCommand({ SecretId: secretId }));

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('CreateSecret and request validation', () => {
  it.each([
    { case: 'empty', name: '' },
    { case: 'too long', name: 'a'.repeat(513) },
    { case: 'space', name: 'bad name' },
    { case: 'bang (managed only)', name: 'rds!mine' },
    { case: 'semicolon', name: 'semi;colon' },
  ])('rejects a name with $case with InvalidParameterException', async ({ name }) => {
    // Prepare
    const input = { Name: name, SecretString: 'v' };

    // Act
    const outcome = under.client.send(new CreateSecretCommand(input));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('accepts a 512-char name of every allowed character class', async () => {
    // Prepare
    const name = `Az09/_+=.@-${'x'.repeat(501)}`;

    // Act
    const out = await under.client.send(new CreateSecretCommand({ Name: name }));

    // Assess
    expect(out.Name).toBe(name);
  });

  it('creates an AWSCURRENT version only when a value is given', async () => {
    // Prepare
    const withValue = uniqueName('with-value');
    const withoutValue = uniqueName('without-value');

    // Act
    const a = await under.client.send(
      new CreateSecretCommand({ Name: withValue, SecretString: 'v' })
    );
    const b = await under.client.send(new CreateSecretCommand({ Name: withoutValue }));

    // Assess
    expect(under.emulator.store.labels(withValue)).toEqual({ [a.VersionId ?? '']: ['AWSCURRENT'] });
    expect(b.VersionId).toBeUndefined();
    expect(under.emulator.store.versions(withoutValue)).toEqual([]);
    expect('VersionIdsToStages' in under.emulator.store.describe(withoutValue)).toBe(false);
  });

  it('gives ResourceExistsException on a duplicate name', async () => {
    // Prepare
    const name = uniqueName('dup');
    await under.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));

    // Act
    const outcome = under.client.send(new CreateSecretCommand({ Name: name, SecretString: 'w' }));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'ResourceExistsException' });
  });

  it.each([
    {
      case: 'VersionId shorter than 32',
      send: () =>
        under.client.send(
          new GetSecretValueCommand({ SecretId: uniqueName('x'), VersionId: 'short' })
        ),
    },
    {
      case: 'MaxResults 0',
      send: () =>
        under.client.send(
          new ListSecretVersionIdsCommand({ SecretId: uniqueName('x'), MaxResults: 0 })
        ),
    },
    {
      case: 'MaxResults 101',
      send: () =>
        under.client.send(
          new ListSecretVersionIdsCommand({ SecretId: uniqueName('x'), MaxResults: 101 })
        ),
    },
    {
      case: 'RecoveryWindowInDays 6',
      send: () =>
        under.client.send(
          new DeleteSecretCommand({ SecretId: uniqueName('x'), RecoveryWindowInDays: 6 })
        ),
    },
    {
      case: 'both SecretString and SecretBinary',
      send: () =>
        under.client.send(
          new CreateSecretCommand({
            Name: uniqueName('both'),
            SecretString: 'a',
            SecretBinary: new Uint8Array([1]),
          })
        ),
    },
  ])('rejects $case with InvalidParameterException', async ({ send }) => {
    // Prepare
    const callsBefore = under.emulator.countCalls();

    // Act
    const outcome = send();

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(under.emulator.countCalls()).toBe(callsBefore + 1);
  });
});

describe('values, deletion, tags', () => {
  it('round-trips SecretString and SecretBinary', async () => {
    // Prepare
    const text = uniqueName('text');
    const binary = uniqueName('binary');
    await under.client.send(new CreateSecretCommand({ Name: text, SecretString: 's3cret' }));
    await under.client.send(
      new CreateSecretCommand({ Name: binary, SecretBinary: new Uint8Array([0, 1, 254, 255]) })
    );

    // Act
    const t = await under.client.send(new GetSecretValueCommand({ SecretId: text }));
    const b = await under.client.send(new GetSecretValueCommand({ SecretId: binary }));

    // Assess
    expect(t).toMatchObject({ SecretString: 's3cret', VersionStages: ['AWSCURRENT'] });
    expect(t.CreatedDate).toBeInstanceOf(Date);
    expect([...(b.SecretBinary ?? [])]).toEqual([0, 1, 254, 255]);
  });

  it('schedules deletion (DeletionDate = now + window) and blocks re-creating the name', async () => {
    // Prepare
    const name = uniqueName('del');
    await under.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));

    // Act
    const out = await under.client.send(
      new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 })
    );
    const recreate = under.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
    const read = under.client.send(new GetSecretValueCommand({ SecretId: name }));

    // Assess
    const days = ((out.DeletionDate?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    await expect(recreate).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(read).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('removes at once with ForceDeleteWithoutRecovery', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('force') });

    // Act
    await under.client.send(
      new DeleteSecretCommand({ SecretId: s.arn, ForceDeleteWithoutRecovery: true })
    );

    // Assess
    expect(under.emulator.store.has(s.arn)).toBe(false);
    await expect(
      under.client.send(new RestoreSecretCommand({ SecretId: s.arn }))
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('tags, re-tags and untags', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({
      name: uniqueName('tags'),
      tags: { a: '1', b: '2' },
    });

    // Act
    await under.client.send(
      new TagResourceCommand({
        SecretId: s.arn,
        Tags: [
          { Key: 'b', Value: '20' },
          { Key: 'c', Value: '3' },
        ],
      })
    );
    await under.client.send(new UntagResourceCommand({ SecretId: s.name, TagKeys: ['a'] }));

    // Assess
    const tags = (await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }))).Tags;
    expect(tags).toEqual([
      { Key: 'b', Value: '20' },
      { Key: 'c', Value: '3' },
    ]);
  });

  it('UpdateSecret with a value makes a new AWSCURRENT version', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('update') });

    // Act
    const out = await under.client.send(
      new UpdateSecretCommand({ SecretId: s.arn, SecretString: 'next', Description: 'd' })
    );

    // Assess
    expect(under.emulator.store.labels(s.arn)).toEqual({
      [s.currentVersionId]: ['AWSPREVIOUS'],
      [out.VersionId ?? '']: ['AWSCURRENT'],
    });
    expect(under.emulator.store.describe(s.arn).Description).toBe('d');
  });
});
