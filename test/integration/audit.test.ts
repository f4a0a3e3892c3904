/**
 * The audit trail, redaction and metrics of the built dist/handler.js: the shape and order of the
 * records, and canaries planted in every string field of every sample event, which must never
 * appear in a log line, an error or a response.
 */

import { SECRET_NAME_PATTERN } from '../../src/identifiers.js';
import type { RemediationReport } from '../../src/remediation/types.js';
import { lambdaContext } from '../helpers/bundle.js';
import { CREDENTIAL_CANARIES, PLAIN_CANARY, stringLeaves } from '../helpers/canaries.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import { LogCapture } from '../helpers/log-capture.js';
import type { JsonPath } from '../helpers/samples.js';
import { loadSample, readExpectations, setAt, substituteSecret } from '../helpers/samples.js';
import { seedStuckWithPublicCalls, uniqueName } from '../helpers/secrets-manager-target.js';

const aws = useBundleAgainstAws({
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_SERVICE_NAME: 'rotation-remediator-test',
});
const capture = new LogCapture();

afterAll(() => capture.stop());

/** Runs an event with output captured; returns everything it produced as text. */
const runCaptured = async (event: unknown, requestId = 'req-audit-0001') => {
  capture.reset();
  capture.start();
  let response: unknown;
  let error: Error | undefined;
  try {
    response = await aws.bundle.handler(event, lambdaContext(30_000, requestId));
  } catch (caught) {
    error = caught as Error;
  } finally {
    capture.stop();
  }
  const errorText =
    error === undefined
      ? ''
      : [error.name, error.message, String((error.cause as Error | undefined)?.message ?? '')].join(
          '\n'
        );
  return {
    response,
    error,
    audit: capture.auditRecords(),
    records: capture.records(),
    text: [...capture.lines, JSON.stringify(response ?? null), errorText].join('\n'),
  };
};

describe('the shape of the trail', () => {
  it('one remediation yields requested → step looked up → planned → call × n → verified → completed', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('trail'));
    const event = substituteSecret(loadSample('http-api-v2-post.json'), seeded);
    const body = JSON.parse(String((event as { body: string }).body)) as Record<string, unknown>;
    (event as { body: string }).body = JSON.stringify({
      ...body,
      pendingAction: 'promote',
      expectedPendingVersionId: seeded.pendingVersionId,
    });

    // Act
    const { audit, records, response } = await runCaptured(event);
    const report = JSON.parse((response as { body: string }).body) as RemediationReport;

    // Assess
    expect(audit.map((a) => a.event)).toEqual([
      'remediation.requested',
      'remediation.step-looked-up',
      'remediation.planned',
      'secretsmanager.call',
      'secretsmanager.call',
      'remediation.verified',
      'remediation.completed',
    ]);
    for (const record of audit) {
      expect(record).toMatchObject({ trigger: 'http', correlationId: 'UvXk2hTfoAMEbxw=' });
    }
    const [requested, lookedUp, planned, move, remove, verified, completed] = audit;
    expect(requested).toMatchObject({
      secretId: seeded.name,
      requestedBy: 'arn:aws:sts::123456789012:assumed-role/rr-operator/alice',
      // HTTP_API_ID unset: the identity is the event's claim (test/integration/http-identity.test.ts)
      requestedBySource: 'asserted',
      reason: expect.any(String),
      dryRun: false,
      pendingAction: 'promote',
    });
    // a promote needs the step (refused after createSecret); public calls leave no record of one
    expect(lookedUp).toMatchObject({
      secretArn: seeded.arn,
      outcome: expect.stringMatching(/^(not-found|failed)$/),
      failedStep: null,
    });
    expect(planned).toMatchObject({
      secretArn: seeded.arn,
      rule: 'requested.promote',
      evidence: expect.objectContaining({
        stepSource: 'none',
        pendingVersionId: seeded.pendingVersionId,
      }),
      decision: { requested: 'promote', resolved: 'promote', rule: 'requested.promote' },
      actions: report.actions.map(({ requestId: _, versionId: __, ...action }) => action),
    });
    expect(move).toMatchObject({
      operation: 'UpdateSecretVersionStage',
      versionStage: 'AWSCURRENT',
      moveToVersionId: seeded.pendingVersionId,
      removeFromVersionId: seeded.currentVersionId,
      requestId: report.actions[0]?.requestId,
      outcome: 'success',
    });
    expect(remove).toMatchObject({
      operation: 'UpdateSecretVersionStage',
      versionStage: 'AWSPENDING',
      removeFromVersionId: seeded.pendingVersionId,
      requestId: report.actions[1]?.requestId,
      outcome: 'success',
    });
    expect(verified).toMatchObject({ ok: true, mismatches: [] });
    expect(completed).toMatchObject({ status: 'remediated', durationMs: expect.any(Number) });
    const logRecords = records.filter((r) => r.audit !== undefined);
    for (const record of logRecords) {
      expect(record).toMatchObject({
        service: 'rotation-remediator-test',
        level: expect.any(String),
      });
    }
  });

  it.each([
    { file: 'rotation-succeeded.json', event: 'remediation.ignored' },
    { file: 'alarm-eventbridge-ok.json', event: 'remediation.ignored' },
  ])('$file logs one $event record that says why', async ({ file, event }) => {
    // Act
    const { audit } = await runCaptured(loadSample(file));

    // Assess
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ event, reason: expect.any(String) });
  });

  it('a rejected event logs one record that says why', async () => {
    // Act
    const { audit, error } = await runCaptured({ secretId: 'app/db', dryrun: true });

    // Assess
    expect(error?.name).toBe('ValidationError');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      event: 'remediation.rejected',
      errorName: 'ValidationError',
      message: expect.stringContaining('dryrun'),
    });
  });

  it('emits an EMF metric of the outcome and the duration', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('metrics'));

    // Act
    const { records } = await runCaptured({ secretId: seeded.arn, dryRun: true });

    // Assess
    const emf = records.find((r) => r._aws !== undefined);
    expect(emf).toMatchObject({
      outcome: 'planned',
      Remediations: 1,
      RemediationDuration: expect.any(Number),
      _aws: { CloudWatchMetrics: [{ Namespace: 'RotationRemediator' }] },
    });
  });
});

describe('the dashboard figures', () => {
  it('a fleet report that ran to its end publishes its secrets per class', async () => {
    // Act
    const { records } = await runCaptured({ report: {} });

    // Assess
    const classes = records
      .filter((r) => r._aws !== undefined && r.ReportSecrets !== undefined)
      .map((r) => r.class);
    expect(classes).toEqual([
      'stuck',
      'managed',
      'overdue',
      'off',
      'never-rotated',
      'rotating',
      'notConfigured',
    ]);
  });
});

describe('canaries', () => {
  // report.json has no string field to plant in (its one string option, the continuation, is absent)
  const samples = readExpectations()
    .map((row) => row.file)
    .filter((file) => file !== 'report.json');

  it.each(samples)('%s: a credential planted in any string field never leaks', async (file) => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('canary'));
    const base = substituteSecret(loadSample(file), seeded);
    const isHttp = typeof (base as { body?: unknown }).body === 'string';
    const paths = stringLeaves(base);
    const bodyPaths: JsonPath[] = [];
    if (isHttp) {
      const raw = (base as { body: string; isBase64Encoded?: boolean }).body;
      const decoded = (base as { isBase64Encoded?: boolean }).isBase64Encoded
        ? Buffer.from(raw, 'base64').toString('utf8')
        : raw;
      for (const path of stringLeaves(JSON.parse(decoded))) bodyPaths.push(path);
    }

    // Act
    const leaks: string[] = [];
    let index = 0;
    const plant = (event: unknown): unknown => ({
      ...(event as object),
      unknownField: PLAIN_CANARY,
    });
    for (const path of [
      ...paths.map((p) => ({ p, body: false })),
      ...bodyPaths.map((p) => ({ p, body: true })),
    ]) {
      const canary =
        CREDENTIAL_CANARIES[index++ % CREDENTIAL_CANARIES.length] ?? CREDENTIAL_CANARIES[0];
      let event: unknown;
      if (path.body) {
        const b = base as { body: string; isBase64Encoded?: boolean };
        const decoded = b.isBase64Encoded ? Buffer.from(b.body, 'base64').toString('utf8') : b.body;
        const body = JSON.stringify(setAt(JSON.parse(decoded), path.p, canary.value));
        event = { ...b, body: b.isBase64Encoded ? Buffer.from(body).toString('base64') : body };
      } else {
        event = setAt(base, path.p, canary.value);
      }
      const { text } = await runCaptured(plant(event), `req-canary-${index}`);
      // A legal secret name in the field that names the secret is an identifier, kept whole
      // (issue 21: identifiers are never redacted); anywhere else the canary must not be seen.
      const namesSecret =
        /^secret(id|arn|name)$/i.test(String(path.p.at(-1))) &&
        SECRET_NAME_PATTERN.test(canary.value);
      if (text.includes(canary.marker) && !namesSecret)
        leaks.push(`${path.body ? 'body.' : ''}${path.p.join('.')}`);
      if (text.includes(PLAIN_CANARY)) leaks.push(`unknownField (with ${path.p.join('.')})`);
    }

    // Assess
    expect(paths.length).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });

  it.each(
    readExpectations()
      .filter((row) => row.trigger === 'http')
      .map((row) => row.file)
  )('%s: headers, cookies and query strings are never logged or echoed', async (file) => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('headers'));
    const event = {
      ...(substituteSecret(loadSample(file), seeded) as Record<string, unknown>),
      headers: {
        'x-canary': PLAIN_CANARY,
        cookie: `session=${PLAIN_CANARY}`,
        'user-agent': PLAIN_CANARY,
      },
      multiValueHeaders: { 'x-canary': [PLAIN_CANARY] },
      cookies: [`session=${PLAIN_CANARY}`],
      queryStringParameters: { secretId: PLAIN_CANARY, dryRun: 'true' },
      multiValueQueryStringParameters: { secretId: [PLAIN_CANARY] },
      rawQueryString: `secretId=${PLAIN_CANARY}&dryRun=true`,
    };

    // Act
    const { text, response } = await runCaptured(event);

    // Assess
    expect(text).not.toContain(PLAIN_CANARY);
    expect((response as { statusCode: number }).statusCode).toBe(200);
  });

  it.each([
    { reason: 'rotated key AKIAIOSFODNN7EXAMPLE by hand', hidden: 'AKIAIOSFODNN7EXAMPLE' },
    { reason: 'tried password=hunter2 on the db', hidden: 'hunter2' },
    { reason: 'token Bearer abc.def.ghijklmnopqrstu from the runbook', hidden: 'ghijklmnopqrstu' },
    {
      reason: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----',
      hidden: 'MIIEvQIBADANBgkq',
    },
  ])('masks credential shapes in reason: $hidden', async ({ reason, hidden }) => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('reason'));

    // Act
    const { audit, text } = await runCaptured({ secretId: seeded.arn, dryRun: true, reason });

    // Assess
    expect(text).not.toContain(hidden);
    expect(String(audit[0]?.reason)).toContain('[REDACTED]');
  });
});
