/**
 * One reminder (issue 23, item 4): a held decision is recorded per pending version in the
 * idempotency table, so a sweep that finds it again within DECISION_REMINDER_SECONDS announces
 * nothing new; once the interval has passed (the record aged in the table, no clock waited on),
 * one reminder that says how long the decision has waited.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { decisionKey } from '../../src/notifications/reminders.js';
import type { SweepResponse } from '../../src/sweep/types.js';
import { lambdaContext } from '../helpers/bundle.js';
import type { EventSink, ReceivedEvent } from '../helpers/event-sink.js';
import { startEventSink, uniqueBusName } from '../helpers/event-sink.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import { LogCapture } from '../helpers/log-capture.js';
import {
  describeEmulatorOnly,
  seedFailedRotation,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

const REMINDER_SECONDS = 3600;
const busName = uniqueBusName();
const aws = useBundleAgainstAws({
  EVENT_BUS_NAME: busName,
  ROTATION_GRACE_SECONDS: '0',
  DECISION_REMINDER_SECONDS: String(REMINDER_SECONDS),
});
const capture = new LogCapture();
let sink: EventSink;

beforeAll(async () => {
  sink = await startEventSink(aws.target, busName);
});
afterAll(async () => {
  capture.stop();
  await sink?.stop();
});

/** Runs one sweep (logs captured) and returns the Needs Decision events it put. */
const sweepOnce = async (expected: number): Promise<ReceivedEvent[]> => {
  await sink.clear();
  capture.start();
  try {
    const response = (await aws.bundle.handler(
      { sweep: {} },
      lambdaContext(30_000, `req-${uniqueName('s')}`)
    )) as SweepResponse;
    expect(response.sweep.failed).toBe(0);
  } finally {
    capture.stop();
  }
  const events = expected === 0 ? await sink.received() : await sink.waitFor(expected);
  return events.filter((event) => event.detailType === 'Rotation Remediation Needs Decision');
};

/** Moves a decision record's last announcement back by `seconds` (the interval passes). */
const age = async (secretArn: string, pendingVersionId: string, seconds: number) => {
  await aws.dynamoDb.client.send(
    new UpdateItemCommand({
      TableName: aws.dynamoDb.tableName,
      Key: { id: { S: decisionKey({ secretArn, pendingVersionId }) } },
      UpdateExpression:
        'SET lastAnnouncedAt = lastAnnouncedAt - :s, firstAnnouncedAt = firstAnnouncedAt - :s',
      ExpressionAttributeValues: { ':s': { N: String(seconds) } },
    })
  );
};

describeEmulatorOnly(
  'one reminder',
  'the sweep acts on every secret of the account: run against this file’s own secrets only',
  () => {
    it('a sweep run twice within the interval announces each held secret once; after it, one reminder', async () => {
      // Prepare: two rotations that failed at testSecret: the planner holds both
      const held = await Promise.all(
        ['a', 'b'].map((tag) =>
          seedFailedRotation(aws.target, { name: uniqueName(`remind-${tag}`), step: 'testSecret' })
        )
      );
      const arns = held.map((secret) => secret.arn).sort();

      // Act
      const first = await sweepOnce(2);
      const second = await sweepOnce(0);
      for (const secret of held) {
        await age(secret.arn, secret.pendingVersionId, REMINDER_SECONDS + 60);
      }
      const third = await sweepOnce(2);

      // Assess
      expect(first.flatMap((event) => event.resources).sort()).toEqual(arns);
      expect(first.map((event) => event.detail.reminder)).toEqual([null, null]);
      expect(second).toEqual([]);
      expect(third.flatMap((event) => event.resources).sort()).toEqual(arns);
      for (const event of third) {
        expect(event.detail.reminder).toMatchObject({
          waitingSeconds: expect.any(Number),
          firstAnnouncedAt: expect.any(String),
        });
        expect(
          (event.detail.reminder as { waitingSeconds: number }).waitingSeconds
        ).toBeGreaterThanOrEqual(REMINDER_SECONDS + 60);
        expect(event.detail.summary).toMatch(
          /^Reminder: waiting for a decision for 1 h 1 min, since /
        );
      }
    });
  }
);
