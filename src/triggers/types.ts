/**
 * The contract every trigger adapter implements: recognise its event shape, turn the event into one
 * {@link RemediationRequest} (or an explicit "ignored"), and map the outcome back to the response
 * its caller expects.
 */
import type { Context } from 'aws-lambda';
import type { RemediatorConfig } from '../config.js';
import type { RemediationReport, RemediationRequest, TriggerName } from '../remediation/types.js';
import type { SweepRequest } from '../sweep/types.js';

/** An event the adapter recognised but that asks for no action (an OK alarm, RotationSucceeded). */
export interface IgnoredEvent {
  status: 'ignored';
  reason: string;
}

/** What an adapter makes of an event. */
export type AdapterResult =
  | { kind: 'request'; request: RemediationRequest }
  | { kind: 'ignored'; ignored: IgnoredEvent; correlationId?: string }
  /** A sweep of every secret (the sweep adapter only); the handler returns the sweep's report. */
  | { kind: 'sweep'; sweep: SweepRequest; correlationId?: string };

/** One trigger. */
export interface TriggerAdapter {
  readonly name: TriggerName;
  /** Explicit detection: true only for this trigger's own shape. */
  matches(event: unknown): boolean;
  /** Turns a matching event into a request; throws a ValidationError when it is malformed. */
  toRequest(event: unknown, context: Context | undefined, config: RemediatorConfig): AdapterResult;
  /** Maps a report or an ignored event to the trigger's response. */
  toResponse(result: RemediationReport | IgnoredEvent): unknown;
  /** Maps a failure to the trigger's response; rethrows for triggers that must fail. */
  toErrorResponse(error: unknown): unknown;
}

/** True for a plain (non-null, non-array) object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
