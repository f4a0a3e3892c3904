import {
  AwsCallFailed,
  ConfigurationError,
  MethodNotAllowed,
  RemediationInProgress,
  SecretNotFound,
  StateChanged,
  ValidationError,
  VerificationFailed,
} from '../../../src/errors.js';
import type { RemediationReport, RemediationStatus } from '../../../src/remediation/types.js';
import type { HttpResponse } from '../../../src/triggers/http.js';
import { detectHttpPayload, httpTrigger, MAX_BODY_LENGTH } from '../../../src/triggers/http.js';
import type { TriggerCommand } from '../../../src/triggers/types.js';
import type { JsonPath } from '../../helpers/samples.js';
import {
  CANARY,
  CANARY_JUNK,
  decodeBody,
  encodeBody,
  loadSample,
  replaceAllStrings,
  SAMPLE_SECRET_NAME,
  sampleFiles,
  setAt,
  testConfig,
} from '../../helpers/samples.js';

const REST = 'http-rest-post.json';
const V2 = 'http-api-v2-post.json';
const URL = 'function-url-post.json';
const CALLER = 'arn:aws:sts::123456789012:assumed-role/rr-operator/alice';
const methodPath = (file: string): JsonPath =>
  file === REST ? ['httpMethod'] : ['requestContext', 'http', 'method'];

const requestOf = (result: TriggerCommand) => {
  if (result.kind !== 'remediate') throw new Error(`expected a request, got ${result.kind}`);
  return result.request;
};

/** Runs toRequest the way the handler does: failures go to toErrorResponse. */
const respond = (event: unknown): { error: unknown; response: HttpResponse } => {
  try {
    httpTrigger.toCommand(event, undefined, testConfig());
  } catch (error) {
    return { error, response: httpTrigger.toErrorResponse(error) as HttpResponse };
  }
  throw new Error('expected toRequest to fail');
};

const withBody = (file: string, body: unknown): Record<string, unknown> => {
  const event = loadSample(file);
  return { ...event, body: encodeBody(event, body) };
};

describe('httpTrigger: matches', () => {
  it.each(sampleFiles())('%s', (file) => {
    // Act
    const matched = httpTrigger.matches(loadSample(file));

    // Assess
    expect(matched).toBe([REST, V2, URL].includes(file));
  });

  it.each<[string, unknown, string | undefined]>([
    [REST, loadSample(REST), 'rest'],
    [V2, loadSample(V2), 'http-api-v2'],
    [URL, loadSample(URL), 'function-url'],
    ['HTTP API payload 1.0', { ...loadSample(REST), version: '1.0' }, 'rest'],
    [
      'a v2 event on a custom domain',
      setAt(loadSample(V2), ['requestContext', 'domainName'], 'api.example.com'),
      'http-api-v2',
    ],
    [
      'a REST event with no valid fields',
      { httpMethod: 1, resource: 2, requestContext: {} },
      'rest',
    ],
    [
      'an ALB event',
      {
        httpMethod: 'POST',
        path: '/',
        resource: '/',
        requestContext: { elb: { targetGroupArn: 'arn' } },
      },
      undefined,
    ],
    ['a v2 event without requestContext.http', { version: '2.0', requestContext: {} }, undefined],
    ['a version 3.0 event', setAt(loadSample(V2), ['version'], '3.0'), undefined],
    ['an event with a source', { ...loadSample(REST), source: 'aws.apigateway' }, undefined],
    ['an event with secretId', { ...loadSample(V2), secretId: SAMPLE_SECRET_NAME }, undefined],
    ['requestContext not an object', { ...loadSample(REST), requestContext: 'ctx' }, undefined],
    ['null', null, undefined],
    ['an array', [loadSample(REST)], undefined],
    ['a string', 'POST', undefined],
  ])('%s', (_label, event, payload) => {
    // Act
    const detected = detectHttpPayload(event);

    // Assess
    expect(detected).toBe(payload);
    expect(httpTrigger.matches(event)).toBe(payload !== undefined);
  });
});

describe('httpTrigger: toRequest on the samples', () => {
  it.each([REST, V2, URL])('%s', (file) => {
    // Prepare
    const event = loadSample(file);
    const requestContext = event.requestContext as { requestId: string };

    // Act
    const result = httpTrigger.toCommand(event, undefined, testConfig());

    // Assess
    expect(result).toEqual({
      kind: 'remediate',
      request: {
        secretId: SAMPLE_SECRET_NAME,
        dryRun: false,
        pendingAction: 'auto',
        reason: 'Rotation stuck since this morning; operator request.',
        trigger: 'http',
        correlationId: requestContext.requestId,
        requestedBy: CALLER,
        // no HTTP_API_ID in the config: the identity is asserted
        requestedBySource: 'asserted',
      },
    });
  });

  it.each([REST, V2, URL])('%s: the body decides, DEFAULT_PENDING_ACTION fills in', (file) => {
    // Prepare
    const explicit = withBody(file, {
      secretId: SAMPLE_SECRET_NAME,
      pendingAction: 'auto',
      dryRun: true,
    });
    const implicit = withBody(file, {
      secretId: SAMPLE_SECRET_NAME,
      expectedPendingVersionId: 'c0000000-0000-4000-8000-000000000003',
    });
    const config = testConfig({ defaultPendingAction: 'discard' });

    // Act
    const fromExplicit = requestOf(httpTrigger.toCommand(explicit, undefined, config));
    const fromImplicit = requestOf(httpTrigger.toCommand(implicit, undefined, config));

    // Assess
    expect(fromExplicit).toMatchObject({ pendingAction: 'auto', dryRun: true });
    expect(fromImplicit).toMatchObject({
      pendingAction: 'discard',
      dryRun: false,
      expectedPendingVersionId: 'c0000000-0000-4000-8000-000000000003',
    });
  });

  it.each<[string, string, JsonPath, unknown, string | undefined]>([
    [
      'REST: the caller when there is no userArn',
      REST,
      ['requestContext', 'identity', 'userArn'],
      null,
      'AROAEXAMPLEROLEID1234:alice',
    ],
    [
      'REST: nobody without an IAM identity',
      REST,
      ['requestContext', 'identity'],
      { sourceIp: '203.0.113.24' },
      undefined,
    ],
    [
      'v2: nobody without an IAM authorizer',
      V2,
      ['requestContext', 'authorizer'],
      { jwt: { claims: { sub: 'x' }, scopes: null } },
      undefined,
    ],
    [
      'function URL: nobody with auth type NONE',
      URL,
      ['requestContext', 'authorizer'],
      undefined,
      undefined,
    ],
  ])('requestedBy: %s', (_label, file, path, value, requestedBy) => {
    // Prepare
    const event = setAt(loadSample(file), path, value);

    // Act
    const request = requestOf(httpTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.requestedBy).toBe(requestedBy);
  });

  it.each([REST, V2, URL])('%s: ignores query strings, headers and cookies entirely', (file) => {
    // Prepare
    const junk = { secretId: CANARY_JUNK, dryRun: ['x'], nested: { a: 1 } };
    const event = {
      ...loadSample(file),
      queryStringParameters: junk,
      multiValueQueryStringParameters: junk,
      rawQueryString: 42,
      headers: junk,
      multiValueHeaders: 'x',
      cookies: junk,
      pathParameters: 7,
      stageVariables: [],
    };

    // Act
    const request = requestOf(httpTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.secretId).toBe(SAMPLE_SECRET_NAME);
    expect(JSON.stringify(request)).not.toContain(CANARY);
  });

  it('accepts a body without content-type and with surrounding whitespace', () => {
    // Prepare
    const event = {
      ...withBody(V2, `\n  ${JSON.stringify({ secretId: SAMPLE_SECRET_NAME })}  \n`),
      headers: {},
    };

    // Act
    const request = requestOf(httpTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.secretId).toBe(SAMPLE_SECRET_NAME);
  });

  it('accepts unpadded base64', () => {
    // Prepare
    const event = withBody(URL, { secretId: 'a/b' });
    const unpadded = { ...event, body: String(event.body).replace(/=+$/, '') };

    // Act
    const request = requestOf(httpTrigger.toCommand(unpadded, undefined, testConfig()));

    // Assess
    expect(request.secretId).toBe('a/b');
  });
});

describe('httpTrigger: rejected requests', () => {
  const files = [REST, V2, URL];

  it.each(
    files.flatMap((file) =>
      ['GET', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'post', 'TRACE'].map((method) => ({
        file,
        method,
      }))
    )
  )('$file: $method → 405', ({ file, method }) => {
    // Prepare
    const event = setAt(loadSample(file), methodPath(file), method);

    // Act
    const { error, response } = respond(event);

    // Assess
    expect(error).toBeInstanceOf(MethodNotAllowed);
    expect(response.statusCode).toBe(405);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'MethodNotAllowed', message: 'Method not allowed: only POST is accepted.' },
    });
  });

  it.each(files)('%s: a GET without body or context is still a 405', (file) => {
    // Prepare
    const event = setAt(
      file === REST
        ? { resource: '/', httpMethod: 'GET', requestContext: {} }
        : {
            version: '2.0',
            requestContext: { http: {}, domainName: 'x.lambda-url.us-east-1.on.aws' },
          },
      methodPath(file),
      'GET'
    );

    // Act
    const { response } = respond(event);

    // Assess
    expect(response.statusCode).toBe(405);
  });

  const bodies: [string, unknown, RegExp][] = [
    ['a missing body', undefined, /body: is required/],
    ['a null body', null, /body: is required/],
    ['an empty body', '', /body: is required/],
    ['a blank body', '  \n', /body: is required/],
    ['a truncated body', '{"secretId":"rr-demo/app', /body: is not valid JSON/],
    ['a body that is not JSON', 'secretId=rr-demo/app-db', /body: is not valid JSON/],
    ['a JSON null body', 'null', /body: must be a JSON object/],
    ['a JSON array body', '[]', /body: must be a JSON object/],
    ['a JSON string body', '"rr-demo/app-db"', /body: must be a JSON object/],
    ['no secretId', {}, /body\.secretId: is required/],
    ['a bad secretId', { secretId: 'has spaces' }, /body\.secretId: must be a secret name/],
    ['a numeric secretId', { secretId: 12 }, /body\.secretId: must be a string/],
    ['a string dryRun', { secretId: 'a/b', dryRun: 'yes' }, /body\.dryRun: must be true or false/],
    [
      'an unknown pendingAction',
      { secretId: 'a/b', pendingAction: 'rollback' },
      /body\.pendingAction: must be one of auto, discard, promote/,
    ],
    [
      'a bad expected version',
      { secretId: 'a/b', expectedPendingVersionId: 'v1' },
      /body\.expectedPendingVersionId: must be a version id/,
    ],
    ['an unknown field', { secretId: 'a/b', force: true }, /body: unknown field\(s\) "force"/],
    [
      'a body too large',
      JSON.stringify({ secretId: 'a/b', reason: 'x'.repeat(MAX_BODY_LENGTH) }),
      /body: must be at most 65536 characters/,
    ],
  ];

  it.each(
    files.flatMap((file) =>
      bodies.map(([label, body, message]) => ({ file, label, body, message }))
    )
  )('$file: $label → 400', ({ file, body, message }) => {
    // Prepare
    const sample = loadSample(file);
    const event =
      body === undefined || body === null
        ? { ...sample, body, isBase64Encoded: false }
        : withBody(file, body);

    // Act
    const { error, response } = respond(event);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    const parsed = JSON.parse(response.body) as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe('ValidationError');
    expect(parsed.error.message).toMatch(message);
  });

  it.each<[string, string, RegExp]>([
    ['not base64', '{"secretId":"a/b"}', /body: is not valid base64/],
    ['base64 with a space', 'eyJz ZWNy', /body: is not valid base64/],
    [
      'base64 of invalid UTF-8',
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'),
      /body: is not valid UTF-8/,
    ],
    [
      'base64 of truncated JSON',
      Buffer.from('{"secretId":"a/').toString('base64'),
      /body: is not valid JSON/,
    ],
  ])('function URL: %s → 400', (_label, body, message) => {
    // Prepare
    const event = { ...loadSample(URL), body };

    // Act
    const { response } = respond(event);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(message);
  });

  it.each<[string, string, JsonPath, unknown, RegExp]>([
    [
      'REST: no requestId',
      REST,
      ['requestContext', 'requestId'],
      undefined,
      /requestContext\.requestId: is required/,
    ],
    [
      'REST: a numeric requestId',
      REST,
      ['requestContext', 'requestId'],
      5,
      /requestContext\.requestId: /,
    ],
    ['REST: isBase64Encoded not boolean', REST, ['isBase64Encoded'], 'false', /isBase64Encoded: /],
    ['REST: a numeric body', REST, ['body'], 12, /body: /],
    ['REST: a numeric httpMethod', REST, ['httpMethod'], 12, /httpMethod: must be a string/],
    [
      'v2: no requestContext.http.method',
      V2,
      ['requestContext', 'http', 'method'],
      undefined,
      /requestContext\.http\.method: must be a string/,
    ],
    [
      'v2: a bad source IP',
      V2,
      ['requestContext', 'http', 'sourceIp'],
      'localhost',
      /requestContext\.http\.sourceIp: /,
    ],
    [
      'v2: no requestId',
      V2,
      ['requestContext', 'requestId'],
      undefined,
      /requestContext\.requestId: is required/,
    ],
    [
      'function URL: an array authorizer',
      URL,
      ['requestContext', 'authorizer'],
      ['iam'],
      /requestContext\.authorizer: /,
    ],
  ])('malformed envelope, %s → 400', (_label, file, path, value, message) => {
    // Prepare
    const event = setAt(loadSample(file), path, value);

    // Act
    const { error, response } = respond(event);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(message);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', []],
    ['a string', 'POST /'],
    ['an unrelated object', { hello: 'world' }],
  ])('%s → 400 (not an HTTP event)', (_label, event) => {
    // Act
    const { response } = respond(event);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('the event is not an HTTP event');
  });
});

describe('httpTrigger: no planted canary is ever echoed', () => {
  const files = [REST, V2, URL];

  it.each(files)('%s: canaries in every body field', (file) => {
    // Prepare
    const body = decodeBody(loadSample(file)) as Record<string, unknown>;
    const variants = [
      replaceAllStrings(body, CANARY_JUNK),
      { ...body, dryRun: CANARY, pendingAction: CANARY, expectedPendingVersionId: CANARY },
      { ...body, reason: CANARY.repeat(200) },
      { ...body, secretId: [CANARY] },
      `{"secretId":"${CANARY}`,
      `${CANARY}`,
    ];

    for (const variant of variants) {
      // Act
      const { response } = respond(withBody(file, variant));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain(CANARY);
    }
  });

  it.each(files)('%s: canaries in every envelope string', (file) => {
    // Prepare
    const event = loadSample(file);
    const planted = { ...(replaceAllStrings(event, CANARY_JUNK) as Record<string, unknown>) };
    const postPlanted = setAt(planted, methodPath(file), 'POST');

    // Act
    const responses = [respond(planted).response, respond(postPlanted).response];

    // Assess
    for (const response of responses) {
      expect([400, 405]).toContain(response.statusCode);
      expect(response.body).not.toContain(CANARY);
    }
  });
});

describe('httpTrigger: responses', () => {
  const report = (status: RemediationStatus): RemediationReport =>
    ({ status, dryRun: false, secret: { arn: 'arn', name: 'n' } }) as unknown as RemediationReport;

  it.each<[RemediationStatus | 'ignored', number]>([
    ['remediated', 200],
    ['already-clean', 200],
    ['planned', 200],
    ['needs-decision', 200],
    ['ignored', 200],
    ['refused', 409],
  ])('%s → %i with the report', (status, statusCode) => {
    // Prepare
    const result = status === 'ignored' ? ({ status, reason: 'r' } as const) : report(status);

    // Act
    const response = httpTrigger.toResponse(result) as HttpResponse;

    // Assess
    expect(response).toEqual({
      statusCode,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(result),
    });
  });

  it.each<[string, unknown, number, string]>([
    [
      'ValidationError',
      new ValidationError('Invalid request: body: is required.'),
      400,
      'ValidationError',
    ],
    ['SecretNotFound', new SecretNotFound('Secret not found.'), 404, 'SecretNotFound'],
    ['MethodNotAllowed', new MethodNotAllowed('Method not allowed.'), 405, 'MethodNotAllowed'],
    [
      'RemediationInProgress',
      new RemediationInProgress('In progress.'),
      409,
      'RemediationInProgress',
    ],
    ['StateChanged', new StateChanged('changed: version 123'), 500, 'InternalError'],
    ['VerificationFailed', new VerificationFailed('labels: {...}'), 500, 'InternalError'],
    ['AwsCallFailed', new AwsCallFailed('AccessDenied for role x'), 500, 'InternalError'],
    ['ConfigurationError', new ConfigurationError('REQUIRED_TAG'), 500, 'InternalError'],
    ['a plain Error', new Error(`connect ECONNREFUSED ${CANARY}`), 500, 'InternalError'],
    ['a thrown string', CANARY, 500, 'InternalError'],
    ['undefined', undefined, 500, 'InternalError'],
    ['null', null, 500, 'InternalError'],
  ])('%s → %i', (_label, error, statusCode, code) => {
    // Act
    const response = httpTrigger.toErrorResponse(error) as HttpResponse;

    // Assess
    expect(response.statusCode).toBe(statusCode);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    const body = JSON.parse(response.body) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    if (statusCode === 500) {
      expect(body.error.message).toBe(
        'The remediation failed; see the function logs for the correlation id.'
      );
      expect(response.body).not.toContain(CANARY);
    } else {
      expect(body.error.message).toBe((error as Error).message);
    }
  });

  it('never throws, even for an error whose getters throw', () => {
    // Prepare
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      }
    );

    // Act
    const response = httpTrigger.toErrorResponse(hostile) as HttpResponse;

    // Assess
    expect(response.statusCode).toBe(500);
  });
});
