/**
 * The contract every trigger adapter implements: recognise its event shape, turn the event into one
 * {@link TriggerCommand}, and map the outcome back to the response its caller expects.
 */
import type { Context } from 'aws-lambda';
import type { RemediationReport, RemediationRequest, TriggerName } from '../remediation/types.js';
import type { ReportRequest, ReportResponse } from '../report/types.js';
import type { RemediatorConfig } from '../settings.js';
import type { SweepRequest, SweepResponse } from '../sweep/types.js';

/** An event the adapter recognised but that asks for no action (an OK alarm, RotationSucceeded). */
export interface IgnoredEvent {
  status: 'ignored';
  reason: string;
}

/**
 * What an adapter makes of an event: one command for the application service. The handler picks
 * the use case from `kind`.
 */
export type TriggerCommand =
  /** Remediate one secret. */
  | { kind: 'remediate'; request: RemediationRequest }
  /** Turn rotation of one secret back on (`request.intent` is `resume`). */
  | { kind: 'resume'; request: RemediationRequest }
  /** Nothing to do (an OK alarm, RotationSucceeded): audited as ignored. */
  | { kind: 'ignore'; ignored: IgnoredEvent; correlationId?: string | undefined }
  /** A sweep of every secret (the sweep adapter only); the handler returns the sweep's report. */
  | { kind: 'sweep'; sweep: SweepRequest; correlationId?: string | undefined }
  /** The fleet report (the report adapter only); the handler returns the report. */
  | { kind: 'report'; report: ReportRequest; correlationId?: string | undefined };

/** One trigger. */
export interface TriggerAdapter {
  readonly name: TriggerName;
  /** Explicit detection: true only for this trigger's own shape. */
  matches(event: unknown): boolean;
  /** Turns a matching event into a command; throws a ValidationError when it is malformed. */
  toCommand(event: unknown, context: Context | undefined, config: RemediatorConfig): TriggerCommand;
  /** Maps a report, a sweep's or fleet report, or an ignored event to the trigger's response. */
  toResponse(result: RemediationReport | SweepResponse | ReportResponse | IgnoredEvent): unknown;
  /** Maps a failure to the trigger's response; rethrows for triggers that must fail. */
  toErrorResponse(error: unknown): unknown;
}

/** True for a plain (non-null, non-array) object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The responses of triggers whose caller takes the outcome as it is (direct invocations, the
 * sweep, EventBridge and alarm actions): the report itself, and the error rethrown so that the
 * invocation fails (and is retried, or caught by Step Functions).
 */
export const passThroughResponses = {
  toResponse: (result: unknown): unknown => result,
  toErrorResponse: (error: unknown): never => {
    throw error;
  },
} as const satisfies Pick<TriggerAdapter, 'toResponse' | 'toErrorResponse'>;
