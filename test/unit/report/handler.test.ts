/**
 * The handler's routing of a fleet report (the adapter's request goes to the report with the
 * handler's client, quota share, logger and deadline, and the report comes back as it is), and
 * the `report.completed` audit record.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHandler } from '../../../src/application/create-handler.js';
import { reportCompleted } from '../../../src/audit/report-trail.js';
import { emptyReportCounts } from '../../../src/report/classify.js';
import { encodeReportContinuation } from '../../../src/report/continuation.js';
import type { ReportDependencies, ReportInvocation } from '../../../src/report/report.js';
import type { ReportResponse } from '../../../src/report/types.js';
import { lambdaContext } from '../../helpers/bundle.js';
import { testConfig } from '../../helpers/samples.js';

const response: ReportResponse = {
  report: {
    counts: emptyReportCounts(),
    totals: emptyReportCounts(),
    includePendingAge: false,
    run: 1,
    durationMs: 1,
    secrets: [],
  },
};

describe('the handler routes a report', () => {
  it('to the report, with the handler’s client, quota share and deadline, and returns it', async () => {
    // Prepare
    const calls: { deps: ReportDependencies; invocation: ReportInvocation }[] = [];
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    const handler = createHandler({
      settings: {
        remediator: testConfig(),
        sweep: { quotaShare: 0.25, concurrency: 2 },
      },
      secretsManager: client,
      logger: new PowertoolsLogger({ logLevel: 'SILENT' }),
      loadReport: async () => async (deps, invocation) => {
        calls.push({ deps, invocation });
        return response;
      },
    });
    const continuation = encodeReportContinuation({
      nextToken: 'next',
      includePendingAge: true,
      totals: emptyReportCounts(),
      startedAt: '2026-03-01T12:00:00.000Z',
      run: 1,
    });

    // Act
    const result = await handler({ report: { continuation } }, lambdaContext(42_000, 'req-rep-1'));

    // Assess
    expect(result).toBe(response);
    expect(calls).toHaveLength(1);
    const [{ deps, invocation }] = calls as [(typeof calls)[number]];
    expect(deps.secretsManager).toBe(client);
    expect(deps.quotaShare).toBe(0.25);
    expect(invocation.correlationId).toBe('req-rep-1');
    expect(invocation.request).toEqual({
      continuation: expect.objectContaining({ nextToken: 'next', includePendingAge: true, run: 1 }),
    });
    expect(invocation.remainingTimeMs?.()).toBeGreaterThan(40_000);
  });

  it.each([
    ['an unknown option', { report: { includePendingage: true } }],
    ['a non-boolean includePendingAge', { report: { includePendingAge: 'yes' } }],
    ['an empty continuation', { report: { continuation: '' } }],
    ['a second top-level key', { report: {}, dryRun: true }],
  ])('refuses %s with a ValidationError, before any report', async (_label, event) => {
    // Prepare
    let loaded = false;
    const handler = createHandler({
      settings: {
        remediator: testConfig(),
        sweep: { quotaShare: 0.5, concurrency: 1 },
      },
      secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
      logger: new PowertoolsLogger({ logLevel: 'SILENT' }),
      loadReport: async () => {
        loaded = true;
        return async () => response;
      },
    });

    // Act
    const outcome = await handler(event, lambdaContext()).catch((error: Error) => error.name);

    // Assess
    expect(outcome).toBe('ValidationError');
    expect(loaded).toBe(false);
  });
});

describe('report.completed', () => {
  it.each([
    ['info', null],
    ['error', 'AccessDeniedException: no'],
  ] as const)(
    'is written at %s level with the counts and how the run went',
    (level, listingError) => {
      // Prepare
      const records: { level: string; message: string; fields: unknown }[] = [];
      const logger = {
        info: (message: string, fields: unknown) =>
          records.push({ level: 'info', message, fields }),
        error: (message: string, fields: unknown) =>
          records.push({ level: 'error', message, fields }),
      } as unknown as Logger;

      // Act
      reportCompleted(
        logger,
        { ...emptyReportCounts(), stuck: 2 },
        {
          correlationId: 'req-1',
          includePendingAge: false,
          run: 1,
          continued: false,
          restartedListing: false,
          listingError,
          durationMs: 5,
        }
      );

      // Assess
      expect(records).toEqual([
        {
          level,
          message: 'Report completed',
          fields: {
            audit: expect.objectContaining({
              event: 'report.completed',
              trigger: 'report',
              correlationId: 'req-1',
              stuck: 2,
              notConfigured: 0,
              continued: false,
              listingError,
            }),
          },
        },
      ]);
    }
  );
});
