/**
 * The error classes of the remediator, and the one place that maps them to HTTP responses.
 *
 * Every class is named as its stable `name` (what callers, Step Functions `Catch` blocks, metrics,
 * audit records and tests match on) and carries its `cause`.
 */

/** Base class: every error the remediator raises on purpose. */
export class RemediatorError extends Error {
  /** HTTP status the error maps to on an HTTP trigger. */
  public readonly httpStatus: number = 500;
  /** Error code used in HTTP bodies. */
  public readonly code: string = 'InternalError';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RemediatorError';
  }
}

/** The input was not a valid request: nothing was changed. */
export class ValidationError extends RemediatorError {
  public override readonly httpStatus = 400;
  public override readonly code = 'ValidationError';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ValidationError';
  }
}

/** The HTTP method is not POST. */
export class MethodNotAllowed extends RemediatorError {
  public override readonly httpStatus = 405;
  public override readonly code = 'MethodNotAllowed';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MethodNotAllowed';
  }
}

/**
 * The message of every {@link SecretNotFound}: a missing secret and one outside
 * `REQUIRED_TAG` read the same to a caller (src/triggers/out-of-scope.ts).
 */
export const SECRET_NOT_FOUND_MESSAGE = 'Secrets Manager has no secret with that id.';

/** Secrets Manager has no such secret (ResourceNotFoundException). */
export class SecretNotFound extends RemediatorError {
  public override readonly httpStatus = 404;
  public override readonly code = 'SecretNotFound';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretNotFound';
  }
}

/** Resume is off: the function has no rotation functions configured. Nothing was called. */
export class ResumeDisabled extends RemediatorError {
  public override readonly httpStatus = 403;
  public override readonly code = 'ResumeDisabled';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResumeDisabled';
  }
}

/** Another invocation is remediating the same failure right now. */
export class RemediationInProgress extends RemediatorError {
  public override readonly httpStatus = 409;
  public override readonly code = 'RemediationInProgress';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RemediationInProgress';
  }
}

/** The secret kept changing under us: re-planning did not converge. Nothing further was done. */
export class StateChanged extends RemediatorError {
  public override readonly code = 'StateChanged';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StateChanged';
  }
}

/** After applying the plan, the secret is not in the state the plan promised. */
export class VerificationFailed extends RemediatorError {
  public override readonly code = 'VerificationFailed';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VerificationFailed';
  }
}

/** The function is misconfigured (environment variables): it refuses to start. */
export class ConfigurationError extends RemediatorError {
  public override readonly code = 'ConfigurationError';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * A paced call refused because its wait for a token would end past the run's deadline: no wait
 * starts that cannot end in time, and the work is left for the continuation.
 */
export class DeadlineReached extends RemediatorError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeadlineReached';
  }
}

/** An AWS call failed in a way the remediator cannot repair (throttled past retries, 5xx, network). */
export class AwsCallFailed extends RemediatorError {
  public override readonly code = 'AwsCallFailed';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AwsCallFailed';
  }
}

/**
 * One line naming an error: `Name: message`, with its cause's (`(cause: Name: message)`) when
 * `withCause`, cut to `maxLength` characters. Line breaks are folded into spaces.
 */
export const describeError = (
  error: unknown,
  options: { withCause?: boolean; maxLength?: number } = {}
): string => {
  if (!(error instanceof Error)) return 'Error: the command failed.';
  const cause =
    options.withCause === true && error.cause instanceof Error
      ? ` (cause: ${error.cause.name}: ${error.cause.message})`
      : '';
  const text = `${error.name}: ${error.message}${cause}`.replace(/\s*\n\s*/g, ' ');
  const max = options.maxLength ?? Number.POSITIVE_INFINITY;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** The body of every HTTP 500: nothing internal, only where to look. */
export const INTERNAL_ERROR_BODY: HttpErrorBody = {
  error: {
    code: 'InternalError',
    message: 'The remediation failed; see the function logs for the correlation id.',
  },
};

/** JSON body of an HTTP error response. */
export interface HttpErrorBody {
  error: { code: string; message: string };
}

/**
 * Maps any thrown value to an HTTP status and body. Known errors keep their message (which never
 * echoes raw input); anything else becomes a 500 `InternalError` with no internals leaked.
 */
export const toHttpError = (error: unknown): { statusCode: number; body: HttpErrorBody } => {
  if (error instanceof RemediatorError && error.httpStatus < 500) {
    return {
      statusCode: error.httpStatus,
      body: { error: { code: error.code, message: error.message } },
    };
  }
  return { statusCode: 500, body: INTERNAL_ERROR_BODY };
};

/**
 * Describes an untrusted value for an error message by its type and size only: messages never
 * echo input, so they can neither leak a credential nor forge a log line.
 */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
};
