import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  MetricName,
  recordReportClasses,
  recordSweepCounts,
  SWEEP_GAUGES,
} from '../../../src/audit/metrics.js';
import { emptyCounts } from '../../../src/sweep/tally.js';
import { LogCapture } from '../../helpers/log-capture.js';

/** The EMF records a metrics emitter printed (Powertools writes them to stdout), parsed. */
const captureEmf = (act: (metrics: Metrics) => void): Record<string, unknown>[] => {
  const capture = new LogCapture().start();
  try {
    act(new Metrics({ namespace: 'RR', serviceName: 'rotation-remediator' }));
  } finally {
    capture.stop();
  }
  return capture.records().filter((record) => record._aws !== undefined);
};

describe('the dashboard gauges', () => {
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });
  afterAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = saved;
  });

  it('publishes one SweepSecrets figure per count the dashboard plots', () => {
    // Prepare
    const counts = { ...emptyCounts(), stuck: 4, remediated: 3, needsDecision: 1, remaining: 2 };

    // Act
    const records = captureEmf((metrics) => recordSweepCounts(metrics, counts));

    // Assess
    expect(records.map((record) => [record.count, record[MetricName.SweepSecrets]])).toEqual(
      SWEEP_GAUGES.map((gauge) => [gauge, counts[gauge]])
    );
  });

  it('publishes one ReportSecrets figure per class', () => {
    // Act
    const records = captureEmf((metrics) =>
      recordReportClasses(metrics, { stuck: 2, managed: 1, rotating: 7 })
    );

    // Assess
    expect(records.map((record) => [record.class, record[MetricName.ReportSecrets]])).toEqual([
      ['stuck', 2],
      ['managed', 1],
      ['rotating', 7],
    ]);
  });
});
