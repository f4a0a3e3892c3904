/**
 * HTTP callers: API Gateway REST APIs (payload 1.0), HTTP APIs (payload 2.0) and Lambda function
 * URLs. Only `POST` with the command as a JSON body is accepted. Query strings, headers, cookies,
 * path and stage variables are never input: they are not read, validated, logged or echoed. The
 * schemas (./schemas/http.ts) load on the first HTTP event.
 */

import { Buffer } from 'node:buffer';
import { redactingReplacer } from '../audit/redact.js';
import { INTERNAL_ERROR_BODY, MethodNotAllowed, toHttpError, ValidationError } from '../errors.js';
import type { RemediationRequest } from '../remediation/types.js';
import { Intent, RemediationStatus, RequestedBySource, TriggerName } from '../remediation/types.js';
import type { RemediatorConfig } from '../settings.js';
import { isOutOfScope, outOfScopeAsNotFound } from './out-of-scope.js';
import type * as HttpSchemas from './schemas/http.js';
import type { TriggerAdapter } from './types.js';
import { isRecord } from './types.js';
import { commandSchemas, once, parseOrThrow } from './validation.js';

/** The HTTP payload formats the adapter reads. */
export const HttpPayload = {
  /** API Gateway REST API (and HTTP API payload 1.0). */
  Rest: 'rest',
  /** API Gateway HTTP API, payload 2.0. */
  HttpApiV2: 'http-api-v2',
  /** Lambda function URL (payload 2.0 on a `*.lambda-url.<region>.on.aws` domain). */
  FunctionUrl: 'function-url',
} as const;
/** One of {@link HttpPayload}. */
export type HttpPayload = (typeof HttpPayload)[keyof typeof HttpPayload];

/** The only method accepted. */
export const ALLOWED_METHOD = 'POST';

/** The largest body accepted, in characters of the (possibly base64) body. */
export const MAX_BODY_LENGTH = 64 * 1024;

const FUNCTION_URL_DOMAIN = /\.lambda-url\.[a-z0-9-]+\.on\.aws$/;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** The schemas of the three payload formats, loaded on first use. */
export const httpSchemas = once((): typeof HttpSchemas => require('./schemas/http.js'));

/** The HTTP response every HTTP trigger returns. */
export interface HttpResponse {
  statusCode: number;
  headers: { 'content-type': 'application/json'; 'retry-after'?: string };
  body: string;
}

/**
 * Which HTTP payload `event` is, by its structure alone, or undefined for any other event. Events
 * with a top-level `source` or `secretId` are never HTTP events, and ALB events are not supported.
 */
export const detectHttpPayload = (event: unknown): HttpPayload | undefined => {
  if (!isRecord(event) || 'secretId' in event || 'source' in event) return undefined;
  const requestContext = event.requestContext;
  if (!isRecord(requestContext)) return undefined;
  if (event.version === '2.0' && isRecord(requestContext.http)) {
    return typeof requestContext.domainName === 'string' &&
      FUNCTION_URL_DOMAIN.test(requestContext.domainName)
      ? HttpPayload.FunctionUrl
      : HttpPayload.HttpApiV2;
  }
  if ('httpMethod' in event && 'resource' in event && !('elb' in requestContext)) {
    return HttpPayload.Rest;
  }
  return undefined;
};

/** Reads the method before anything else, so any non-POST request is a 405, whatever its body. */
const assertPost = (event: Record<string, unknown>, payload: HttpPayload): void => {
  const requestContext = isRecord(event.requestContext) ? event.requestContext : {};
  const http = isRecord(requestContext.http) ? requestContext.http : {};
  const [field, method] =
    payload === HttpPayload.Rest
      ? ['httpMethod', event.httpMethod]
      : ['requestContext.http.method', http.method];
  if (typeof method !== 'string') {
    throw new ValidationError(`Invalid request: ${field}: must be a string.`);
  }
  if (method !== ALLOWED_METHOD) {
    throw new MethodNotAllowed(`Method not allowed: only ${ALLOWED_METHOD} is accepted.`);
  }
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

const missingBody = (): ValidationError =>
  new ValidationError('Invalid request: body: is required (the command as a JSON object).');

/** Decodes the body to the JSON value it carries; every failure is a 400 naming `body`. */
const parseBody = (body: string | null | undefined, isBase64Encoded: boolean): unknown => {
  if (body === null || body === undefined || body.trim() === '') throw missingBody();
  if (body.length > MAX_BODY_LENGTH) {
    throw new ValidationError(
      `Invalid request: body: must be at most ${MAX_BODY_LENGTH} characters.`
    );
  }
  let text = body;
  if (isBase64Encoded) {
    if (!BASE64.test(body))
      throw new ValidationError('Invalid request: body: is not valid base64.');
    try {
      text = utf8.decode(Buffer.from(body, 'base64'));
    } catch {
      throw new ValidationError('Invalid request: body: is not valid UTF-8.');
    }
    if (text.trim() === '') throw missingBody();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's own message quotes the input: never pass it on.
    throw new ValidationError(
      'Invalid request: body: is not valid JSON (empty, truncated or malformed).'
    );
  }
};

/** The request, correlation id and caller of a parsed envelope. */
const envelopeOf = (
  event: Record<string, unknown>,
  payload: HttpPayload
): {
  body: string | null | undefined;
  isBase64Encoded: boolean;
  correlationId: string;
  requestedBy: string | undefined;
  apiId?: string | undefined;
} => {
  if (payload === HttpPayload.Rest) {
    const parsed = parseOrThrow(httpSchemas().HttpRestEventSchema, event);
    const identity = parsed.requestContext.identity;
    return {
      body: parsed.body,
      isBase64Encoded: parsed.isBase64Encoded,
      correlationId: parsed.requestContext.requestId,
      requestedBy: identity.userArn ?? identity.caller ?? undefined,
    };
  }
  const { FunctionUrlEventSchema, HttpApiV2EventSchema } = httpSchemas();
  const parsed = parseOrThrow(
    payload === HttpPayload.FunctionUrl ? FunctionUrlEventSchema : HttpApiV2EventSchema,
    event
  );
  return {
    body: parsed.body,
    isBase64Encoded: parsed.isBase64Encoded,
    correlationId: parsed.requestContext.requestId,
    requestedBy: parsed.requestContext.authorizer?.iam?.userArn,
    apiId: parsed.requestContext.apiId,
  };
};

/**
 * Where the caller's identity comes from. Only an HTTP API event of the stack's own API
 * (`HTTP_API_ID`) carries its IAM authorizer's identity; an HTTP API event of another API is
 * refused before any AWS call. REST and function URL events (the stack creates neither) and
 * every event when `HTTP_API_ID` is unset carry an asserted one.
 */
const identitySourceOf = (
  payload: HttpPayload,
  apiId: string | undefined,
  config: RemediatorConfig
): RequestedBySource => {
  if (payload !== HttpPayload.HttpApiV2 || config.httpApiId === undefined) {
    return RequestedBySource.Asserted;
  }
  if (apiId !== config.httpApiId) {
    throw new ValidationError(
      "Invalid request: requestContext.apiId: is not this stack's HTTP API (HTTP_API_ID); the event did not come through it."
    );
  }
  return RequestedBySource.IamAuthorizer;
};

/** Turns an HTTP event into a request; throws MethodNotAllowed or ValidationError. */
const httpToRequest = (event: unknown, config: RemediatorConfig): RemediationRequest => {
  const payload = detectHttpPayload(event);
  if (payload === undefined || !isRecord(event)) {
    throw new ValidationError('Invalid request: the event is not an HTTP event.');
  }
  assertPost(event, payload);
  const envelope = envelopeOf(event, payload);
  const requestedBySource = identitySourceOf(payload, envelope.apiId, config);
  const { commandSchema, commandToRequest, resumeCommandSchema, resumeToRequest } =
    commandSchemas();
  const body = parseBody(envelope.body, envelope.isBase64Encoded);
  if (isRecord(body) && 'resume' in body) {
    return resumeToRequest(parseOrThrow(resumeCommandSchema, body, 'body'), {
      trigger: TriggerName.Http,
      correlationId: envelope.correlationId,
      requestedBy: envelope.requestedBy,
      requestedBySource,
    });
  }
  const command = parseOrThrow(commandSchema, body, 'body');
  return commandToRequest(command, {
    trigger: TriggerName.Http,
    defaultPendingAction: config.defaultPendingAction,
    correlationId: envelope.correlationId,
    requestedBy: envelope.requestedBy,
    requestedBySource,
  });
};

const jsonResponse = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  // the logs' redaction: free text masked and escaped, identifiers kept (src/audit/redact.ts)
  body: JSON.stringify(body, redactingReplacer),
});

const INTERNAL_ERROR_RESPONSE: HttpResponse = jsonResponse(500, INTERNAL_ERROR_BODY);

/** The answer for a secret outside `REQUIRED_TAG`: the 404 of a missing secret, byte for byte. */
const outOfScopeResponse = (): HttpResponse => {
  const { statusCode, body } = toHttpError(outOfScopeAsNotFound());
  return jsonResponse(statusCode, body);
};

/** Adapter for API Gateway REST and HTTP APIs and Lambda function URLs. */
export const httpTrigger: TriggerAdapter = {
  name: TriggerName.Http,
  matches: (event) => detectHttpPayload(event) !== undefined,
  toCommand: (event, _context, config) => {
    const request = httpToRequest(event, config);
    return { kind: request.intent === Intent.Resume ? 'resume' : 'remediate', request };
  },
  toResponse: (result): HttpResponse => {
    // a secret outside REQUIRED_TAG answers as a missing one: no existence oracle
    if (isOutOfScope(result)) return outOfScopeResponse();
    if ('status' in result && result.status === RemediationStatus.Deferred) {
      // in flight: accepted, nothing done; the caller may ask again after the grace period
      const response = jsonResponse(202, result);
      const retryAfter = (result as { retryAfterSeconds?: number }).retryAfterSeconds;
      return retryAfter === undefined
        ? response
        : { ...response, headers: { ...response.headers, 'retry-after': String(retryAfter) } };
    }
    return jsonResponse(
      'status' in result && result.status === RemediationStatus.Refused ? 409 : 200,
      result
    );
  },
  toErrorResponse: (error): HttpResponse => {
    try {
      const { statusCode, body } = toHttpError(error);
      return jsonResponse(statusCode, body);
    } catch {
      return INTERNAL_ERROR_RESPONSE;
    }
  },
};
