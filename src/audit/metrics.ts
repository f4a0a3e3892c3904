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
} as const;

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

/** Records one event that could not be put (no `outcome` dimension), flushed as its own EMF record. */
export const recordNotificationFailed = (metrics: Metrics): void => {
  metrics.addMetric(MetricName.NotificationsFailed, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
};
