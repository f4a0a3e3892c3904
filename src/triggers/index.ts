/**
 * Every trigger adapter, in detection order, and the one function that picks the adapter for an
 * event. Detection is explicit and mutually exclusive: each adapter recognises only its own shape,
 * and the direct command (`secretId` at the top level) is never claimed by any other adapter. The
 * sweep claims objects with a `sweep` key and none of `secretId`, `source` or `requestContext`; the
 * fleet report objects with a `report` key and none of those nor `sweep`.
 */
import { describeValue, ValidationError } from '../errors.js';
import { alarmActionTrigger, alarmEventBridgeTrigger } from './alarm.js';
import { directTrigger } from './direct.js';
import { httpTrigger } from './http.js';
import { reportTrigger } from './report.js';
import { rotationEventTrigger } from './rotation-event.js';
import { sweepTrigger } from './sweep.js';
import type { TriggerAdapter } from './types.js';

/** Adapters in detection order; the direct command comes last. */
export const triggers: readonly TriggerAdapter[] = [
  httpTrigger,
  alarmEventBridgeTrigger,
  alarmActionTrigger,
  rotationEventTrigger,
  sweepTrigger,
  reportTrigger,
  directTrigger,
];

/**
 * Picks the adapter whose shape `event` has. Throws a {@link ValidationError} for an event of no
 * supported shape; the message describes the event by its type only, never by its content.
 */
export const selectTrigger = (
  event: unknown,
  adapters: readonly TriggerAdapter[] = triggers
): TriggerAdapter => {
  const adapter = adapters.find((candidate) => candidate.matches(event));
  if (adapter === undefined) {
    throw new ValidationError(
      `Unsupported event: ${describeValue(event)} that matches no known trigger (HTTP API, CloudWatch alarm via EventBridge or alarm action, Secrets Manager event, sweep, report, direct command with secretId).`
    );
  }
  return adapter;
};
