/** Error names the emulator answers with (the `__type` of the wire error body). */
export const ErrorName = {
  InternalServiceError: 'InternalServiceError',
  InvalidNextToken: 'InvalidNextTokenException',
  InvalidParameter: 'InvalidParameterException',
  InvalidRequest: 'InvalidRequestException',
  LimitExceeded: 'LimitExceededException',
  ResourceExists: 'ResourceExistsException',
  ResourceNotFound: 'ResourceNotFoundException',
  Serialization: 'SerializationException',
  Throttling: 'ThrottlingException',
  UnknownOperation: 'UnknownOperationException',
} as const;

/** One of the error names in {@link ErrorName}. */
export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];

/** Message texts quoted by the reference page (tests may assert on these, and only these). */
export const ErrorMessage = {
  markedForDeletion:
    "You can't perform this operation on the secret because it was marked for deletion.",
  previousRotationIncomplete:
    "A previous rotation isn't complete. That rotation will be reattempted.",
  secretNotFound: "Secrets Manager can't find the specified secret.",
  rateExceeded: 'Rate exceeded',
} as const;

/** Default HTTP status for an error name: 500 for InternalServiceError, 400 for everything else. */
export function defaultStatusFor(name: string): number {
  return name === ErrorName.InternalServiceError ? 500 : 400;
}

/** A service error as the emulator returns it: `{"__type": name, "Message": message}` with `status`. */
export class EmulatorError extends Error {
  /** HTTP status code sent with the error. */
  readonly status: number;

  /** Builds an error; `status` defaults to {@link defaultStatusFor}(name). */
  constructor(name: string, message: string, status: number = defaultStatusFor(name)) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

/** Shorthand for an `InvalidParameterException`. */
export function invalidParameter(message: string): EmulatorError {
  return new EmulatorError(ErrorName.InvalidParameter, message);
}

/** Shorthand for an `InvalidRequestException`. */
export function invalidRequest(message: string): EmulatorError {
  return new EmulatorError(ErrorName.InvalidRequest, message);
}

/** Shorthand for a `ResourceNotFoundException`. */
export function resourceNotFound(message: string = ErrorMessage.secretNotFound): EmulatorError {
  return new EmulatorError(ErrorName.ResourceNotFound, message);
}
