import type { QuotaBucket } from './quotas.js';
import { bucketForOperation } from './quotas.js';

/** One request the emulator received. */
export interface RecordedCall {
  /** Operation name from `X-Amz-Target` (the raw target when it is not a known operation). */
  readonly operation: string;
  /** `SecretId` of the request (`Name` for CreateSecret), as sent. */
  readonly secretId?: string;
  /** When the request arrived, ms since the epoch. */
  readonly at: number;
  /** HTTP status sent; 'dropped' when the socket was destroyed; 'pending' while in flight. */
  readonly status: number | 'dropped' | 'pending';
  /** Error name when the call failed. */
  readonly errorName?: string;
  /** Whether the operation was applied (ran successfully against the store). */
  readonly applied: boolean;
  /** True when the client had gone (e.g. timed out) before the response could be sent. */
  readonly clientAborted?: boolean;
}

/** The writable form the server fills in while a request is handled. */
export type MutableCall = { -readonly [K in keyof RecordedCall]: RecordedCall[K] };

/** The ordered log of received requests. */
export class CallLog {
  #calls: MutableCall[] = [];

  /** Records a request as it arrives; the server updates the returned entry as it proceeds. */
  start(operation: string, secretId: string | undefined, at: number = Date.now()): MutableCall {
    const call: MutableCall = { operation, at, status: 'pending', applied: false };
    if (secretId !== undefined) call.secretId = secretId;
    this.#calls.push(call);
    return call;
  }

  /** A snapshot of every recorded call, in arrival order. */
  list(): readonly RecordedCall[] {
    return this.#calls.map((call) => ({ ...call }));
  }

  /** How many calls (of `operation`, or of any operation) were recorded. */
  count(operation?: string): number {
    return operation === undefined
      ? this.#calls.length
      : this.#calls.filter((c) => c.operation === operation).length;
  }

  /** The most requests for the bucket's operations that arrived within any one-second window. */
  maxRatePerSecond(bucket: QuotaBucket): number {
    const times = this.#calls
      .filter((c) => bucketForOperation(c.operation) === bucket)
      .map((c) => c.at)
      .sort((a, b) => a - b);
    let best = 0;
    let start = 0;
    for (let end = 0; end < times.length; end += 1) {
      const endAt = times[end] ?? 0;
      while ((times[start] ?? endAt) <= endAt - 1000) start += 1;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  /** Forgets every recorded call. */
  reset(): void {
    this.#calls = [];
  }
}
