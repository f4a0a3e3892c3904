/**
 * Counts the AWS calls this process sends, by `X-Amz-Target`, from Node's own HTTP client
 * diagnostics channel. It sees the bundle's SDK as well as the tests', and works against any
 * endpoint (emulator, LocalStack, a real account), since it never touches the request.
 */

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

const CHANNEL = 'http.client.request.start';

/** One AWS call: the operation (`DescribeSecret`) and the service prefix (`secretsmanager`). */
export interface ObservedCall {
  service: string;
  operation: string;
}

/** Records AWS calls while started. */
export class CallCounter {
  readonly #calls: ObservedCall[] = [];
  readonly #listener = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    const target = request.getHeader('x-amz-target');
    if (typeof target !== 'string') return;
    const [service = '', operation = ''] = target.split('.');
    this.#calls.push({ service: service.toLowerCase(), operation });
  };

  /** Starts recording. */
  public start(): this {
    subscribe(CHANNEL, this.#listener);
    return this;
  }

  /** Stops recording. */
  public stop(): void {
    unsubscribe(CHANNEL, this.#listener);
  }

  /** Forgets what was recorded. */
  public reset(): void {
    this.#calls.length = 0;
  }

  /** CloudTrail operations (the failed-step history), in order. */
  public cloudTrailOperations(): string[] {
    return this.#calls
      .filter((call) => call.service === 'cloudtrail_20131101')
      .map((call) => call.operation);
  }

  /** Secrets Manager operations, in order. */
  public secretsManagerOperations(): string[] {
    return this.#calls.filter((call) => call.service === 'secretsmanager').map((c) => c.operation);
  }

  /** All calls, in order. */
  public get calls(): readonly ObservedCall[] {
    return this.#calls;
  }
}

/** Operations that change a secret. */
export const MUTATING_OPERATIONS = [
  'CancelRotateSecret',
  'UpdateSecretVersionStage',
  'PutSecretValue',
  'RotateSecret',
  'UpdateSecret',
  'DeleteSecret',
  'RestoreSecret',
  'TagResource',
  'UntagResource',
  'CreateSecret',
] as const;
