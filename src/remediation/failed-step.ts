/**
 * The failed step of a rotation, as Secrets Manager names it in a RotationFailed record's
 * `errorMessage` (`... during setSecret step`). Pure: the RotationFailed trigger and the history
 * lookup (src/history/) parse the message the same way.
 */
import { RotationStep } from './types.js';

const steps: readonly string[] = Object.values(RotationStep);
const STEP_PATTERN = /\bduring ([A-Za-z]+) step\b/g;

/**
 * The rotation step a RotationFailed `errorMessage` names (`... during setSecret step`): one of the
 * four steps, case-sensitive. Anything else, or a message naming two different steps, gives
 * undefined (the step is then unknown: never guessed).
 */
export const parseFailedStep = (message: string | undefined): RotationStep | undefined => {
  if (typeof message !== 'string') return undefined;
  const named = new Set(
    Array.from(message.matchAll(STEP_PATTERN), (match) => match[1] ?? '').filter((step) =>
      steps.includes(step)
    )
  );
  const [step] = named;
  return named.size === 1 ? (step as RotationStep) : undefined;
};

/**
 * The id a RotationFailed record's `requestID` ends in (`Rotation-<secret ARN>-<id>`), or
 * undefined when it has another form. Whether AWS always writes the pending version's id there is
 * unconfirmed: callers never let this id alone decide (src/remediation/evidence.ts).
 */
export const idOfRequestId = (
  requestId: string | undefined,
  secretArn: string
): string | undefined => {
  const prefix = `Rotation-${secretArn}-`;
  if (requestId?.startsWith(prefix) !== true) return undefined;
  const id = requestId.slice(prefix.length);
  return id === '' ? undefined : id;
};
