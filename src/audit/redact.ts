/**
 * Redaction for everything the remediator logs: sensitive keys at any depth, and credential shapes
 * inside free text.
 */

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values are never logged, at any depth: authorization, cookies, tokens, passwords,
 * secret strings and binaries, credentials and API keys (any case, `-`, `_` or nothing between words).
 */
export const SENSITIVE_KEY_PATTERN =
  /authorization|cookie|token|passw(or)?d|secret[-_ ]?(string|binary)|credential|api[-_ ]?key|private[-_ ]?key/i;

const CREDENTIAL_SHAPES: readonly (readonly [RegExp, string])[] = [
  // PEM private-key blocks, whole
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    REDACTED,
  ],
  // JSON Web Tokens
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Bearer / Basic credentials
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // AWS access key ids
  [/\b(AKIA|ASIA|AROA|AIDA|ANPA|ANVA|AGPA|ABIA|ACCA)[A-Z0-9]{16}\b/g, REDACTED],
  // AWS secret access keys written as key=value
  [/(aws_?secret_?access_?key\s*[:=]\s*)\S+/gi, `$1${REDACTED}`],
  // password=..., passwd: ..., pwd=...
  [/\b(pass(?:word|wd)?|pwd)(\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi, `$1$2${REDACTED}`],
  // secret=..., token: ..., api_key=... (not the `:secret:` of an ARN)
  [
    /(?<![:/\w])(secret|token|api[-_]?key)(\s*=\s*|\s*:\s+)("[^"]*"|'[^']*'|\S+)/gi,
    `$1$2${REDACTED}`,
  ],
];

/** Masks credential-shaped substrings in free text (access key ids, bearer tokens, JWTs, keys, passwords). */
export const maskCredentials = (text: string): string =>
  CREDENTIAL_SHAPES.reduce(
    (masked, [pattern, replacement]) => masked.replace(pattern, replacement),
    text
  );

/**
 * JSON replacer for the Powertools Logger (`jsonReplacerFn`): redacts sensitive keys at any depth
 * and masks credential shapes in every string.
 */
export const redactingReplacer = (key: string, value: unknown): unknown => {
  if (key !== '' && SENSITIVE_KEY_PATTERN.test(key)) return REDACTED;
  if (typeof value === 'string') return maskCredentials(value);
  return value;
};
