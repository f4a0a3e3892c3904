/**
 * What the benchmark's child processes (run under Node 24) report to the driver: the probe
 * (`dist/bench/probe.js`, one fresh process per measurement) on a stdout line, the worker
 * (`dist/bench/worker.js`, a long-lived process driven over IPC) as IPC messages.
 */

/** Prefix of the probe's result line on stdout (the handler's own logs share stdout). */
export const PROBE_RESULT_PREFIX = 'RR-BENCH-RESULT ';

/** Environment variables the probe reads. */
export const ProbeEnv = {
  /** Absolute path of the module to `require` (the bundle, the floor, an empty file). */
  module: 'RR_PROBE_MODULE',
  /** JSON array of events to hand to the module's `handler`, one after the other. */
  events: 'RR_PROBE_EVENTS',
  /** `1`: record which module wrappers of the bundle ran (V8 precise coverage; slows the run). */
  coverage: 'RR_PROBE_COVERAGE',
} as const;

/** The outcome of one invocation: a report status, an HTTP status code, `swept`, or an error name. */
export interface InvocationOutcome {
  /** Milliseconds from the call to the settled promise. */
  ms: number;
  /** CPU time of the process (user + system, all threads) during the invocation, ms. */
  cpuMs: number;
  /** Peak resident set size of the process once the invocation settled, KiB. */
  maxRssKb: number;
  outcome: string;
}

/** What one probe process measured. */
export interface ProbeResult {
  /** `process.version` of the child. */
  node: string;
  /** Milliseconds from the process's time origin to the probe's first statement. */
  bootMs: number;
  /** Milliseconds spent in `require` of the module: its load, compilation and initialisation. */
  requireMs: number;
  /** CPU time of the process (user + system, all threads) during `require`, ms. */
  requireCpuMs: number;
  /** One entry per event, in order. */
  invocations: InvocationOutcome[];
  /** Resident set size after `require`, KiB. */
  rssAfterRequireKb: number;
  /** Peak resident set size of the process (`process.resourceUsage().maxRSS`), KiB. */
  maxRssKb: number;
  /**
   * With coverage: the files of the module's folder that were loaded (the module itself, and the
   * Lambda's `parts/` it required), relative to that folder.
   */
  loadedFiles?: string[];
  /** With coverage: the names of the bundle's module wrappers (`__esm`/`__commonJS`) that ran. */
  initialisedModules?: string[];
  /** With coverage: the names of all the module wrappers of the loaded files. */
  wrappedModules?: string[];
  /** The compile cache directory in use (`module.getCompileCacheDir()`), when enabled. */
  compileCacheDir?: string;
}

/** An AWS call the worker's process sent, from Node's HTTP client diagnostics channel. */
export interface ObservedAwsCall {
  /** `secretsmanager`, `dynamodb_20120810`, ... (the `X-Amz-Target` prefix, lower case). */
  service: string;
  operation: string;
}

/** A request to the worker: invoke the handler with `event`. */
export interface WorkerInvoke {
  kind: 'invoke';
  id: number;
  event: unknown;
  /** What `context.getRemainingTimeInMillis()` starts from; default 60,000. */
  remainingMs?: number;
}

/**
 * A request to the worker: time `count` bare HTTP round trips (one JSON 1.1 request each, no SDK,
 * on one kept-alive connection) to `endpoint`: the floor a call can cost in this environment.
 */
export interface WorkerRoundTrips {
  kind: 'round-trips';
  id: number;
  endpoint: string;
  /** `X-Amz-Target`, e.g. `secretsmanager.DescribeSecret`. */
  target: string;
  body: string;
  count: number;
}

/** What the driver sends the worker. */
export type WorkerRequest = WorkerInvoke | WorkerRoundTrips;

/** The worker's answer to one {@link WorkerRoundTrips}. */
export interface WorkerRoundTripsResponse {
  id: number;
  /** Milliseconds of each round trip. */
  samples: number[];
}

/** The worker's answer to one {@link WorkerInvoke}. */
export interface WorkerResponse {
  id: number;
  ms: number;
  outcome: string;
  /** The handler's return value (JSON), absent when it threw. */
  result?: unknown;
  /** `name: message` of the error the handler threw. */
  error?: string;
  /** AWS calls made during the invocation, in order. */
  awsCalls: ObservedAwsCall[];
  /** Peak resident set size of the worker so far, KiB. */
  maxRssKb: number;
}

/** The worker's first message, once the bundle is loaded. */
export interface WorkerReady {
  ready: true;
  node: string;
  requireMs: number;
}

/** The outcome string of a handler's result: a report status, an HTTP status, or `swept`. */
export const outcomeOf = (result: unknown): string => {
  if (typeof result !== 'object' || result === null) return typeof result;
  const record = result as Record<string, unknown>;
  if (typeof record.status === 'string') return record.status;
  if (typeof record.statusCode === 'number') return `http ${record.statusCode}`;
  if ('sweep' in record) return 'swept';
  return 'object';
};
