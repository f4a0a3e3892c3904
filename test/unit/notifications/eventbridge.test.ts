/**
 * The EventBridge notifier (src/notifications/eventbridge.ts) with a stand-in client: what one
 * PutEvents answer or error comes to, the retry of an entry failed with a retryable code, and that
 * no SDK shape ($metadata, the error object) leaves the module.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeNotifier } from '../../../src/notifications/eventbridge.js';
import type { Notification } from '../../../src/notifications/types.js';

const notification: Notification = {
  detailType: 'Rotation Remediated',
  detail: { status: 'remediated', requestReason: 'password=hunter2' },
  resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf'],
};

/** A client whose `send` answers (or throws) each of `answers` in turn, and records the inputs. */
const clientAnswering = (...answers: unknown[]) => {
  const inputs: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      inputs.push(command.input);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as EventBridgeClient;
  return { client, inputs };
};

const sdkError = (name: string, attempts: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { attempts } });

describe('EventBridgeNotifier', () => {
  it('puts one entry on its bus, detail redacted, and returns the event id', async () => {
    // Prepare
    const { client, inputs } = clientAnswering({
      FailedEntryCount: 0,
      Entries: [{ EventId: 'e-1' }],
      $metadata: { attempts: 1 },
    });

    // Act
    const result = await new EventBridgeNotifier('ops', client).notify(notification);

    // Assess
    expect(result).toEqual({ ok: true, eventId: 'e-1' });
    expect(inputs).toEqual([
      {
        Entries: [
          {
            EventBusName: 'ops',
            Source: 'rotation-remediator',
            DetailType: 'Rotation Remediated',
            Detail: '{"status":"remediated","requestReason":"password=[REDACTED]"}',
            Resources: notification.resources,
          },
        ],
      },
    ]);
  });

  it.each([
    [
      'an SDK error after its retries',
      [sdkError('ThrottlingException', 3)],
      'ThrottlingException',
      3,
      1,
    ],
    [
      'an entry failed twice with a retryable code',
      [
        {
          Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }],
          $metadata: { attempts: 1 },
        },
        {
          Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }],
          $metadata: { attempts: 1 },
        },
      ],
      'InternalFailure',
      2,
      2,
    ],
    [
      'an entry failed with a code no retry helps',
      [
        {
          Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'no' }],
          $metadata: { attempts: 1 },
        },
      ],
      'AccessDeniedException',
      1,
      1,
    ],
    ['an answer without entries', [{ $metadata: { attempts: 1 } }], 'NoEntry', 1, 1],
  ] as const)(
    '%s: a failure with names and text only',
    async (_case, answers, errorName, attempts, calls) => {
      // Prepare
      const { client, inputs } = clientAnswering(...answers);

      // Act
      const result = await new EventBridgeNotifier('ops', client).notify(notification);

      // Assess
      expect(result).toEqual({ ok: false, errorName, message: expect.any(String), attempts });
      expect(inputs).toHaveLength(calls);
    }
  );

  it('puts the entry on the retry after one retryable entry failure', async () => {
    // Prepare
    const { client } = clientAnswering(
      {
        Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'x' }],
        $metadata: { attempts: 1 },
      },
      { Entries: [{ EventId: 'e-2' }], $metadata: { attempts: 1 } }
    );

    // Act
    const result = await new EventBridgeNotifier('ops', client).notify(notification);

    // Assess
    expect(result).toEqual({ ok: true, eventId: 'e-2' });
  });
});
