/**
 * Gathers the facts of a failed rotation from its rotation function: configuration, reserved
 * concurrency, log lines over the window, metrics and (when the port offers it) the VPC's
 * endpoints. Every call is optional: one that fails is recorded in `missing` with its reason, and
 * the others still run. The service is asked for the lines with a term of `LOG_FILTER_PATTERN`, and
 * of those only the lines a diagnosis reads are kept (./log-rules.ts, ./steps.ts).
 */
import { LOG_FILTER_PATTERN, rulesMatching } from './log-rules.js';
import type { DiagnosisSources, LogReadLimits, SourceResult, TimeWindow } from './sources.js';
import { parseStepLine } from './steps.js';
import type { DiagnosisFacts, FactName, FunctionFacts, LogLine, MissingFact } from './types.js';
import { FactName as Fact } from './types.js';

/** Default bounds of the log read. */
export const DEFAULT_LOG_LIMITS = {
  maxPages: 5,
  pageIntervalMs: 250,
} as const satisfies LogReadLimits;

/** What to gather. */
export interface GatherRequest {
  /** The secret's RotationLambdaARN (or the function's name). */
  functionId: string;
  /** From the pending version's creation to the failure. */
  window: TimeWindow;
  limits?: LogReadLimits;
}

/** The function's name from its ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`). */
export const functionNameOf = (functionId: string): string => {
  const match = /^arn:[^:]+:lambda:[^:]*:\d*:function:([^:]+)/.exec(functionId);
  return match?.[1] ?? functionId;
};

/** The log group a function writes to. */
export const logGroupOf = (fn: FunctionFacts | undefined, name: string): string =>
  fn?.logGroup ?? `/aws/lambda/${name}`;

/** Whether a line says anything a diagnosis reads. */
const relevant = (line: LogLine): boolean =>
  rulesMatching(line.message).length > 0 ||
  parseStepLine(line.message) !== undefined ||
  /\bversion [0-9A-Za-z-]{32,64}/.test(line.message);

/** Records a result's value, or why it is missing. */
const take = <T>(
  result: SourceResult<T>,
  fact: FactName,
  missing: MissingFact[]
): T | undefined => {
  if (result.ok) return result.value;
  missing.push({
    fact,
    reason: result.reason,
    ...(result.detail ? { detail: result.detail } : {}),
  });
  return undefined;
};

/** The function's configuration with its reserved concurrency. */
const gatherFunction = async (
  sources: DiagnosisSources,
  functionId: string,
  missing: MissingFact[]
): Promise<FunctionFacts | undefined> => {
  const fn = take(await sources.functionConfiguration(functionId), Fact.Function, missing);
  if (fn?.exists === false) return fn;
  const concurrency = take(
    await sources.reservedConcurrency(functionId),
    Fact.Concurrency,
    missing
  );
  if (fn === undefined || concurrency === undefined) return fn;
  return { ...fn, reservedConcurrency: concurrency };
};

/** Whether the function's VPC has a secretsmanager endpoint, when that can be asked. */
const gatherEndpoint = async (
  sources: DiagnosisSources,
  fn: FunctionFacts | undefined,
  missing: MissingFact[]
): Promise<boolean | undefined> => {
  const vpcId = fn?.vpc?.vpcId;
  if (vpcId === undefined) return undefined;
  if (sources.secretsManagerEndpoint === undefined) {
    missing.push({ fact: Fact.VpcEndpoints, reason: 'skipped' });
    return undefined;
  }
  return take(await sources.secretsManagerEndpoint(vpcId), Fact.VpcEndpoints, missing);
};

/** Gathers every fact it can; never throws for a failed call. */
export const gatherFacts = async (
  sources: DiagnosisSources,
  request: GatherRequest
): Promise<DiagnosisFacts> => {
  const missing: MissingFact[] = [];
  const fn = await gatherFunction(sources, request.functionId, missing);
  if (fn?.exists === false) return { function: fn, missing };
  const name = fn?.name ?? functionNameOf(request.functionId);
  const limits = request.limits ?? DEFAULT_LOG_LIMITS;
  const [logs, metrics, endpoint] = await Promise.all([
    sources.logLines(logGroupOf(fn, name), request.window, limits, LOG_FILTER_PATTERN),
    sources.metrics(name, request.window),
    gatherEndpoint(sources, fn, missing),
  ]);
  const lines = take(logs, Fact.Logs, missing);
  const metricFacts = take(metrics, Fact.Metrics, missing);
  return {
    ...(fn ? { function: fn } : {}),
    ...(lines ? { logs: lines.filter(relevant) } : {}),
    ...(metricFacts ? { metrics: metricFacts } : {}),
    ...(endpoint === undefined ? {} : { secretsManagerEndpoint: endpoint }),
    missing,
  };
};
