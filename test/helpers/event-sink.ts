/**
 * Where the notification tests read the events the bundle put: the emulator's EventBridge records
 * them (when the tests started the emulator); against an external endpoint (moto, an account) a bus
 * of the tests' own with a rule that sends every `rotation-remediator` event to an SQS queue of
 * theirs, read back with ReceiveMessage: public calls only (moto delivers to SQS targets).
 */
import { randomBytes } from 'node:crypto';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SecretsManagerTarget } from './secrets-manager-target.js';

/** An event as a rule's target receives it. */
export interface ReceivedEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  /** The detail as it travelled (to search for canaries). */
  text: string;
}

/** The events of one bus, read back. */
export interface EventSink {
  /** The bus to give the bundle as `EVENT_BUS_NAME`. */
  busName: string;
  /** Every event received since the last {@link EventSink.clear}, in order. */
  received(): Promise<ReceivedEvent[]>;
  /**
   * The events received, once `count` have arrived or 10 s have passed (a rule delivers to its
   * target asynchronously in AWS; moto and the emulator before PutEvents answers).
   */
  waitFor(count: number): Promise<ReceivedEvent[]>;
  /** Forgets the events received so far. */
  clear(): Promise<void>;
  /** Deletes what it created. */
  stop(): Promise<void>;
}

/** A bus name of a test file's own (set it before the bundle loads). */
export const uniqueBusName = (): string => `rr-test-bus-${randomBytes(4).toString('hex')}`;

const RULE = 'rr-test-all-events';

/** The emulator's sink: the events its EventBridge accepted on `busName`. */
const emulatorSink = (target: SecretsManagerTarget, busName: string): EventSink => {
  const eventBridge = target.eventBridge;
  if (eventBridge === undefined) throw new Error('the emulator has no EventBridge service');
  let seen = 0;
  const received = async (): Promise<ReceivedEvent[]> =>
    eventBridge.events
      .slice(seen)
      .filter((event) => event.eventBusName === busName)
      .map((event) => ({
        source: event.source,
        detailType: event.detailType,
        detail: event.detail,
        resources: event.resources,
        text: event.detailText,
      }));
  return {
    busName,
    received,
    // the bundle awaits PutEvents, and the emulator records before it answers
    waitFor: () => received(),
    clear: async () => {
      seen = eventBridge.events.length;
    },
    stop: async () => {},
  };
};

/** Parses one SQS message body (an EventBridge event). */
const toReceived = (body: string): ReceivedEvent => {
  const event = JSON.parse(body) as {
    source: string;
    'detail-type': string;
    detail: Record<string, unknown>;
    resources?: string[];
  };
  return {
    source: event.source,
    detailType: event['detail-type'],
    detail: event.detail,
    resources: event.resources ?? [],
    text: JSON.stringify(event.detail),
  };
};

/** Creates the bus, the queue and the rule between them on an external endpoint. */
const externalSink = async (busName: string): Promise<EventSink> => {
  const events = new EventBridgeClient({});
  const sqs = new SQSClient({});
  await events.send(new CreateEventBusCommand({ Name: busName }));
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: busName })
  );
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })
  );
  await events.send(
    new PutRuleCommand({
      Name: RULE,
      EventBusName: busName,
      EventPattern: JSON.stringify({ source: ['rotation-remediator'] }),
    })
  );
  await events.send(
    new PutTargetsCommand({
      Rule: RULE,
      EventBusName: busName,
      Targets: [{ Id: 'queue', Arn: attributes.Attributes?.QueueArn ?? '' }],
    })
  );
  const buffered: ReceivedEvent[] = [];
  const drain = async (): Promise<ReceivedEvent[]> => {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 })
      );
      if (Messages.length === 0) return buffered;
      buffered.push(...Messages.map((message) => toReceived(message.Body ?? '{}')));
    }
  };
  return {
    busName,
    received: drain,
    waitFor: async (count) => {
      // the monotonic clock: a give-up time, not a time of day
      const deadline = performance.now() + 10_000;
      while ((await drain()).length < count && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return drain();
    },
    clear: async () => {
      await drain();
      buffered.length = 0;
    },
    stop: async () => {
      await events.send(
        new RemoveTargetsCommand({ Rule: RULE, EventBusName: busName, Ids: ['queue'] })
      );
      await events.send(new DeleteRuleCommand({ Name: RULE, EventBusName: busName }));
      await events.send(new DeleteEventBusCommand({ Name: busName }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      events.destroy();
      sqs.destroy();
    },
  };
};

/** Starts the sink for `busName` on the target's endpoint; call `stop()` in `afterAll`. */
export const startEventSink = (
  target: SecretsManagerTarget,
  busName: string
): Promise<EventSink> =>
  target.emulator === undefined
    ? externalSink(busName)
    : Promise.resolve(emulatorSink(target, busName));
