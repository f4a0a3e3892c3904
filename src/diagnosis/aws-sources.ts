/**
 * {@link DiagnosisSources} with the AWS SDK: Lambda, CloudWatch Logs and CloudWatch. The one module
 * of the diagnosis that sees SDK shapes: a failed call becomes a {@link MissingReason} here (read
 * with ../aws/sdk-errors.ts), and every call is bounded by its own deadline.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import {
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import type { ClientSettings } from '../aws/clients.js';
import { clientConfig } from '../aws/clients.js';
import { errorNameOf, isAccessDenied, isThrottlingError, isTimeout } from '../aws/sdk-errors.js';
import type { DiagnosisSources, LogReadLimits, SourceResult, TimeWindow } from './sources.js';
import type { FunctionFacts, LogLine, MetricFacts, MissingReason } from './types.js';
import { MissingReason as Reason } from './types.js';

/** The clients the sources call. */
export interface DiagnosisClients {
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  cloudWatch: CloudWatchClient;
}

/**
 * Retry and timeout settings of the diagnosis clients: one retry, short attempts. A diagnosis is
 * an aid; a slow answer is reported as missing rather than awaited.
 */
export const diagnosisClientSettings = {
  maxAttempts: 2,
  retryMode: 'standard',
  connectionTimeout: 1_000,
  requestTimeout: 3_000,
} as const satisfies ClientSettings;

/** Region and endpoint of the diagnosis clients (endpoints otherwise from the SDK's chain). */
export interface DiagnosisClientConfig {
  region?: string;
  /** One endpoint for all three services (a local emulator, moto). */
  endpoint?: string;
}

/** Creates the Lambda, CloudWatch Logs and CloudWatch clients of a diagnosis. */
export const createDiagnosisClients = (config: DiagnosisClientConfig = {}): DiagnosisClients => {
  const shared = { ...clientConfig(diagnosisClientSettings), ...config };
  return {
    lambda: new LambdaClient(shared),
    logs: new CloudWatchLogsClient(shared),
    cloudWatch: new CloudWatchClient(shared),
  };
};

/** Options of {@link createAwsDiagnosisSources}. */
export interface AwsSourcesOptions {
  /** ms one call (or one log read, all pages) may take. Default 5 000. */
  callTimeoutMs?: number;
  /** Waits between log pages (injected by tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** Why a call failed, from its error. */
export const reasonOf = (error: unknown): MissingReason => {
  if (isAccessDenied(error)) return Reason.AccessDenied;
  if (isThrottlingError(error)) return Reason.Throttled;
  if (isTimeout(error) || errorNameOf(error) === 'AbortError') return Reason.TimedOut;
  if (errorNameOf(error) === 'ResourceNotFoundException') return Reason.NotFound;
  return Reason.Failed;
};

/** Runs a call; a failure becomes its reason and the error's name, never a throw. */
const attempt = async <T>(call: () => Promise<T>): Promise<SourceResult<T>> => {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, reason: reasonOf(error), detail: errorNameOf(error) };
  }
};

/** The facts of a function configuration. */
export const toFunctionFacts = (config: FunctionConfiguration): FunctionFacts => {
  const vpc = config.VpcConfig;
  const inVpc = (vpc?.SubnetIds?.length ?? 0) > 0;
  return {
    exists: true,
    name: config.FunctionName ?? '',
    ...(config.Runtime ? { runtime: config.Runtime } : {}),
    ...(config.Timeout === undefined ? {} : { timeoutSeconds: config.Timeout }),
    ...(inVpc
      ? {
          vpc: {
            ...(vpc?.VpcId ? { vpcId: vpc.VpcId } : {}),
            subnetIds: vpc?.SubnetIds ?? [],
            securityGroupIds: vpc?.SecurityGroupIds ?? [],
          },
        }
      : {}),
    ...(config.LoggingConfig?.LogGroup ? { logGroup: config.LoggingConfig.LogGroup } : {}),
  };
};

/** FilterLogEvents pages over the window, at most `limits.maxPages`, paced. */
const readLogs = async (
  client: CloudWatchLogsClient,
  logGroup: string,
  window: TimeWindow,
  limits: LogReadLimits,
  filterPattern: string | undefined,
  options: Required<AwsSourcesOptions>
): Promise<LogLine[]> => {
  const abortSignal = AbortSignal.timeout(options.callTimeoutMs);
  const input = {
    logGroupName: logGroup,
    startTime: window.startMs,
    endTime: window.endMs,
    ...(filterPattern ? { filterPattern } : {}),
  };
  const lines: LogLine[] = [];
  let pages = 0;
  for await (const page of paginateFilterLogEvents(
    { client, ...(limits.pageSize ? { pageSize: limits.pageSize } : {}) },
    input,
    { abortSignal }
  )) {
    for (const event of page.events ?? []) {
      lines.push({ timestamp: event.timestamp ?? 0, message: event.message ?? '' });
    }
    pages += 1;
    if (pages >= limits.maxPages) break;
    await options.sleep(limits.pageIntervalMs);
  }
  return lines;
};

const METRICS = [
  { id: 'errors', name: 'Errors', stat: 'Sum' },
  { id: 'throttles', name: 'Throttles', stat: 'Sum' },
  { id: 'duration', name: 'Duration', stat: 'Maximum' },
] as const;

/** GetMetricData for the function's Errors, Throttles and Duration, summed (Duration: maximum). */
const readMetrics = async (
  client: CloudWatchClient,
  functionName: string,
  window: TimeWindow,
  callTimeoutMs: number
): Promise<MetricFacts> => {
  const response = await client.send(
    new GetMetricDataCommand({
      StartTime: new Date(window.startMs),
      EndTime: new Date(window.endMs),
      MetricDataQueries: METRICS.map((metric) => ({
        Id: metric.id,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: metric.name,
            Dimensions: [{ Name: 'FunctionName', Value: functionName }],
          },
          Period: 60,
          Stat: metric.stat,
        },
      })),
    }),
    { abortSignal: AbortSignal.timeout(callTimeoutMs) }
  );
  const values = (id: string) =>
    response.MetricDataResults?.find((result) => result.Id === id)?.Values ?? [];
  const sum = (id: string) => values(id).reduce((a, b) => a + b, 0);
  const durations = values('duration');
  return {
    errors: sum('errors'),
    throttles: sum('throttles'),
    ...(durations.length > 0 ? { maxDurationMs: Math.max(...durations) } : {}),
  };
};

/** Function configuration, or `exists: false` when Lambda has no such function. */
const readFunction = async (
  client: LambdaClient,
  functionId: string,
  callTimeoutMs: number
): Promise<SourceResult<FunctionFacts>> => {
  const result = await attempt(() =>
    client.send(new GetFunctionConfigurationCommand({ FunctionName: functionId }), {
      abortSignal: AbortSignal.timeout(callTimeoutMs),
    })
  );
  if (result.ok) return { ok: true, value: toFunctionFacts(result.value) };
  if (result.reason !== Reason.NotFound) return result;
  return { ok: true, value: { exists: false, name: functionId } };
};

/** The diagnosis sources backed by the AWS SDK. */
export const createAwsDiagnosisSources = (
  clients: DiagnosisClients,
  options: AwsSourcesOptions = {}
): DiagnosisSources => {
  const settings: Required<AwsSourcesOptions> = {
    callTimeoutMs: options.callTimeoutMs ?? 5_000,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  const signal = () => ({ abortSignal: AbortSignal.timeout(settings.callTimeoutMs) });
  return {
    functionConfiguration: (functionId) =>
      readFunction(clients.lambda, functionId, settings.callTimeoutMs),
    reservedConcurrency: (functionId) =>
      attempt(async () => {
        const command = new GetFunctionConcurrencyCommand({ FunctionName: functionId });
        return (await clients.lambda.send(command, signal())).ReservedConcurrentExecutions;
      }),
    logLines: (logGroup, window, limits, filterPattern) =>
      attempt(() => readLogs(clients.logs, logGroup, window, limits, filterPattern, settings)),
    metrics: (functionName, window) =>
      attempt(() => readMetrics(clients.cloudWatch, functionName, window, settings.callTimeoutMs)),
  };
};
