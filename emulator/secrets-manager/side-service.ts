/**
 * Other AWS services served beside Secrets Manager on the emulator's endpoint, over the same JSON
 * protocol (`X-Amz-Target: <prefix><Operation>`): CloudTrail's LookupEvents for the failed-step
 * history, EventBridge's PutEvents for notifications. Point the SDK's endpoint variable of that
 * service (`AWS_ENDPOINT_URL_CLOUDTRAIL`, ...) at `emulator.endpoint`. Their calls go through the
 * same pipeline as Secrets Manager's: recorded, rate-limited, faults and hooks by operation name.
 */
import type { JsonRequest } from './wire.js';

/** A service the emulator serves besides Secrets Manager. */
export interface SideService {
  /** The `X-Amz-Target` prefix of its operations, up to and including the dot. */
  readonly targetPrefix: string;
  /** Other prefixes naming the same service (AWS documents one, the SDK may send another). */
  readonly alternativePrefixes?: readonly string[];
  /** The operations it serves (the part of the target after the prefix). */
  readonly operations: readonly string[];
  /** Applies one operation and returns the JSON answer; throws an `EmulatorError` to refuse. */
  execute(operation: string, request: JsonRequest): object;
}
