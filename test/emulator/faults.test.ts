import {
  CancelRotateSecretCommand,
  DescribeSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SeededSecret } from '../../emulator/secrets-manager/index.js';
import { clientFor, eventually, uniqueName, useEmulator } from './support.js';

const under = useEmulator();

beforeEach(() => {
  under.emulator.faults.clear();
  under.emulator.hooks.clear();
  under.emulator.resetCalls();
});

const stuck = (): SeededSecret =>
  under.emulator.store.seedFailedRotation({ name: uniqueName('fault'), step: 'setSecret' });

const discard = (s: SeededSecret) =>
  under.client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: s.arn,
      VersionStage: 'AWSPENDING',
      RemoveFromVersionId: s.pendingVersionId,
    })
  );

const cancel = (s: SeededSecret) =>
  under.client.send(new CancelRotateSecretCommand({ SecretId: s.arn }));

describe("kind 'error'", () => {
  it.each([
    { errorName: undefined, status: undefined, name: 'InternalServiceError', http: 500 },
    { errorName: 'ThrottlingException', status: undefined, name: 'ThrottlingException', http: 400 },
    {
      errorName: 'InvalidParameterException',
      status: 400,
      name: 'InvalidParameterException',
      http: 400,
    },
    { errorName: 'ServiceUnavailable', status: 503, name: 'ServiceUnavailable', http: 503 },
  ])(
    'errorName=$errorName status=$status → $name / $http, not applied',
    async ({ errorName, status, name, http }) => {
      // Prepare
      const s = stuck();
      const before = under.emulator.store.describe(s.arn);
      under.emulator.faults.inject({
        operation: 'CancelRotateSecret',
        kind: 'error',
        errorName,
        status,
      });

      // Act
      const outcome = cancel(s);

      // Assess
      await expect(outcome).rejects.toMatchObject({ name, $metadata: { httpStatusCode: http } });
      expect(under.emulator.store.describe(s.arn)).toEqual(before);
      expect(under.emulator.calls).toEqual([
        expect.objectContaining({
          operation: 'CancelRotateSecret',
          secretId: s.arn,
          status: http,
          errorName: name,
          applied: false,
        }),
      ]);
    }
  );

  it.each([
    { nth: 1, times: 1, failing: [1] },
    { nth: 2, times: 1, failing: [2] },
    { nth: 2, times: 2, failing: [2, 3] },
    { nth: 1, times: 'always' as const, failing: [1, 2, 3, 4] },
  ])('nth=$nth times=$times fails calls $failing of 4', async ({ nth, times, failing }) => {
    // Prepare
    const s = stuck();
    under.emulator.faults.inject({ operation: 'DescribeSecret', kind: 'error', nth, times });

    // Act
    const results: boolean[] = [];
    for (let i = 0; i < 4; i += 1) {
      results.push(
        await under.client.send(new DescribeSecretCommand({ SecretId: s.arn })).then(
          () => true,
          () => false
        )
      );
    }

    // Assess
    const failed = results.flatMap((ok, i) => (ok ? [] : [i + 1]));
    expect(failed).toEqual(failing);
  });

  it('counts only the named operation, from the moment of injection', async () => {
    // Prepare
    const s = stuck();
    await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));
    under.emulator.faults.inject({ operation: 'CancelRotateSecret', kind: 'error', nth: 2 });

    // Act
    await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));
    const first = await cancel(s);
    const second = cancel(s);

    // Assess
    expect(first.ARN).toBe(s.arn);
    await expect(second).rejects.toMatchObject({ name: 'InternalServiceError' });
  });

  it('clear() removes a persistent fault', async () => {
    // Prepare
    const s = stuck();
    const handle = under.emulator.faults.inject({
      operation: 'DescribeSecret',
      kind: 'error',
      times: 'always',
    });
    await expect(
      under.client.send(new DescribeSecretCommand({ SecretId: s.arn }))
    ).rejects.toThrow();

    // Act
    under.emulator.faults.clear();

    // Assess
    await expect(
      under.client.send(new DescribeSecretCommand({ SecretId: s.arn }))
    ).resolves.toBeDefined();
    expect(handle.hits).toBe(1);
    expect(handle.active).toBe(false);
  });
});

describe('drops', () => {
  it("'drop-after-apply' applies the change, yet the SDK sees an error", async () => {
    // Prepare
    const s = stuck();
    under.emulator.faults.inject({
      operation: 'UpdateSecretVersionStage',
      kind: 'drop-after-apply',
    });

    // Act
    const outcome = discard(s);

    // Assess
    await expect(outcome).rejects.toThrow();
    expect(under.emulator.store.labels(s.arn)[s.pendingVersionId ?? '']).toBeUndefined();
    expect(under.emulator.calls).toEqual([
      expect.objectContaining({
        operation: 'UpdateSecretVersionStage',
        status: 'dropped',
        applied: true,
      }),
    ]);
  });

  it("'drop-before-apply' changes nothing, and the SDK sees an error", async () => {
    // Prepare
    const s = stuck();
    const before = under.emulator.store.describe(s.arn);
    under.emulator.faults.inject({
      operation: 'UpdateSecretVersionStage',
      kind: 'drop-before-apply',
    });

    // Act
    const outcome = discard(s);

    // Assess
    await expect(outcome).rejects.toThrow();
    expect(under.emulator.store.describe(s.arn)).toEqual(before);
    expect(under.emulator.calls).toEqual([
      expect.objectContaining({ status: 'dropped', applied: false }),
    ]);
  });

  it('the retry after a drop-after-apply sees the new state', async () => {
    // Prepare
    const s = stuck();
    under.emulator.faults.inject({
      operation: 'UpdateSecretVersionStage',
      kind: 'drop-after-apply',
    });
    await expect(discard(s)).rejects.toThrow();

    // Act
    const retry = discard(s);

    // Assess
    await expect(retry).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe("kind 'latency'", () => {
  it('delays the response', async () => {
    // Prepare
    const s = stuck();
    under.emulator.faults.inject({ operation: 'DescribeSecret', kind: 'latency', latencyMs: 150 });
    const started = performance.now();

    // Act
    const out = await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));

    // Assess: a lower bound on the monotonic clock (a delay cannot come early, however loaded)
    expect(out.ARN).toBe(s.arn);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('applies even when the client times out, and records the abort', async () => {
    // Prepare
    const s = stuck();
    const impatient = clientFor(under.emulator, {
      requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
    });
    under.emulator.faults.inject({
      operation: 'CancelRotateSecret',
      kind: 'latency',
      latencyMs: 250,
    });

    // Act
    const outcome = impatient.send(new CancelRotateSecretCommand({ SecretId: s.arn }));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(under.emulator.store.describe(s.arn).RotationEnabled).toBe(false);
    await eventually(() => under.emulator.calls[0]?.status !== 'pending');
    expect(under.emulator.calls[0]).toMatchObject({
      applied: true,
      status: 200,
      clientAborted: true,
    });
    impatient.destroy();
  });
});

describe('hooks.beforeApply', () => {
  it('runs once right before the operation, with the secret id and the store', async () => {
    // Prepare
    const s = stuck();
    const seen: string[] = [];
    under.emulator.hooks.beforeApply('UpdateSecretVersionStage', ({ secretId, store }) => {
      seen.push(secretId);
      store.attachLabel(secretId, 'AWSPENDING', s.previousVersionId);
    });

    // Act
    const first = discard(s);
    await expect(first).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const moved = under.emulator.store.labels(s.arn)[s.previousVersionId];
    under.emulator.store.attachLabel(s.arn, 'AWSPENDING', s.pendingVersionId ?? '');
    await discard(s);

    // Assess
    expect(seen).toEqual([s.arn]);
    expect(moved).toContain('AWSPENDING');
    expect(JSON.stringify(under.emulator.store.labels(s.arn))).not.toContain('AWSPENDING');
  });

  it('honours times, and may be async (deletion mid-run)', async () => {
    // Prepare
    const a = stuck();
    const b = stuck();
    const c = stuck();
    let runs = 0;
    under.emulator.hooks.beforeApply(
      'CancelRotateSecret',
      async ({ secretId, store }) => {
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        store.markForDeletion(secretId);
      },
      { times: 2 }
    );

    // Act
    const outcomes = await Promise.allSettled([cancel(a), cancel(b)]);
    const third = await cancel(c);

    // Assess
    expect(runs).toBe(2);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        status: 'rejected',
        reason: expect.objectContaining({ name: 'InvalidRequestException' }),
      });
    }
    expect(third.ARN).toBe(c.arn);
  });

  it('does not run for calls stopped by a fault', async () => {
    // Prepare
    const s = stuck();
    let runs = 0;
    under.emulator.faults.inject({ operation: 'CancelRotateSecret', kind: 'error' });
    under.emulator.hooks.beforeApply('CancelRotateSecret', () => {
      runs += 1;
    });

    // Act
    await expect(cancel(s)).rejects.toThrow();
    await cancel(s);

    // Assess
    expect(runs).toBe(1);
  });
});

describe('call record', () => {
  it('records every call in order and counts them', async () => {
    // Prepare
    const s = stuck();

    // Act
    await under.client.send(new DescribeSecretCommand({ SecretId: s.name }));
    await cancel(s);
    await under.client.send(new DescribeSecretCommand({ SecretId: s.arn }));

    // Assess
    expect(under.emulator.calls.map((c) => [c.operation, c.secretId, c.status, c.applied])).toEqual(
      [
        ['DescribeSecret', s.name, 200, true],
        ['CancelRotateSecret', s.arn, 200, true],
        ['DescribeSecret', s.arn, 200, true],
      ]
    );
    expect(under.emulator.countCalls()).toBe(3);
    expect(under.emulator.countCalls('DescribeSecret')).toBe(2);
    for (const call of under.emulator.calls) expect(call.at).toBeGreaterThan(Date.now() - 10_000);
  });
});
