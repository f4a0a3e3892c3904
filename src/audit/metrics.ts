/**
 * Remediation metrics with Powertools Metrics (CloudWatch embedded metric format): a count of
 * remediations by outcome, and their duration.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.js';

/** Default namespace when `POWERTOOLS_METRICS_NAMESPACE` is unset. */
export const METRICS_NAMESPACE = 'RotationRemediator';

/** Metric names. */
export const MetricName = {
  Remediations: 'Remediations',
  Duration: 'RemediationDuration',
} as const;

/** Creates the metrics emitter (namespace and service from Powertools' own variables). */
export const createMetrics = (): Metrics =>
  new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
  });

/** Records one invocation's outcome and duration, and flushes them as one EMF record. */
export const recordOutcome = (metrics: Metrics, outcome: string, durationMs: number): void => {
  metrics.addDimension('outcome', outcome);
  metrics.addMetric(MetricName.Remediations, MetricUnit.Count, 1);
  metrics.addMetric(MetricName.Duration, MetricUnit.Milliseconds, durationMs);
  metrics.publishStoredMetrics();
};
