/**
 * The emulator's EventBridge PutEvents (emulator/secrets-manager/eventbridge.ts) through the real
 * SDK client: recorded events, AWS's call limits (10 entries, 256 KB), per-entry errors, injected
 * entry failures and call-level faults by operation name.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import {
  EventBridgeService,
  MAX_PUT_EVENTS_BYTES,
  startSecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';

let emulator: SecretsManagerEmulator;
let eventBridge: EventBridgeService;
let client: EventBridgeClient;

beforeAll(async () => {
  emulator = await startSecretsManagerEmulator();
  eventBridge = emulator.addService(new EventBridgeService());
  client = new EventBridgeClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});
beforeEach(() => {
  eventBridge.reset();
  emulator.faults.clear();
});

const entry = (
  detail: unknown = { status: 'remediated' },
  extra: Record<string, unknown> = {}
) => ({
  Source: 'rotation-remediator',
  DetailType: 'Rotation Remediated',
  Detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
  EventBusName: 'ops',
  Resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf'],
  ...extra,
});

describe('PutEvents', () => {
  it('records each accepted event and answers with its id', async () => {
    // Act
    const answer = await client.send(new PutEventsCommand({ Entries: [entry(), entry({ n: 2 })] }));

    // Assess
    expect(answer.FailedEntryCount).toBe(0);
    expect(eventBridge.events.map((e) => e.eventId)).toEqual(answer.Entries?.map((e) => e.EventId));
    expect(eventBridge.events[1]).toMatchObject({
      eventBusName: 'ops',
      source: 'rotation-remediator',
      detailType: 'Rotation Remediated',
      detail: { n: 2 },
      resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf'],
    });
    expect(emulator.calls.at(-1)).toMatchObject({ operation: 'PutEvents', status: 200 });
  });

  it.each([
    ['no Source', entry({}, { Source: undefined }), 'InvalidArgument'],
    ['no DetailType', entry({}, { DetailType: undefined }), 'InvalidArgument'],
    ['a Detail that is not JSON', entry('{nope'), 'MalformedDetail'],
    ['a Detail that is not an object', entry('[1,2]'), 'MalformedDetail'],
  ])('fails an entry with %s inside a 200 answer', async (_case, bad, errorCode) => {
    // Act
    const answer = await client.send(new PutEventsCommand({ Entries: [entry(), bad] }));

    // Assess
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[1]).toMatchObject({
      ErrorCode: errorCode,
      ErrorMessage: expect.any(String),
    });
    expect(eventBridge.events).toHaveLength(1);
  });

  it.each([
    ['no entry', []],
    ['11 entries', Array.from({ length: 11 }, () => entry())],
    [
      '256 KB of entries',
      [
        entry({ pad: 'x'.repeat(MAX_PUT_EVENTS_BYTES / 2) }),
        entry({ pad: 'x'.repeat(MAX_PUT_EVENTS_BYTES / 2) }),
      ],
    ],
  ])('refuses a call with %s (ValidationException), recording nothing', async (_case, entries) => {
    // Act
    const call = client.send(new PutEventsCommand({ Entries: entries }));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'ValidationException' });
    expect(eventBridge.events).toEqual([]);
  });

  it('fails the next entries as failEntries says, then accepts again', async () => {
    // Prepare
    const failure = eventBridge.failEntries({ times: 2, errorCode: 'ThrottlingException' });

    // Act
    const answer = await client.send(
      new PutEventsCommand({ Entries: [entry(), entry(), entry()] })
    );

    // Assess
    expect(answer.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      'ok',
    ]);
    expect(failure.hits).toBe(2);
    expect(eventBridge.events).toHaveLength(1);
  });

  it('applies call-level faults by operation name', async () => {
    // Prepare
    emulator.faults.inject({
      operation: 'PutEvents',
      kind: 'error',
      errorName: 'InternalException',
      status: 500,
    });

    // Act
    const call = client.send(new PutEventsCommand({ Entries: [entry()] }));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'InternalException' });
    expect(eventBridge.events).toEqual([]);
  });
});
