/** Shared helpers of the emulator's own tests. */
import { randomBytes } from 'node:crypto';
import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type {
  EmulatorOptions,
  SecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';
import { startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';

/** A real SDK client pointed at the emulator, with no retries. */
export function clientFor(
  emulator: SecretsManagerEmulator,
  overrides: Partial<SecretsManagerClientConfig> = {}
): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...overrides,
  });
}

let counter = 0;

/** A secret name no other test uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `emu/${prefix}-${counter}-${randomBytes(3).toString('hex')}`;
}

/** A raw wire response. */
export interface RawResponse {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** Sends one request with `fetch`, bypassing the SDK. */
export async function rawCall(
  emulator: SecretsManagerEmulator,
  target: string | undefined,
  body: unknown,
  init: { rawBody?: string } = {}
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['X-Amz-Target'] = target;
  const response = await fetch(`${emulator.endpoint}/`, {
    method: 'POST',
    headers,
    body: init.rawBody ?? JSON.stringify(body),
  });
  const json: unknown = await response.json();
  return {
    status: response.status,
    headers: response.headers,
    json: typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {},
  };
}

/** Waits until `predicate` holds (polling), or fails after `timeoutMs` on the monotonic clock. */
export async function eventually(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The running emulator and a client of one test file; set in `beforeAll`. */
export interface EmulatorUnderTest {
  emulator: SecretsManagerEmulator;
  client: SecretsManagerClient;
}

/**
 * Starts an emulator (with `options`) and a client for it (with `overrides`) before the file's
 * tests, and stops both after them.
 */
export const useEmulator = (
  options: EmulatorOptions = {},
  overrides: Partial<SecretsManagerClientConfig> = {}
): EmulatorUnderTest => {
  const under = {} as EmulatorUnderTest;
  beforeAll(async () => {
    under.emulator = await startSecretsManagerEmulator(options);
    under.client = clientFor(under.emulator, overrides);
  });
  afterAll(async () => {
    under.client?.destroy();
    await under.emulator?.stop();
  });
  return under;
};
