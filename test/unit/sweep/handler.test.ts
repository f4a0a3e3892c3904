/**
 * The handler's routing of a sweep: the adapter's request goes to the sweep with the handler's own
 * client, configuration, logger and idempotency, and the sweep's report comes back as it is.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHandler } from '../../../src/application/create-handler.js';
import type { ApplyOnce } from '../../../src/remediation/remediate.js';
import { encodeContinuation } from '../../../src/sweep/continuation.js';
import type { SweepDependencies, SweepInvocation } from '../../../src/sweep/sweep.js';
import { emptyCounts } from '../../../src/sweep/tally.js';
import type { SweepResponse } from '../../../src/sweep/types.js';
import { lambdaContext } from '../../helpers/bundle.js';
import { testConfig } from '../../helpers/samples.js';

const response: SweepResponse = {
  sweep: { dryRun: false, ...emptyCounts(), durationMs: 1, results: [] },
};

/** A handler whose sweep records what it was called with. */
const handlerWithFakeSweep = (withIdempotency: boolean) => {
  const calls: { deps: SweepDependencies; invocation: SweepInvocation }[] = [];
  const client = new SecretsManagerClient({ region: 'us-east-1' });
  const applyOnce: ApplyOnce = { run: (_decision, work) => work(), ready: async () => {} };
  const handler = createHandler({
    settings: {
      remediator: testConfig(),
      sweep: { quotaShare: 0.25, concurrency: 2 },
    },
    secretsManager: client,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Test', serviceName: 'test' }),
    applyOnce: withIdempotency ? applyOnce : undefined,
    loadSweep: async () => async (deps, invocation) => {
      calls.push({ deps, invocation });
      return response;
    },
  });
  return { handler, calls, client };
};

describe('the handler routes a sweep', () => {
  it('to the sweep, with the handler’s client, settings and deadline, and returns the report', async () => {
    // Prepare
    const { handler, calls, client } = handlerWithFakeSweep(true);
    const continuation = encodeContinuation({
      listed: true,
      pending: [],
      dryRun: true,
      startedAt: '2026-03-01T12:00:00.000Z',
      run: 1,
    });

    // Act
    const result = await handler(
      { sweep: { continuation, dryRun: true, reason: 'INC-1' } },
      lambdaContext(42_000, 'req-sweep-9')
    );

    // Assess
    expect(result).toBe(response);
    expect(calls).toHaveLength(1);
    const [{ deps, invocation }] = calls as [(typeof calls)[number]];
    expect(deps.secretsManager).toBe(client);
    expect(deps.sweepConfig).toEqual({ quotaShare: 0.25, concurrency: 2 });
    expect(deps.remediate).toEqual(expect.any(Function));
    expect(deps.ready).toEqual(expect.any(Function));
    expect(invocation.correlationId).toBe('req-sweep-9');
    expect(invocation.request).toEqual({
      reason: 'INC-1',
      dryRun: true,
      continuation: expect.objectContaining({ listed: true, dryRun: true }),
      scope: { account: '123456789012', region: 'us-east-1' },
    });
    expect(invocation.remainingTimeMs?.()).toBeGreaterThan(40_000);
  });

  it('without idempotency or a Lambda context: nothing to get ready, no deadline', async () => {
    // Prepare
    const { handler, calls } = handlerWithFakeSweep(false);

    // Act
    await handler({ sweep: {} });

    // Assess
    const [{ deps, invocation }] = calls as [(typeof calls)[number]];
    expect(deps.ready).toBeUndefined();
    expect(invocation.remainingTimeMs).toBeUndefined();
  });

  it.each([
    [{ sweep: { dryrun: true } }],
    [{ sweep: { continuation: 'not-one' } }],
    [{ sweep: {}, extra: true }],
  ])('refuses %j before loading the sweep', async (event) => {
    // Prepare
    const { handler, calls } = handlerWithFakeSweep(true);

    // Act
    const outcome = await handler(event, lambdaContext()).then(
      () => 'answered',
      (error: Error) => error.name
    );

    // Assess
    expect(outcome).toBe('ValidationError');
    expect(calls).toEqual([]);
  });
});
