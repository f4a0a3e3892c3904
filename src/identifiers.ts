/**
 * The identifiers every part of the remediator checks input against: secret names and ARNs.
 * Triggers (command schemas) and the sweep (continuations) both import them from here.
 */

/** Secret names: ASCII letters, digits and `/_+=.@-`, plus `!` for service-managed secrets. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]+$/;

/** Full Secrets Manager ARNs, in any partition. */
export const SECRET_ARN_PATTERN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;
