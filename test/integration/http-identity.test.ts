/**
 * Identity named by its source (issue 21, item 5): an HTTP API event's `authorizer.iam.userArn` is
 * `iam-authorizer` only when the event names the stack's API (HTTP_API_ID); one of another API is
 * refused before any AWS call, and without HTTP_API_ID (local runs, tests) every HTTP identity is
 * `asserted`. Through the built dist/handler.js, its audit trail, against an emulator of its own.
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { LogCapture } from '../helpers/log-capture.js';
import { useOwnEmulator } from '../helpers/own-emulator.js';
import { loadSample } from '../helpers/samples.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator('identity named by its source', 'counts every call the bundle makes');

/** The API id of events/http-api-v2-post.json. */
const SAMPLE_API_ID = 'f6g7h8i9j0';
const CALLER = 'arn:aws:sts::123456789012:assumed-role/rr-operator/alice';

const own = useOwnEmulator('ca-west-1', { POWERTOOLS_LOG_LEVEL: 'INFO' });
let emulator: SecretsManagerEmulator;
const capture = new LogCapture();

beforeAll(() => {
  emulator = own.emulator;
});

afterAll(() => capture.stop());

/** Sends `file`, a dry run of a stuck secret, to a bundle loaded with HTTP_API_ID `apiId`. */
const send = async (file: string, apiId: string | undefined) => {
  const seeded = emulator.store.seedFailedRotation({
    name: `rr-identity/${file.split('.')[0]}-${apiId ?? 'unset'}`,
    step: 'createSecret',
  });
  if (apiId === undefined) delete process.env.HTTP_API_ID;
  else process.env.HTTP_API_ID = apiId;
  const { handler } = loadBundle();
  delete process.env.HTTP_API_ID;
  emulator.resetCalls();
  capture.reset();
  capture.start();
  try {
    const response = (await handler(
      {
        ...loadSample(file),
        body: JSON.stringify({ secretId: seeded.arn, dryRun: true }),
        isBase64Encoded: false,
      },
      lambdaContext()
    )) as { statusCode: number; body: string };
    return { response, audit: capture.auditRecords(), calls: [...emulator.calls] };
  } finally {
    capture.stop();
  }
};

describe('requestedBy names its source', () => {
  it.each([
    {
      case: 'HTTP API event of the stack API',
      file: 'http-api-v2-post.json',
      apiId: SAMPLE_API_ID,
      source: 'iam-authorizer',
    },
    {
      case: 'HTTP API event, HTTP_API_ID unset',
      file: 'http-api-v2-post.json',
      apiId: undefined,
      source: 'asserted',
    },
    {
      case: 'REST API event',
      file: 'http-rest-post.json',
      apiId: SAMPLE_API_ID,
      source: 'asserted',
    },
    {
      case: 'function URL event',
      file: 'function-url-post.json',
      apiId: SAMPLE_API_ID,
      source: 'asserted',
    },
  ])('$case: $source', async ({ file, apiId, source }) => {
    // Act
    const { response, audit } = await send(file, apiId);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(audit.find((record) => record.event === 'remediation.requested')).toMatchObject({
      requestedBy: CALLER,
      requestedBySource: source,
    });
  });
});

describe('an HTTP API event of another API', () => {
  it('is refused as not from the API, before any AWS call', async () => {
    // Act
    const { response, audit, calls } = await send('http-api-v2-post.json', 'zzzzzzzzzz');

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'ValidationError',
        message: expect.stringContaining("requestContext.apiId: is not this stack's HTTP API"),
      },
    });
    expect(calls).toEqual([]);
    expect(audit.map((record) => record.event)).toEqual(['remediation.rejected']);
    expect(JSON.stringify(audit)).not.toContain(CALLER);
  });
});
