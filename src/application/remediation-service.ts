/**
 * The application service: the one module that runs a command through the audit trail, the
 * remediation core, idempotency and metrics. The Lambda handler, the sweep (for each stuck secret)
 * and the CLI all go through it; nothing else assembles that chain.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  recordNotificationFailed,
  recordOutcome,
  recordReportClasses,
  recordSweepCounts,
} from '../audit/metrics.js';
import type { AuditOrigin } from '../audit/trail.js';
import { AuditTrail } from '../audit/trail.js';
import { ResumeDisabled, ValidationError } from '../errors.js';
import {
  failureNotification,
  outcomeNotification,
  sweepNotification,
} from '../notifications/detail.js';
import type { Announcement, DecisionLedger } from '../notifications/reminders.js';
import type { Notification, Notifier } from '../notifications/types.js';
import { FailureWitness } from '../notifications/witness.js';
import type { ApplyOnce, RemediationObserver } from '../remediation/remediate.js';
import { remediate } from '../remediation/remediate.js';
import type {
  FailedStepResolver,
  RemediationReport,
  RemediationRequest,
} from '../remediation/types.js';
import { Intent, RemediationStatus, TriggerName } from '../remediation/types.js';
import type { runReport } from '../report/report.js';
import type { ReportRequest, ReportResponse } from '../report/types.js';
import type { ResumeSettings, Settings } from '../settings.js';
import type { runSweep } from '../sweep/sweep.js';
import type { SweepRequest, SweepResponse } from '../sweep/types.js';

/** What the service runs with. */
export interface ServiceDependencies {
  secretsManager: SecretsManagerClient;
  settings: Pick<Settings, 'remediator' | 'sweep'>;
  /** The service logger: every audit record. */
  logger: Logger;
  /** Outcome metrics; absent (the CLI): none. */
  metrics?: Metrics | undefined;
  /** Idempotency; absent: none. */
  applyOnce?: ApplyOnce | undefined;
  /** Finds a failed step a request does not carry (CloudTrail's history); absent: unknown. */
  failedSteps?: FailedStepResolver | undefined;
  /** Sees each step of every remediation besides the audit trail (the CLI prints them). */
  observer?: RemediationObserver | undefined;
  /** Puts an event per outcome (src/notifications); absent: none. */
  notifier?: Notifier | undefined;
  /**
   * Records held decisions, so that a Needs Decision is announced once and then reminded once per
   * `DECISION_REMINDER_SECONDS` (src/notifications/reminders.ts); absent: announced every time.
   */
  decisions?: DecisionLedger | undefined;
  /** The clock the evidence reads (a pending version's age, an event's); absent: the system clock. */
  now?: (() => Date) | undefined;
  /** Loads the sweep on the first sweep; default: a lazy import of src/sweep/sweep.ts. */
  loadSweep?: () => Promise<typeof runSweep>;
  /** Loads the fleet report on the first report; default: a lazy require of src/report/report.ts. */
  loadReport?: () => Promise<typeof runReport>;
  /**
   * What a resume may run (the Lambda: `ROTATION_FUNCTION_ARNS`); none listed, resume is refused.
   * Absent (the CLI, with the operator's own rights): resume is not restricted.
   */
  resume?: ResumeSettings | undefined;
}

/** The invocation a command runs in. */
export interface Invocation {
  /** The invocation's id (Lambda request id) for the audit trail. */
  correlationId?: string | undefined;
  /** Milliseconds left before the deadline; absent: no deadline. */
  remainingTimeMs?: (() => number) | undefined;
  /** The failed-step resolver of this invocation (a sweep's shared window); default the service's. */
  failedSteps?: FailedStepResolver | undefined;
}

/** The sweep, required on the first sweep only (esbuild initialises the module then). */
const importSweep = async (): Promise<typeof runSweep> =>
  (require('../sweep/sweep.js') as typeof import('../sweep/sweep.js')).runSweep;

/** The fleet report, required on the first report only. */
const importReport = async (): Promise<typeof runReport> =>
  (require('../report/report.js') as typeof import('../report/report.js')).runReport;

/** The metric outcome of an error: `rejected` for bad input, else the error's name. */
const outcomeOf = (error: unknown): string =>
  error instanceof ValidationError ? 'rejected' : ((error as Error | undefined)?.name ?? 'Error');

/** The refusal of a resume when no rotation function is configured; undefined otherwise. */
const resumeDisabled = (
  request: RemediationRequest,
  resume: ResumeSettings | undefined
): ResumeDisabled | undefined =>
  request.intent === Intent.Resume && resume?.rotationFunctionArns.length === 0
    ? new ResumeDisabled(
        'Resume is off: no rotation functions are configured (ROTATION_FUNCTION_ARNS is empty), so this function may not turn rotation back on. To enable it, deploy the stack with RotationFunctionArns listing the rotation functions a resume may run; or resume with the CLI and your own credentials.'
      )
    : undefined;

/** Sends each step to every observer given. */
const fanOut = (...observers: (RemediationObserver | undefined)[]): RemediationObserver => ({
  planned: (...args) => {
    for (const observer of observers) observer?.planned?.(...args);
  },
  call: (record) => {
    for (const observer of observers) observer?.call?.(record);
  },
  verified: (...args) => {
    for (const observer of observers) observer?.verified?.(...args);
  },
  stepLookedUp: (...args) => {
    for (const observer of observers) observer?.stepLookedUp?.(...args);
  },
});

/** Runs remediations and sweeps, observed by the audit trail and metrics. */
export class RemediationService {
  readonly #deps: ServiceDependencies;

  public constructor(deps: ServiceDependencies) {
    this.#deps = deps;
  }

  /** Remediates one secret: audit trail, core, idempotency, metrics. Rethrows a failure. */
  public async remediate(
    request: RemediationRequest,
    invocation: Invocation = {}
  ): Promise<RemediationReport> {
    const trail = new AuditTrail(this.#deps.logger, {
      trigger: request.trigger,
      correlationId: request.correlationId,
    });
    try {
      const report = await this.#remediate(trail, request, invocation);
      this.#record(report.replayed === true ? 'replayed' : report.status, trail);
      return report;
    } catch (error) {
      this.#record(outcomeOf(error), trail);
      throw error;
    }
  }

  /** Sweeps the account and region; each stuck secret goes through the same chain. */
  public async sweep(request: SweepRequest, invocation: Invocation = {}): Promise<SweepResponse> {
    const trail = new AuditTrail(this.#deps.logger, {
      trigger: TriggerName.Sweep,
      correlationId: invocation.correlationId,
    });
    const { settings, applyOnce } = this.#deps;
    // one window on the history for every stuck secret of this sweep
    const failedSteps = this.#deps.failedSteps?.batch?.() ?? this.#deps.failedSteps;
    try {
      const run = await (this.#deps.loadSweep ?? importSweep)();
      const response = await run(
        {
          secretsManager: this.#deps.secretsManager,
          config: settings.remediator,
          sweepConfig: settings.sweep,
          logger: this.#deps.logger,
          ready: applyOnce?.ready,
          remediate: (stuck) => this.#remediateStuck(stuck, { ...invocation, failedSteps }),
          onResult: (result, durationMs) => this.#metric(result.status, durationMs),
        },
        { request, ...invocation }
      );
      await this.#notify(trail, () =>
        sweepNotification(response.sweep, {
          correlationId: invocation.correlationId,
          reason: request.reason,
        })
      );
      // the dashboard's sweep figures: a dry run changes nothing, so it publishes none
      if (this.#deps.metrics !== undefined && !response.sweep.dryRun) {
        recordSweepCounts(this.#deps.metrics, response.sweep);
      }
      this.#record('swept', trail);
      return response;
    } catch (error) {
      this.rejected(error, trail);
      throw error;
    }
  }

  /**
   * The fleet report: every secret with rotation configured, classified from ListSecrets pages
   * (read-only, paced like the sweep). Audited (`report.completed`) and counted (`reported`).
   */
  public async report(
    request: ReportRequest,
    invocation: Invocation = {}
  ): Promise<ReportResponse> {
    const trail = new AuditTrail(this.#deps.logger, {
      trigger: TriggerName.Report,
      correlationId: invocation.correlationId,
    });
    try {
      const run = await (this.#deps.loadReport ?? importReport)();
      const response = await run(
        {
          secretsManager: this.#deps.secretsManager,
          quotaShare: this.#deps.settings.sweep.quotaShare,
          logger: this.#deps.logger,
        },
        { request, ...invocation }
      );
      // the dashboard's report classes: the chain's totals once the listing has ended
      if (this.#deps.metrics !== undefined && response.report.continuation === undefined) {
        recordReportClasses(this.#deps.metrics, response.report.totals);
      }
      this.#record('reported', trail);
      return response;
    } catch (error) {
      this.rejected(error, trail);
      throw error;
    }
  }

  /** An event that asks for nothing: audited and counted. */
  public ignored(reason: string, origin: AuditOrigin): void {
    const trail = new AuditTrail(this.#deps.logger, origin);
    trail.ignored(reason);
    this.#record('ignored', trail);
  }

  /**
   * A command that failed outside a remediation (an event of no known shape, a malformed one, a
   * sweep whose listing failed): audited as rejected (bad input) or failed, and counted.
   */
  public rejected(error: unknown, origin: AuditOrigin | AuditTrail): void {
    const trail = origin instanceof AuditTrail ? origin : new AuditTrail(this.#deps.logger, origin);
    if (error instanceof ValidationError) trail.rejected(error);
    else trail.failed(error as Error);
    this.#record(outcomeOf(error), trail);
  }

  /** The chain without metrics: requested, core (with idempotency), completed or failed. */
  async #remediate(
    trail: AuditTrail,
    request: RemediationRequest,
    invocation: Invocation
  ): Promise<RemediationReport> {
    trail.requested(request);
    const disabled = resumeDisabled(request, this.#deps.resume);
    if (disabled !== undefined) {
      trail.rejected(disabled);
      throw disabled;
    }
    const witness = this.#deps.notifier === undefined ? undefined : new FailureWitness();
    try {
      const report = await remediate(
        {
          secretsManager: this.#deps.secretsManager,
          requiredTag: this.#deps.settings.remediator.requiredTag,
          policy: this.#deps.settings.remediator.policy,
          now: this.#deps.now,
          observer: fanOut(trail, this.#deps.observer, witness),
          applyOnce: this.#deps.applyOnce,
          remainingTimeMs: invocation.remainingTimeMs,
          failedSteps: invocation.failedSteps ?? this.#deps.failedSteps,
          rotationFunctionArns: this.#deps.resume?.rotationFunctionArns,
        },
        request
      );
      trail.completed(report);
      const announcement = await this.#announcement(report);
      if (announcement.announce) {
        await this.#notify(trail, () =>
          outcomeNotification(report, request, announcement.reminder)
        );
      }
      return report;
    } catch (error) {
      if (error instanceof ValidationError) trail.rejected(error);
      else trail.failed(error as Error);
      const failed = witness?.failed();
      if (failed !== undefined) {
        await this.#notify(trail, () => failureNotification(failed, request, error));
      }
      throw error;
    }
  }

  /**
   * Whether to announce a report: a held decision once, then once per reminder interval. When the
   * record cannot be read or written the decision is announced (a page too many, not one lost).
   */
  async #announcement(report: RemediationReport): Promise<Announcement> {
    const { decisions, notifier } = this.#deps;
    const pendingVersionId = report.decision.evidence.pendingVersionId;
    if (
      decisions === undefined ||
      notifier === undefined ||
      report.status !== RemediationStatus.NeedsDecision ||
      report.dryRun ||
      report.replayed === true ||
      pendingVersionId === null
    ) {
      return { announce: true, reminder: null };
    }
    const nowMs = (this.#deps.now?.() ?? new Date()).getTime();
    return decisions
      .claim({ secretArn: report.secret.arn, pendingVersionId }, nowMs)
      .catch((): Announcement => ({ announce: true, reminder: null }));
  }

  /**
   * Puts the event of an outcome, after its end state is verified. Never throws and never changes
   * the outcome: a failure is an audit record and a `NotificationsFailed` metric.
   */
  async #notify(trail: AuditTrail, build: () => Notification | undefined): Promise<void> {
    const notifier = this.#deps.notifier;
    if (notifier === undefined) return;
    let notification: Notification | undefined;
    try {
      notification = build();
      if (notification === undefined) return;
      const result = await notifier.notify(notification);
      if (result.ok) return;
      trail.notificationFailed({
        errorName: result.errorName,
        message: result.message,
        attempts: result.attempts,
        detailType: notification.detailType,
        eventBusName: notifier.eventBusName,
      });
    } catch (error) {
      trail.notificationFailed({
        detailType: notification?.detailType ?? null,
        eventBusName: notifier.eventBusName,
        errorName: (error as Error | undefined)?.name ?? 'Error',
        message: 'The event could not be built or put.',
        attempts: 0,
      });
    }
    if (this.#deps.metrics !== undefined) recordNotificationFailed(this.#deps.metrics);
  }

  /** A stuck secret of a sweep: the chain, with the sweep counting its outcome. */
  #remediateStuck(request: RemediationRequest, invocation: Invocation): Promise<RemediationReport> {
    const trail = new AuditTrail(this.#deps.logger, {
      trigger: TriggerName.Sweep,
      correlationId: request.correlationId,
    });
    return this.#remediate(trail, request, invocation);
  }

  #record(outcome: string, trail: AuditTrail): void {
    this.#metric(outcome, trail.durationMs());
  }

  #metric(outcome: string, durationMs: number): void {
    if (this.#deps.metrics !== undefined) recordOutcome(this.#deps.metrics, outcome, durationMs);
  }
}
