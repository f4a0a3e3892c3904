/**
 * The values of notifications: the detail-types of the events the remediator puts on EventBridge,
 * one event as the notifier sends it, and what sending it came to. All plain JSON.
 */

/** The `Source` of every event the remediator puts. */
export const NOTIFICATION_SOURCE = 'rotation-remediator';

/** The detail-types, one per outcome (README, "Notifications"). */
export const DetailType = {
  Remediated: 'Rotation Remediated',
  NeedsDecision: 'Rotation Remediation Needs Decision',
  Refused: 'Rotation Remediation Refused',
  Failed: 'Rotation Remediation Failed',
  SweepCompleted: 'Rotation Sweep Completed',
  /** A resume turned rotation back on. */
  Resumed: 'Rotation Resumed',
} as const;
/** One of {@link DetailType}. */
export type DetailType = (typeof DetailType)[keyof typeof DetailType];

/** One event to put: its detail-type, the detail (redacted when sent) and the secret it is about. */
export interface Notification {
  detailType: DetailType;
  /** Plain JSON; serialised with the logs' redaction (src/audit/redact.ts) before it is sent. */
  detail: Record<string, unknown>;
  /** ARNs the event is about (the secret's): EventBridge's `resources`. */
  resources: string[];
}

/** What putting one event came to. Never an SDK error or response: names and text only. */
export type NotifyResult =
  | { ok: true; eventId: string | undefined }
  | {
      ok: false;
      /** The error's name (`ThrottlingException`, `TimeoutError`) or the failed entry's ErrorCode. */
      errorName: string;
      message: string;
      /** PutEvents calls made, the SDK's own retries included. */
      attempts: number;
    };

/** Puts events; never throws, never changes the outcome it reports on. */
export interface Notifier {
  /** The bus the events go to (for the audit trail). */
  readonly eventBusName: string;
  /** Puts one event; resolves with what that came to. */
  notify(notification: Notification): Promise<NotifyResult>;
  /** Releases its connections, if it opened any (the CLI, at its end). */
  close?(): void;
}
