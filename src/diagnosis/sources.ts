/**
 * What the gatherer asks AWS, as a port: each call answers a value or says why it has none (a
 * {@link MissingReason}), and never throws. ./aws-sources.ts implements it with the SDK; tests may
 * implement it with plain objects.
 */
import type { FunctionFacts, LogLine, MetricFacts, MissingReason } from './types.js';

/** A call's answer: a value, or why there is none. */
export type SourceResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: MissingReason; detail?: string };

/** A time window, in ms since the epoch. */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/** How far one log read may go. */
export interface LogReadLimits {
  /** At most this many FilterLogEvents pages. */
  maxPages: number;
  /** At least this many ms between two pages (FilterLogEvents: 5 requests/s per account and region). */
  pageIntervalMs: number;
  /** Events per page (FilterLogEvents `limit`); the service's default when undefined. */
  pageSize?: number;
}

/** The calls a diagnosis makes. */
export interface DiagnosisSources {
  /** GetFunctionConfiguration: `exists: false` when there is no such function. */
  functionConfiguration(functionId: string): Promise<SourceResult<FunctionFacts>>;
  /** GetFunctionConcurrency: the reserved concurrency, undefined when none is reserved. */
  reservedConcurrency(functionId: string): Promise<SourceResult<number | undefined>>;
  /** FilterLogEvents over the window with `filterPattern` (if any), bounded by `limits`. */
  logLines(
    logGroup: string,
    window: TimeWindow,
    limits: LogReadLimits,
    filterPattern?: string
  ): Promise<SourceResult<LogLine[]>>;
  /** GetMetricData: AWS/Lambda Errors, Throttles and Duration of the function over the window. */
  metrics(functionName: string, window: TimeWindow): Promise<SourceResult<MetricFacts>>;
  /** DescribeVpcEndpoints: whether the VPC has a `secretsmanager` interface endpoint (optional). */
  secretsManagerEndpoint?(vpcId: string): Promise<SourceResult<boolean>>;
}
