/**
 * The audit trail of one invocation: one structured log record per step, each with an `audit`
 * object whose `event` names the step. Records carry ids, labels and decisions; never a secret
 * value, never the raw event.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CallRecord } from '../remediation/apply.js';
import type { RemediationObserver } from '../remediation/remediate.js';
import type {
  Plan,
  RemediationReport,
  RemediationRequest,
  SecretState,
  StepLookup,
  TriggerName,
} from '../remediation/types.js';
import { requestedBySourceOf } from '../remediation/types.js';
import type { Mismatch } from '../remediation/verify.js';
import { maskCredentials } from './redact.js';

/** The names of audit records. */
export const AuditEvent = {
  Requested: 'remediation.requested',
  Planned: 'remediation.planned',
  /** The failed step was looked up in CloudTrail's event history. */
  StepLookedUp: 'remediation.step-looked-up',
  Call: 'secretsmanager.call',
  Verified: 'remediation.verified',
  Completed: 'remediation.completed',
  Ignored: 'remediation.ignored',
  Rejected: 'remediation.rejected',
  Failed: 'remediation.failed',
  /** The outcome's event could not be put on EventBridge (src/notifications). */
  NotificationFailed: 'notification.failed',
} as const;
/** One of {@link AuditEvent}. */
export type AuditEvent = (typeof AuditEvent)[keyof typeof AuditEvent];

/** Where the request came from, for every record of the trail. */
export interface AuditOrigin {
  trigger: TriggerName | 'unknown';
  correlationId: string | undefined;
}

/** Writes the audit records of one invocation. */
export class AuditTrail implements RemediationObserver {
  readonly #logger: Logger;
  readonly #started = Date.now();
  #origin: AuditOrigin;
  #secretArn: string | undefined;

  public constructor(logger: Logger, origin: AuditOrigin) {
    this.#logger = logger;
    this.#origin = origin;
  }

  /** Where the request came from; set once the trigger is known. */
  public set origin(origin: AuditOrigin) {
    this.#origin = origin;
  }

  #write(
    event: AuditEvent,
    message: string,
    fields: Record<string, unknown>,
    level: 'info' | 'warn' | 'error' = 'info'
  ): void {
    this.#logger[level](message, {
      audit: {
        event,
        trigger: this.#origin.trigger,
        correlationId: this.#origin.correlationId ?? null,
        secretArn: this.#secretArn,
        ...fields,
      },
    });
  }

  /** The trigger turned the event into a request. */
  public requested(request: RemediationRequest): void {
    this.#origin = { trigger: request.trigger, correlationId: request.correlationId };
    this.#write(AuditEvent.Requested, 'Remediation requested', {
      secretId: request.secretId,
      intent: request.intent ?? 'remediate',
      requestedBy: request.requestedBy ?? null,
      requestedBySource: requestedBySourceOf(request),
      reason: request.reason === undefined ? null : maskCredentials(request.reason),
      dryRun: request.dryRun,
      pendingAction: request.pendingAction,
      failedStep: request.failedStep ?? null,
      failureEvent: request.failureEvent ?? null,
      humanDecision: request.humanDecision === true,
      expectedPendingVersionId: request.expectedPendingVersionId ?? null,
    });
  }

  /** A plan (or a re-plan) was made. */
  public planned(plan: Plan, attempt: number, secretArn?: string): void {
    if (secretArn !== undefined) this.#secretArn = secretArn;
    this.#write(
      AuditEvent.Planned,
      attempt === 0 ? 'Remediation planned' : 'Remediation re-planned',
      {
        attempt,
        decision: plan.decision,
        rule: plan.decision.rule,
        failedStep: plan.decision.failedStep,
        evidence: plan.decision.evidence,
        outcome: plan.outcome,
        reason: plan.reason,
        actions: plan.actions,
        pendingVersionId: plan.pendingVersionId ?? null,
        currentVersionId: plan.currentVersionId ?? null,
      }
    );
  }

  /** The failed step was looked up in CloudTrail's history: what it found, and how. */
  public stepLookedUp(lookup: StepLookup, secretArn: string): void {
    this.#secretArn = secretArn;
    this.#write(
      AuditEvent.StepLookedUp,
      `Failed step lookup ${lookup.outcome}`,
      {
        outcome: lookup.outcome,
        failedStep: lookup.step ?? null,
        eventTime: lookup.eventTime,
        exact: lookup.exact,
        pages: lookup.pages,
        errorName: lookup.errorName ?? null,
      },
      lookup.outcome === 'found' || lookup.outcome === 'not-found' ? 'info' : 'warn'
    );
  }

  /** A mutating Secrets Manager call was made. */
  public call(record: CallRecord): void {
    const { action } = record;
    this.#write(
      AuditEvent.Call,
      `${record.operation} ${record.outcome}`,
      {
        operation: record.operation,
        versionStage: 'versionStage' in action ? action.versionStage : null,
        moveToVersionId: 'moveTo' in action ? action.moveTo : null,
        removeFromVersionId: 'removeFrom' in action ? (action.removeFrom ?? null) : null,
        requestId: record.requestId ?? null,
        outcome: record.outcome,
        errorName: record.errorName ?? null,
        durationMs: record.durationMs,
      },
      record.outcome === 'success' ? 'info' : 'warn'
    );
  }

  /** The end state was read back and compared with the plan. */
  public verified(mismatches: Mismatch[], after: SecretState): void {
    this.#write(
      AuditEvent.Verified,
      mismatches.length === 0 ? 'End state verified' : 'End state differs from the plan',
      {
        ok: mismatches.length === 0,
        mismatches,
        rotationEnabled: after.rotationEnabled ?? null,
        versionIdsToStages: after.versionIdsToStages,
      },
      mismatches.length === 0 ? 'info' : 'error'
    );
  }

  /** The remediation ended with a report. */
  public completed(report: RemediationReport): void {
    this.#secretArn = report.secret.arn;
    this.#write(AuditEvent.Completed, `Remediation ${report.status}`, {
      status: report.status,
      rule: report.decision.rule,
      evidence: report.decision.evidence,
      dryRun: report.dryRun,
      replayed: report.replayed === true,
      actions: report.actions.length,
      durationMs: this.durationMs(),
    });
  }

  /** The event asked for nothing. */
  public ignored(reason: string): void {
    this.#write(AuditEvent.Ignored, 'Event ignored', { reason: maskCredentials(reason) });
  }

  /** The input was rejected before any AWS call (validation). */
  public rejected(error: Error): void {
    this.#write(
      AuditEvent.Rejected,
      'Request rejected',
      { errorName: error.name, message: error.message },
      'warn'
    );
  }

  /** The remediation failed. */
  public failed(error: Error): void {
    this.#write(
      AuditEvent.Failed,
      'Remediation failed',
      { errorName: error.name, message: error.message, durationMs: this.durationMs() },
      'error'
    );
  }

  /** The outcome's event could not be put; the outcome itself stands. */
  public notificationFailed(fields: {
    detailType: string | null;
    eventBusName: string;
    errorName: string;
    message: string;
    attempts: number;
  }): void {
    this.#write(
      AuditEvent.NotificationFailed,
      'Notification failed',
      { ...fields, message: maskCredentials(fields.message) },
      'warn'
    );
  }

  /** Milliseconds since the trail was opened. */
  public durationMs(): number {
    return Date.now() - this.#started;
  }
}
