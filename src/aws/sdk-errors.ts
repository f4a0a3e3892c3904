/**
 * The one place that reads AWS SDK errors and responses: error names, attempts, request ids,
 * throttling. Everything else asks these functions, so SDK shapes (`name`, `$metadata`,
 * `$retryable`) stay out of the core.
 */

/** Error names of Secrets Manager the remediator acts on. */
export const SdkErrorName = {
  NotFound: 'ResourceNotFoundException',
  InvalidParameter: 'InvalidParameterException',
  InvalidRequest: 'InvalidRequestException',
  InvalidNextToken: 'InvalidNextTokenException',
} as const;

/** Error names Secrets Manager (and the SDK) use for throttling. */
export const THROTTLING_ERROR_NAMES: readonly string[] = [
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
];

/** Error names that mean "the secret is not in the state the plan was made for": re-read, re-plan. */
const STATE_CONFLICT_NAMES: readonly string[] = [
  SdkErrorName.InvalidParameter,
  SdkErrorName.InvalidRequest,
];

interface SdkShape {
  name?: unknown;
  $metadata?: { attempts?: unknown; requestId?: unknown; httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
}

const shapeOf = (value: unknown): SdkShape | undefined =>
  typeof value === 'object' && value !== null ? (value as SdkShape) : undefined;

/** The error's name (`Error` for a value without one). */
export const errorNameOf = (error: unknown): string => {
  const name = shapeOf(error)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Error';
};

/** True when Secrets Manager has no such secret. */
export const isNotFound = (error: unknown): boolean => errorNameOf(error) === SdkErrorName.NotFound;

/** True when a failed call says the state changed under us (see `STATE_CONFLICT_NAMES`). */
export const isStateConflict = (error: unknown): boolean =>
  STATE_CONFLICT_NAMES.includes(errorNameOf(error));

/** True when a listing token is no longer accepted. */
export const isInvalidNextToken = (error: unknown): boolean =>
  errorNameOf(error) === SdkErrorName.InvalidNextToken;

/** True when an SDK error is a throttling error (by name, retry classification or HTTP 429). */
export const isThrottlingError = (error: unknown): boolean => {
  const shape = shapeOf(error);
  return (
    THROTTLING_ERROR_NAMES.includes(errorNameOf(error)) ||
    shape?.$retryable?.throttling === true ||
    shape?.$metadata?.httpStatusCode === 429
  );
};

/** Error names of a refused authorisation (IAM denies the call). */
const ACCESS_DENIED_NAMES: readonly string[] = [
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
];

/** True when IAM refused the call. */
export const isAccessDenied = (error: unknown): boolean =>
  ACCESS_DENIED_NAMES.includes(errorNameOf(error)) ||
  shapeOf(error)?.$metadata?.httpStatusCode === 403;

/** True when a call got no answer in time (the client's enforced timeouts, or the network's). */
export const isTimeout = (error: unknown): boolean =>
  ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'].includes(errorNameOf(error)) ||
  (error as { code?: unknown } | undefined)?.code === 'ETIMEDOUT';

/** How many attempts the SDK made for a failed call (1 when it does not say). */
export const attemptsOf = (error: unknown): number => {
  const attempts = shapeOf(error)?.$metadata?.attempts;
  return typeof attempts === 'number' ? attempts : 1;
};

/** The request id of an SDK response or error, when the service sent one. */
export const requestIdOf = (responseOrError: unknown): string | undefined => {
  const requestId = shapeOf(responseOrError)?.$metadata?.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
};

/**
 * True when `error`, or an error in its chain of causes, is a call the sweep's limiter refused at
 * the deadline (`DeadlineReached`, src/errors.ts). By name, not class: the Lambda's lazily loaded
 * part (parts/aws.js) holds no copy of the error classes.
 */
export const isDeadlineReached = (error: unknown): boolean => {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 8; depth++) {
    if (at.name === 'DeadlineReached') return true;
    at = at.cause;
  }
  return false;
};
