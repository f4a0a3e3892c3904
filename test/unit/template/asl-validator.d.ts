/**
 * Types of `asl-validator` (the package ships JavaScript only): the function its main module
 * exports, as far as the tests use it.
 */
declare module 'asl-validator' {
  /** One finding: an error code such as `MISSING_TRANSITION_TARGET` and a message. */
  interface AslValidationError {
    'Error code': string;
    Message: string;
  }

  /** The result of one validation. */
  interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText(separator?: string): string;
  }

  /** Validates a state machine definition (it mutates it: pass a copy). */
  function validator(
    definition: object,
    options?: { checkPaths?: boolean; checkArn?: boolean }
  ): AslValidationResult;

  export = validator;
}
