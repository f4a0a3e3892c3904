/**
 * The EventBridge side of notifications: one `PutEvents` per event, with the client's own retries
 * and timeouts (as src/aws/clients.ts sets them for Secrets Manager), and an entry that EventBridge
 * reports failed inside a 200 answer retried while its error code says a retry may work. What comes
 * back is a {@link NotifyResult}: SDK error shapes and `$metadata` stay in this module. Loaded on the
 * first event only (./notifier.ts requires it lazily).
 */
import type { EventBridgeClientConfig, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ClientSettings } from '../aws/clients.js';
import { clientConfig } from '../aws/clients.js';
import { attemptsOf, errorNameOf } from '../aws/sdk-errors.js';
import { serializeDetail } from './detail.js';
import type { Notification, Notifier, NotifyResult } from './types.js';
import { NOTIFICATION_SOURCE } from './types.js';

/**
 * Retry and timeout settings of the EventBridge client: three attempts of at most 0.5 s + 1 s (a
 * PutEvents of one entry answers in tens of ms). An event is put after the remediation ended, in
 * the function's 60 s: test/unit/template/function.test.ts checks that the worst case still fits.
 */
export const eventBridgeClientSettings = {
  maxAttempts: 3,
  retryMode: 'standard',
  connectionTimeout: 500,
  requestTimeout: 1_000,
} as const satisfies ClientSettings;

/** Entry error codes (inside a 200 answer) that a later PutEvents may get through. */
export const RETRYABLE_ENTRY_CODES: readonly string[] = [
  'ThrottlingException',
  'InternalFailure',
  'InternalException',
];

/** Further PutEvents for an entry that failed with a retryable code, and the first pause (ms). */
export const ENTRY_RETRIES = { retries: 1, baseDelayMs: 100 } as const;

/** Longest error message kept. */
const MAX_MESSAGE_LENGTH = 300;

/** Creates the EventBridge client with the settings above; `config` adds to them (tests). */
export const createEventBridgeClient = (
  config: EventBridgeClientConfig = {},
  settings: ClientSettings = eventBridgeClientSettings
): EventBridgeClient => new EventBridgeClient({ ...clientConfig(settings), ...config });

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const shorten = (text: string): string =>
  text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;

/** Puts the remediator's events on one bus. */
export class EventBridgeNotifier implements Notifier {
  public readonly eventBusName: string;
  readonly #client: EventBridgeClient;

  public constructor(eventBusName: string, client: EventBridgeClient = createEventBridgeClient()) {
    this.eventBusName = eventBusName;
    this.#client = client;
  }

  /** Puts one event; resolves with its id or with why it could not be put. Never rejects. */
  public async notify(notification: Notification): Promise<NotifyResult> {
    let attempts = 0;
    for (let round = 0; ; round++) {
      let entry: PutEventsResultEntry | undefined;
      try {
        const response = await this.#client.send(this.#command(notification));
        attempts += attemptsOf(response);
        entry = response.Entries?.[0];
      } catch (error) {
        attempts += attemptsOf(error);
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, errorName: errorNameOf(error), message: shorten(message), attempts };
      }
      const code = entry?.ErrorCode;
      if (entry !== undefined && (code === undefined || code === null || code === '')) {
        return { ok: true, eventId: entry.EventId };
      }
      const errorName = code ?? 'NoEntry';
      if (!RETRYABLE_ENTRY_CODES.includes(errorName) || round >= ENTRY_RETRIES.retries) {
        const message = entry?.ErrorMessage ?? 'PutEvents answered without an entry.';
        return { ok: false, errorName, message: shorten(message), attempts };
      }
      await pause(ENTRY_RETRIES.baseDelayMs * 2 ** round);
    }
  }

  /** Releases the client's connections (the CLI, at its end). */
  public close(): void {
    this.#client.destroy();
  }

  #command(notification: Notification): PutEventsCommand {
    return new PutEventsCommand({
      Entries: [
        {
          EventBusName: this.eventBusName,
          Source: NOTIFICATION_SOURCE,
          DetailType: notification.detailType,
          Detail: serializeDetail(notification.detail),
          Resources: notification.resources,
        },
      ],
    });
  }
}
