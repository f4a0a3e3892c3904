/** Request quotas (token buckets), maxRatePerSecond, and stop(). */
import { createServer } from 'node:net';
import {
  CancelRotateSecretCommand,
  DescribeSecretCommand,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { QuotaBucket, startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { clientFor, uniqueName, useEmulator } from './support.js';

const under = useEmulator();

beforeEach(() => {
  under.emulator.setQuotas(false);
  under.emulator.resetCalls();
});

async function tagBurst(secretId: string, count: number): Promise<string[]> {
  const outcomes = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      under.client.send(
        new TagResourceCommand({ SecretId: secretId, Tags: [{ Key: `k${i % 10}`, Value: 'v' }] })
      )
    )
  );
  return outcomes.map((o) =>
    o.status === 'fulfilled' ? 'ok' : String((o.reason as { name?: unknown }).name)
  );
}

describe('quotas', () => {
  it('are off by default: a burst far above the AWS rate is never throttled', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('off') });

    // Act
    const results = await tagBurst(s.arn, 80);

    // Assess
    expect(results.every((r) => r === 'ok')).toBe(true);
    expect(under.emulator.maxRatePerSecond(QuotaBucket.Tag)).toBeGreaterThan(50);
  });

  it('true: a burst above the AWS rate (50/s) gets ThrottlingException 400', async () => {
    // Prepare
    const s = under.emulator.store.seedCleanSecret({ name: uniqueName('aws') });
    under.emulator.setQuotas(true);

    // Act
    const results = await tagBurst(s.arn, 80);

    // Assess
    const throttled = results.filter((r) => r === 'ThrottlingException').length;
    expect(throttled).toBeGreaterThan(0);
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(50);
    expect(throttled + results.filter((r) => r === 'ok').length).toBe(80);
    const recorded = under.emulator.calls.filter((c) => c.errorName === 'ThrottlingException');
    expect(recorded).toHaveLength(throttled);
    for (const call of recorded) expect(call).toMatchObject({ status: 400, applied: false });
  });

  it('an override limits only its bucket; the others keep the AWS numbers', async () => {
    // Prepare
    const a = under.emulator.store.seedFailedRotation({
      name: uniqueName('rot-a'),
      step: 'setSecret',
    });
    const b = under.emulator.store.seedFailedRotation({
      name: uniqueName('rot-b'),
      step: 'setSecret',
    });
    under.emulator.setQuotas({ rotation: 1 });

    // Act
    await under.client.send(new CancelRotateSecretCommand({ SecretId: a.arn }));
    const second = await under.client.send(new CancelRotateSecretCommand({ SecretId: b.arn })).then(
      () => undefined,
      (error: unknown) => error
    );
    const reads = await Promise.all(
      Array.from({ length: 20 }, () =>
        under.client.send(new DescribeSecretCommand({ SecretId: b.arn }))
      )
    );

    // Assess
    expect(second).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(reads).toHaveLength(20);
    expect(under.emulator.store.describe(b.arn).RotationEnabled).toBe(true);
  });

  it('can be set at start', async () => {
    // Prepare
    const limited = await startSecretsManagerEmulator({ quotas: { read: 2 } });
    const limitedClient = clientFor(limited);
    const s = limited.store.seedCleanSecret({ name: uniqueName('start') });

    // Act
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        limitedClient.send(new DescribeSecretCommand({ SecretId: s.arn }))
      )
    );

    // Assess
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(limited.countCalls('DescribeSecret')).toBe(5);
    limitedClient.destroy();
    await limited.stop();
  });
});

describe('maxRatePerSecond', () => {
  it('counts the most calls of a bucket within one second', async () => {
    // Prepare
    const s = under.emulator.store.seedFailedRotation({
      name: uniqueName('rate'),
      step: 'setSecret',
    });

    // Act
    await Promise.all(
      Array.from({ length: 7 }, () =>
        under.client.send(new DescribeSecretCommand({ SecretId: s.arn }))
      )
    );
    await under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(under.emulator.maxRatePerSecond(QuotaBucket.Read)).toBe(7);
    expect(under.emulator.maxRatePerSecond(QuotaBucket.Rotation)).toBe(1);
    expect(under.emulator.maxRatePerSecond(QuotaBucket.Write)).toBe(0);
  });
});

describe('stop()', () => {
  it('is idempotent, closes open keep-alive sockets and frees the port', async () => {
    // Prepare
    const own = await startSecretsManagerEmulator();
    const ownClient = clientFor(own);
    const s = own.store.seedCleanSecret({ name: uniqueName('stop') });
    await ownClient.send(new DescribeSecretCommand({ SecretId: s.arn }));
    const port = Number(new URL(own.endpoint).port);

    // Act
    const first = own.stop();
    const second = own.stop();
    await Promise.all([first, second]);
    await own.stop();

    // Assess
    expect(own.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(ownClient.send(new DescribeSecretCommand({ SecretId: s.arn }))).rejects.toThrow();
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    ownClient.destroy();
  });

  it('ends a request held by latency', async () => {
    // Prepare
    const own = await startSecretsManagerEmulator();
    const ownClient = clientFor(own);
    const s = own.store.seedCleanSecret({ name: uniqueName('stop-latency') });
    // held far longer than any test may run: a stop that waited for it would time the test out
    own.faults.inject({ operation: 'DescribeSecret', kind: 'latency', latencyMs: 3_600_000 });
    const pending = ownClient.send(new DescribeSecretCommand({ SecretId: s.arn }));
    const settled = pending.then(
      () => 'resolved',
      () => 'rejected'
    );
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    await own.stop();

    // Assess
    expect(await settled).toBe('rejected');
    ownClient.destroy();
  });
});
