/**
 * Remediation metrics with Powertools Metrics (CloudWatch embedded metric format): a count of
 * remediations by outcome, and their duration.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ObservabilitySettings } from '../settings.js';
import { OBSERVABILITY_DEFAULTS } from '../settings.js';

/** Metric names. */
export const MetricName = {
  Remediations: 'Remediations',
  Duration: 'RemediationDuration',
  /** Events (src/notifications) that could not be put on EventBridge; the stack alarms on it. */
  NotificationsFailed: 'NotificationsFailed',
  /** A live sweep's counts, one per `count` dimension (stuck, remediated, needsDecision, ...). */
  SweepSecrets: 'SweepSecrets',
  /** A fleet report's secrets per `class` dimension (stuck, managed, overdue, ...). */
  ReportSecrets: 'ReportSecrets',
} as const;

/** The sweep counts published as `SweepSecrets` (dimension `count`). */
export const SWEEP_GAUGES = [
  'stuck',
  'remediated',
  'needsDecision',
  'failed',
  'remaining',
] as const;

/** Creates the metrics emitter with the settings' namespace and service name. */
export const createMetrics = (
  observability: ObservabilitySettings = OBSERVABILITY_DEFAULTS
): Metrics =>
  new Metrics({
    namespace: observability.metricsNamespace,
    serviceName: observability.serviceName,
  });

/** Records one invocation's outcome and duration, and flushes them as one EMF record. */
export const recordOutcome = (metrics: Metrics, outcome: string, durationMs: number): void => {
  metrics.addDimension('outcome', outcome);
  metrics.addMetric(MetricName.Remediations, MetricUnit.Count, 1);
  metrics.addMetric(MetricName.Duration, MetricUnit.Milliseconds, durationMs);
  metrics.publishStoredMetrics();
};

/** Publishes one figure per `dimension` value: `values`' entries, each its own EMF record. */
const recordGauges = (
  metrics: Metrics,
  name: string,
  dimension: string,
  values: Readonly<Record<string, number>>
): void => {
  for (const [key, value] of Object.entries(values)) {
    metrics.addDimension(dimension, key);
    metrics.addMetric(name, MetricUnit.Count, value);
    metrics.publishStoredMetrics();
  }
};

/** Records a live sweep's counts (`SweepSecrets` by `count`). */
export const recordSweepCounts = (
  metrics: Metrics,
  counts: Readonly<Record<(typeof SWEEP_GAUGES)[number], number>>
): void =>
  recordGauges(
    metrics,
    MetricName.SweepSecrets,
    'count',
    Object.fromEntries(SWEEP_GAUGES.map((gauge) => [gauge, counts[gauge]]))
  );

/** Records a fleet report's secrets per class (`ReportSecrets` by `class`), the chain's totals. */
export const recordReportClasses = (
  metrics: Metrics,
  totals: Readonly<Record<string, number>>
): void => recordGauges(metrics, MetricName.ReportSecrets, 'class', totals);

/** Records one event that could not be put (no `outcome` dimension), flushed as its own EMF record. */
export const recordNotificationFailed = (metrics: Metrics): void => {
  metrics.addMetric(MetricName.NotificationsFailed, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
};
