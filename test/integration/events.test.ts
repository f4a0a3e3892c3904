/**
 * Every sample in events/ through the built dist/handler.js, against Secrets Manager (emulator or
 * AWS_ENDPOINT_URL_SECRETS_MANAGER) and DynamoDB (dynalite or AWS_ENDPOINT_URL_DYNAMODB), plus
 * malformed variants of each trigger, which must be refused before any AWS call.
 */

import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RemediationReport } from '../../src/remediation/types.js';
import type { Bundle } from '../helpers/bundle.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import {
  decodeBody,
  encodeBody,
  loadSample,
  readExpectations,
  setAt,
  substituteSecret,
} from '../helpers/samples.js';
import { seedStuckWithPublicCalls, uniqueName } from '../helpers/secrets-manager-target.js';
import { waitUntil } from '../helpers/wait-until.js';

const aws = useBundleAgainstAws();
/** The bundle with the default grace period, for the sweep: it leaves the seconds-old pending version alone. */
let graceBundle: Bundle;

beforeAll(() => {
  process.env.ROTATION_GRACE_SECONDS = '3600';
  graceBundle = loadBundle();
  process.env.ROTATION_GRACE_SECONDS = '0';
});

interface HttpResult {
  statusCode: number;
  body: string;
}

/** Runs an event; returns the outcome word (status or error name) and the HTTP status, if any. */
const invoke = async (
  event: unknown,
  bundle: Bundle = aws.bundle
): Promise<{ outcome: string; httpStatus?: number; report?: RemediationReport }> => {
  try {
    const result = (await bundle.handler(event, lambdaContext())) as
      | RemediationReport
      | HttpResult
      | { status: string }
      | { sweep: object }
      | { report: object };
    if ('sweep' in result) return { outcome: 'swept' };
    if ('report' in result) return { outcome: 'reported' };
    if ('statusCode' in result) {
      const body = JSON.parse(result.body) as RemediationReport & { error?: { code: string } };
      return {
        outcome: body.error?.code ?? body.status,
        httpStatus: result.statusCode,
        ...(body.error === undefined ? { report: body } : {}),
      };
    }
    return { outcome: result.status, ...('secret' in result ? { report: result } : {}) };
  } catch (error) {
    return { outcome: (error as Error).name };
  }
};

const labelsOf = async (secretId: string) =>
  (await aws.target.client.send(new DescribeSecretCommand({ SecretId: secretId })))
    .VersionIdsToStages ?? {};

describe('each sample gives its documented outcome', () => {
  it.each(readExpectations())('$file → $expected', async ({ file, outcome, httpStatus }) => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(
      aws.target,
      uniqueName(file.replace('.json', ''))
    );
    // a live sweep acts on every secret of the account: against an endpoint from outside, plan only
    const sample = loadSample(file);
    const event = substituteSecret(
      file === 'sweep.json' && aws.target.external
        ? setAt(sample, ['sweep', 'dryRun'], true)
        : sample,
      seeded
    );
    aws.counter.reset();

    // Act
    const result = await invoke(event, file === 'sweep.json' ? graceBundle : aws.bundle);
    const calls = aws.counter.secretsManagerOperations();

    // Assess
    expect(result.outcome).toBe(outcome);
    expect(result.httpStatus).toBe(httpStatus);
    const labels = await labelsOf(seeded.arn);
    if (outcome === 'remediated') {
      expect(result.report?.secret.arn).toBe(seeded.arn);
      expect(Object.values(labels).flat()).not.toContain('AWSPENDING');
      const promoted = result.report?.decision.resolved === 'promote';
      expect(labels[promoted ? seeded.pendingVersionId : seeded.currentVersionId]).toEqual([
        'AWSCURRENT',
      ]);
    } else {
      // ignored, planned, needs-decision, reported and swept (the seeded pending version is younger than
      // the sweep's grace period) leave the labels where they were
      expect(labels[seeded.pendingVersionId]).toEqual(['AWSPENDING']);
      expect(labels[seeded.currentVersionId]).toEqual(['AWSCURRENT']);
    }
    if (outcome === 'ignored') expect(calls).toEqual([]);
  });
});

/** Malformed variants of one sample per trigger: each must be refused with no AWS call at all. */
const variants: {
  name: string;
  file: string;
  mutate: (event: Record<string, unknown>) => unknown;
  outcome: string;
  httpStatus?: number;
}[] = [
  // alarm via EventBridge
  {
    name: 'alarm: no secret dimension or tag',
    file: 'alarm-eventbridge-secretid-dimension.json',
    mutate: (e) =>
      setAt(setAt(e, ['detail', 'configuration', 'metrics'], []), ['detail', 'alarmTags'], {}),
    outcome: 'ValidationError',
  },
  {
    name: 'alarm: state of the wrong type',
    file: 'alarm-eventbridge-secretid-dimension.json',
    mutate: (e) => setAt(e, ['detail', 'state', 'value'], 7),
    outcome: 'ValidationError',
  },
  {
    name: 'alarm: bad secret id in the dimension',
    file: 'alarm-eventbridge-secretid-dimension.json',
    mutate: (e) => JSON.parse(JSON.stringify(e).replaceAll('rr-demo/app-db', 'bad id;drop')),
    outcome: 'ValidationError',
  },
  {
    name: 'alarm action: no alarmData state',
    file: 'alarm-action.json',
    mutate: (e) => setAt(e, ['alarmData', 'state'], null),
    outcome: 'ValidationError',
  },
  // Secrets Manager via CloudTrail
  {
    name: 'RotationFailed: no secret',
    file: 'rotation-failed-setSecret.json',
    mutate: (e) => setAt(e, ['detail', 'additionalEventData'], {}),
    outcome: 'ValidationError',
  },
  {
    name: 'RotationFailed: secret of the wrong type',
    file: 'rotation-failed-setSecret.json',
    mutate: (e) => setAt(e, ['detail', 'additionalEventData', 'SecretId'], ['x']),
    outcome: 'ValidationError',
  },
  {
    name: 'RotationFailed: bad secret id',
    file: 'rotation-failed-setSecret.json',
    mutate: (e) => setAt(e, ['detail', 'additionalEventData', 'SecretId'], 'arn:aws:s3:::bucket'),
    outcome: 'ValidationError',
  },
  {
    name: 'RotationFailed: unknown detail-type',
    file: 'rotation-failed-setSecret.json',
    mutate: (e) => setAt(e, ['detail-type'], 'Something Else'),
    outcome: 'ValidationError',
  },
  // HTTP
  {
    name: 'HTTP API: body without secretId',
    file: 'http-api-v2-post.json',
    mutate: (e) => setAt(e, ['body'], encodeBody(e, { reason: 'x' })),
    outcome: 'ValidationError',
    httpStatus: 400,
  },
  {
    name: 'HTTP API: dryRun of the wrong type',
    file: 'http-api-v2-post.json',
    mutate: (e) =>
      setAt(e, ['body'], encodeBody(e, { ...(decodeBody(e) as object), dryRun: 'yes' })),
    outcome: 'ValidationError',
    httpStatus: 400,
  },
  {
    name: 'HTTP API: bad secretId',
    file: 'http-api-v2-post.json',
    mutate: (e) => setAt(e, ['body'], encodeBody(e, { secretId: 'spaces are not allowed' })),
    outcome: 'ValidationError',
    httpStatus: 400,
  },
  {
    name: 'HTTP API: truncated JSON',
    file: 'http-api-v2-post.json',
    mutate: (e) => setAt(e, ['body'], String(e.body).slice(0, 20)),
    outcome: 'ValidationError',
    httpStatus: 400,
  },
  {
    name: 'HTTP API: GET',
    file: 'http-api-v2-post.json',
    mutate: (e) => setAt(e, ['requestContext', 'http', 'method'], 'GET'),
    outcome: 'MethodNotAllowed',
    httpStatus: 405,
  },
  {
    name: 'REST: DELETE',
    file: 'http-rest-post.json',
    mutate: (e) => setAt(e, ['httpMethod'], 'DELETE'),
    outcome: 'MethodNotAllowed',
    httpStatus: 405,
  },
  {
    name: 'REST: truncated JSON',
    file: 'http-rest-post.json',
    mutate: (e) => setAt(e, ['body'], '{"secretId": "rr-'),
    outcome: 'ValidationError',
    httpStatus: 400,
  },
  {
    name: 'function URL: body not base64 JSON',
    file: 'function-url-post.json',
    mutate: (e) => setAt(e, ['body'], '%%%not-base64%%%'),
    outcome: 'ValidationError',
    httpStatus: 400,
  },
  {
    name: 'function URL: unknown field in body',
    file: 'function-url-post.json',
    mutate: (e) =>
      setAt(e, ['body'], encodeBody(e, { ...(decodeBody(e) as object), dryrun: true })),
    outcome: 'ValidationError',
    httpStatus: 400,
  },
  // direct
  {
    name: 'direct: typo dryrun',
    file: 'direct-dry-run.json',
    mutate: (e) => ({ ...e, dryRun: undefined, dryrun: true }),
    outcome: 'ValidationError',
  },
  {
    name: 'direct: secretId of the wrong type',
    file: 'direct.json',
    mutate: (e) => setAt(e, ['secretId'], 12),
    outcome: 'ValidationError',
  },
  {
    name: 'direct: bad pendingAction',
    file: 'step-functions.json',
    mutate: (e) => setAt(e, ['pendingAction'], 'DISCARD'),
    outcome: 'ValidationError',
  },
  // unknown shapes
  {
    name: 'unknown event: EC2 state change',
    file: 'direct.json',
    mutate: () => ({
      source: 'aws.ec2',
      'detail-type': 'EC2 Instance State-change Notification',
      detail: {},
    }),
    outcome: 'ValidationError',
  },
  {
    name: 'unknown event: S3 notification',
    file: 'direct.json',
    mutate: () => ({ Records: [{ eventSource: 'aws:s3' }] }),
    outcome: 'ValidationError',
  },
  {
    name: 'unknown event: null',
    file: 'direct.json',
    mutate: () => null,
    outcome: 'ValidationError',
  },
];

describe('malformed events are refused before any AWS call', () => {
  it.each(variants)('$name → $outcome', async ({ file, mutate, outcome, httpStatus }) => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('malformed'));
    const event = substituteSecret(mutate(loadSample(file)), seeded);
    aws.counter.reset();

    // Act
    const result = await invoke(event);

    // Assess
    expect(result.outcome).toBe(outcome);
    expect(result.httpStatus).toBe(httpStatus);
    expect(aws.counter.calls).toEqual([]);
    expect((await labelsOf(seeded.arn))[seeded.pendingVersionId]).toEqual(['AWSPENDING']);
  });
});

describe('one failure, three channels', () => {
  it('alarm, RotationFailed and HTTP for the same failure at once act once', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('channels'));
    // hold the winner's write until all three channels have read the stuck state
    const emulator = aws.target.emulator;
    emulator?.hooks.beforeApply('UpdateSecretVersionStage', () =>
      waitUntil(
        () =>
          emulator.calls.filter(
            (c) =>
              c.operation === 'DescribeSecret' &&
              (c.secretId === seeded.arn || c.secretId === seeded.name)
          ).length >= 3
      )
    );
    const events = [
      'alarm-eventbridge-secretid-dimension.json',
      'rotation-failed-setSecret.json',
      'http-api-v2-post.json',
    ].map((file) => substituteSecret(loadSample(file), seeded));
    aws.counter.reset();

    // Act
    const results = await Promise.all(events.map((event) => invoke(event)));
    const mutating = aws.counter
      .secretsManagerOperations()
      .filter((op) => (MUTATING_OPERATIONS as readonly string[]).includes(op));

    // Assess
    expect(mutating).toEqual(['UpdateSecretVersionStage']);
    const fresh = results.filter((r) => r.outcome === 'remediated' && r.report?.replayed !== true);
    expect(fresh).toHaveLength(1);
    for (const other of results.filter((r) => !fresh.includes(r))) {
      const acceptable =
        other.outcome === 'RemediationInProgress' ||
        other.report?.replayed === true ||
        (aws.target.external && other.outcome === 'already-clean');
      expect({ acceptable, other }).toEqual({ acceptable: true, other });
    }
    const http = results[2];
    if (http?.outcome === 'RemediationInProgress') expect(http.httpStatus).toBe(409);
    expect(Object.values(await labelsOf(seeded.arn)).flat()).not.toContain('AWSPENDING');
  });
});
