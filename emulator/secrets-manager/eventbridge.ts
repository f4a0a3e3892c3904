/**
 * EventBridge's `PutEvents`, served beside Secrets Manager on the emulator's endpoint (JSON
 * protocol, `X-Amz-Target: AWSEvents.PutEvents`): point `AWS_ENDPOINT_URL_EVENTBRIDGE` at
 * `emulator.endpoint` after `emulator.addService(new EventBridgeService())`. It records every
 * event it accepts, and answers as AWS documents: 1 to 10 entries and less than 256 KB of entries
 * per call (else `ValidationException`), per-entry errors for an entry without `Source`,
 * `DetailType` or a JSON-object `Detail`. Faults apply by operation name (`PutEvents`) like any
 * other; {@link EventBridgeService.failEntries} makes accepted entries come back failed inside a
 * 200 answer, which no call-level fault can.
 */
import { randomUUID } from 'node:crypto';
import { EmulatorError } from './errors.js';
import type { SideService } from './side-service.js';
import type { JsonRequest } from './wire.js';

/** Most entries in one PutEvents call. */
export const MAX_PUT_EVENTS_ENTRIES = 10;
/** The total entry size one PutEvents call must stay under, in bytes (256 KB). */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

/** One event the emulator accepted. */
export interface RecordedEvent {
  eventId: string;
  /** The bus as the entry named it (`default` when it named none). */
  eventBusName: string;
  source: string;
  detailType: string;
  /** The detail as sent (a JSON object's text). */
  detailText: string;
  /** The detail, parsed. */
  detail: Record<string, unknown>;
  resources: string[];
  /** When it was accepted, ms since the epoch. */
  at: number;
}

/** What {@link EventBridgeService.failEntries} makes entries fail with. */
export interface EntryFailureSpec {
  /** How many entries from now fail (default 1), or 'always'. */
  times?: number | 'always';
  /** The entry's ErrorCode (default `InternalFailure`). */
  errorCode?: string;
  /** The entry's ErrorMessage. */
  errorMessage?: string;
}

/** A handle on an entry failure. */
export interface EntryFailureHandle {
  /** Entries it has failed so far. */
  readonly hits: number;
  /** Withdraws it. */
  remove(): void;
}

interface EntryFailure {
  spec: Required<EntryFailureSpec>;
  hits: number;
}

/** The result entry of one request entry. */
type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const utf8Bytes = (value: unknown): number =>
  typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;

/** The size of one entry as EventBridge counts it (Time 14, Source, DetailType, Detail, Resources). */
export const entrySize = (entry: Record<string, unknown>): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (Array.isArray(entry.Resources)
    ? entry.Resources.reduce<number>((sum, resource) => sum + utf8Bytes(resource), 0)
    : 0);

const validationError = (message: string): EmulatorError =>
  new EmulatorError('ValidationException', message);

/** The parsed detail, or undefined when it is not a JSON object. */
const parseDetail = (text: string): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

const invalidArgument = (parameter: string): ResultEntry => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
});

/** A local EventBridge that accepts and records PutEvents. */
export class EventBridgeService implements SideService {
  public readonly targetPrefix = 'AWSEvents.';
  public readonly operations = ['PutEvents'] as const;
  readonly #events: RecordedEvent[] = [];
  #failures: EntryFailure[] = [];
  readonly #onEvent: ((event: RecordedEvent) => void) | undefined;

  /** `onEvent` sees each event as it is accepted (`npm run local` prints them). */
  public constructor(options: { onEvent?: (event: RecordedEvent) => void } = {}) {
    this.#onEvent = options.onEvent;
  }

  /** The events accepted so far, in order. */
  public get events(): readonly RecordedEvent[] {
    return [...this.#events];
  }

  /** Forgets the recorded events. */
  public reset(): void {
    this.#events.length = 0;
  }

  /** Makes the next entries (that would be accepted) fail inside a 200 answer. */
  public failEntries(spec: EntryFailureSpec = {}): EntryFailureHandle {
    const failure: EntryFailure = {
      spec: {
        times: spec.times ?? 1,
        errorCode: spec.errorCode ?? 'InternalFailure',
        errorMessage: spec.errorMessage ?? 'Injected entry failure.',
      },
      hits: 0,
    };
    this.#failures.push(failure);
    return {
      get hits() {
        return failure.hits;
      },
      remove: () => {
        this.#failures = this.#failures.filter((f) => f !== failure);
      },
    };
  }

  /** Applies PutEvents. */
  public execute(operation: string, request: JsonRequest): object {
    if (operation !== 'PutEvents') throw new EmulatorError('UnknownOperationException', operation);
    const entries = request.Entries;
    if (!Array.isArray(entries) || entries.length < 1) {
      throw validationError(
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1"
      );
    }
    if (entries.length > MAX_PUT_EVENTS_ENTRIES) {
      throw validationError(
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PUT_EVENTS_ENTRIES}`
      );
    }
    const records = entries.map((entry) =>
      typeof entry === 'object' && entry !== null && !Array.isArray(entry)
        ? (entry as Record<string, unknown>)
        : {}
    );
    if (records.reduce((sum, entry) => sum + entrySize(entry), 0) >= MAX_PUT_EVENTS_BYTES) {
      throw validationError('Total size of the entries in the request is over the limit.');
    }
    const results = records.map((entry) => this.#accept(entry));
    return {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    };
  }

  #accept(entry: Record<string, unknown>): ResultEntry {
    if (typeof entry.Source !== 'string' || entry.Source === '') return invalidArgument('Source');
    if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
      return invalidArgument('DetailType');
    }
    const detailText = typeof entry.Detail === 'string' ? entry.Detail : '{}';
    const detail = parseDetail(detailText);
    if (detail === undefined)
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const failure = this.#failures[0];
    if (failure !== undefined) {
      failure.hits += 1;
      if (failure.spec.times !== 'always' && failure.hits >= failure.spec.times) {
        this.#failures.shift();
      }
      return { ErrorCode: failure.spec.errorCode, ErrorMessage: failure.spec.errorMessage };
    }
    const eventId = randomUUID();
    const event: RecordedEvent = {
      eventId,
      eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
      source: entry.Source,
      detailType: entry.DetailType,
      detailText,
      detail,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      at: Date.now(),
    };
    this.#events.push(event);
    this.#onEvent?.(event);
    return { EventId: eventId };
  }
}
