/**
 * The facts a diagnosis reads (gathered from AWS by ./gather.ts, or written by a test) and the
 * diagnosis it returns. Pure data: no SDK shapes.
 */
import type { RotationStep } from '../remediation/types.js';
import type { CauseId, Confidence } from './causes.js';

/** The rotation function's configuration, as far as a diagnosis needs it. */
export interface FunctionFacts {
  /** False when the function does not exist (GetFunctionConfiguration said so). */
  exists: boolean;
  name: string;
  runtime?: string;
  /** The function's Timeout, in seconds. */
  timeoutSeconds?: number;
  /** The VPC the function is attached to; undefined when it is not. */
  vpc?: { vpcId?: string; subnetIds: string[]; securityGroupIds: string[] };
  /** Where it logs: `/aws/lambda/<name>` unless LoggingConfig.LogGroup says otherwise. */
  logGroup?: string;
  /** Reserved concurrency; undefined when none is reserved. */
  reservedConcurrency?: number;
}

/** One log line of the rotation function. */
export interface LogLine {
  /** ms since the epoch. */
  timestamp: number;
  message: string;
}

/** AWS/Lambda metrics of the function over the window (sums, and the maximum duration). */
export interface MetricFacts {
  errors?: number;
  throttles?: number;
  /** The largest Duration seen, in ms. */
  maxDurationMs?: number;
}

/** The facts gathered: any of them may be missing. */
export interface DiagnosisFacts {
  function?: FunctionFacts;
  logs?: LogLine[];
  metrics?: MetricFacts;
  /** Whether the function's VPC has a `secretsmanager` interface endpoint; undefined: not known. */
  secretsManagerEndpoint?: boolean;
  /** The calls that failed, and why: reported, never thrown. */
  missing: MissingFact[];
}

/** Which fact could not be gathered. */
export const FactName = {
  Function: 'function',
  Concurrency: 'concurrency',
  Logs: 'logs',
  Metrics: 'metrics',
  VpcEndpoints: 'vpc-endpoints',
} as const;
/** One of {@link FactName}. */
export type FactName = (typeof FactName)[keyof typeof FactName];

/** Why a fact is missing. */
export const MissingReason = {
  AccessDenied: 'access-denied',
  Throttled: 'throttled',
  TimedOut: 'timed-out',
  NotFound: 'not-found',
  Failed: 'failed',
  Skipped: 'skipped',
} as const;
/** One of {@link MissingReason}. */
export type MissingReason = (typeof MissingReason)[keyof typeof MissingReason];

/** A fact the diagnosis had to do without. */
export interface MissingFact {
  fact: FactName;
  reason: MissingReason;
  /** A short, redacted detail (the error's name). */
  detail?: string;
}

/** One cause the evidence supports. */
export interface Finding {
  cause: CauseId;
  confidence: Confidence;
  /** Redacted evidence: log lines with their time, configuration and metric facts. */
  evidence: string[];
  fix: string;
  documentation: string;
}

/** What a diagnosis says. */
export interface Diagnosis extends Finding {
  /** Every cause the evidence supports, the most probable first (the top one is repeated above). */
  findings: Finding[];
  /** The rotation steps the logs say completed for the version diagnosed. */
  completedSteps: CompletedStep[];
  missing: MissingFact[];
}

/** A step the logs say completed. */
export interface CompletedStep {
  step: RotationStep;
  /** ISO time of the line. */
  at: string;
  /** True when the line names the version; false when it is attributed by order. */
  namesVersion: boolean;
}
