/**
 * Redaction for everything the remediator logs, answers or puts on a bus: sensitive keys at any
 * depth, credential shapes inside free text, and control or invisible characters escaped.
 *
 * Free text goes through one pipeline ({@link maskCredentials}):
 * 1. normalised for matching: NFKC (full-width `ｐａｓｓｗｏｒｄ` is `password`), zero-width and soft
 *    hyphen characters dropped (`pass\u200Bword` is `password`);
 * 2. credential shapes masked: `key=value` pairs whose key ends in a credential word (`password`,
 *    `DB_PASSWORD`, `"SecretString"`, `GITHUB_TOKEN`, `*_KEY`, ...), quoted or not, with `=`, `:`,
 *    `=>` (and `is` after a password word) between; URI user-info passwords; AWS access key ids and
 *    secret access keys; bearer and basic credentials, JWTs, PEM private keys;
 * 3. control, bidirectional and other invisible characters escaped as `\uXXXX`.
 *
 * Identifiers are never redacted: a Secrets Manager ARN inside free text is kept whole, and a field
 * named as an identifier (`arn`, `name`, `secretId`, `...VersionId`) whose value matches the
 * identifier's own pattern is passed through as it is (docs/security.md).
 */
import { SECRET_ARN_PATTERN, SECRET_NAME_PATTERN } from '../identifiers.js';

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values are never logged, at any depth: authorization, cookies, tokens, passwords,
 * secret strings and binaries, credentials and API keys (any case, `-`, `_` or nothing between words).
 */
export const SENSITIVE_KEY_PATTERN =
  /authorization|cookie|token|passw(or)?d|secret[-_ ]?(string|binary)|credential|api[-_ ]?key|private[-_ ]?key/i;

/** Zero-width characters and the soft hyphen: dropped before matching. */
const ZERO_WIDTH = /[\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF]/g;

/**
 * Control characters (C0 and C1), bidirectional controls and marks, line and paragraph
 * separators, and the remaining invisible format characters: escaped as `\uXXXX`.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069\uFFF9-\uFFFB]/g;

/** A Secrets Manager ARN anywhere in a text (kept whole: identifiers are never redacted). */
const EMBEDDED_SECRET_ARN =
  /arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+/g;

/** Credential words a key ends with (after any prefix: `DB_PASSWORD`, `x-api-key`). */
const KEY_WORD =
  'passw(?:or)?d|passphrase|pwd|secret(?:[-_ ]?(?:string|binary|access[-_ ]?key))?|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?|_key';

/** A value: quoted (either quote), or a run up to whitespace or a JSON/URL delimiter. */
const VALUE = `("[^"]*"|'[^']*'|[^\\s"',;}&]+)`;

/**
 * `key=value`, `key => value`, `"key": value`: a key made of word characters, `.` and `-` that
 * ends in a credential word (`PGPASSWORD`, `GITHUB_TOKEN`), optionally quoted; not preceded by `:`
 * or `/` (the `:secret:` of an ARN, a path).
 */
const KEY_VALUE = new RegExp(
  `(?<![\\w:/.-])(?:(["'])([\\w.-]*?(?:${KEY_WORD}))\\1(\\s*(?:=>|[:=])\\s*)|([\\w.-]*?(?:${KEY_WORD}))(\\s*=>?\\s*))${VALUE}`,
  'gi'
);

/**
 * `key: value` unquoted: the credential word alone or after a `_`, `-` or `.` (`db_password:`,
 * `x-api-key:`), so that prose such as `failed at testSecret: the ...` stays readable.
 */
const KEY_COLON = new RegExp(
  `(?<![\\w:/.-])((?:[\\w.-]*[_.-])?(?:${KEY_WORD}))(\\s*:\\s*)${VALUE}`,
  'gi'
);

/** `password is x`: only after a password word, where `is` cannot be prose about a secret. */
const PASSWORD_IS = new RegExp(
  `(?<![\\w:/.-])([\\w.-]*?(?:passw(?:or)?d|passphrase|pwd))(\\s+is\\s+)${VALUE}`,
  'gi'
);

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
  // URI user-info: scheme://user:password@host keeps the user, masks the password
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]+@/gi, `$1:${REDACTED}@`],
  // key=value, "key": "value", key => value, key: value
  [KEY_VALUE, `$1$2$1$3$4$5${REDACTED}`],
  [KEY_COLON, `$1$2${REDACTED}`],
  [PASSWORD_IS, `$1$2${REDACTED}`],
  // AWS access key ids
  [/\b(AKIA|ASIA|AROA|AIDA|ANPA|ANVA|AGPA|ABIA|ACCA)[A-Z0-9]{16}\b/g, REDACTED],
  // AWS secret access keys on their own: 40 characters of base64, mixed case and a digit or / +
  [
    /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    REDACTED,
  ],
];

const escapeInvisible = (text: string): string =>
  text.replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

const maskShapes = (text: string): string =>
  CREDENTIAL_SHAPES.reduce(
    (masked, [pattern, replacement]) => masked.replace(pattern, replacement),
    text
  );

/**
 * Free text made safe to log, answer or publish (see the module comment): normalised, credential
 * shapes masked, control and invisible characters escaped. Secret ARNs inside it are kept whole.
 */
export const maskCredentials = (text: string): string => {
  const normalised = text.normalize('NFKC').replace(ZERO_WIDTH, '');
  let masked = '';
  let from = 0;
  for (const match of normalised.matchAll(EMBEDDED_SECRET_ARN)) {
    masked += maskShapes(normalised.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return escapeInvisible(masked + maskShapes(normalised.slice(from)));
};

/** Version ids: UUIDs as Secrets Manager makes them, or a client token (32-64 characters). */
const VERSION_ID_PATTERN = /^[A-Za-z0-9-]{32,64}$/;

/** Fields that hold an identifier, each with the pattern its value must match to pass as one. */
const IDENTIFIER_FIELDS: readonly (readonly [RegExp, readonly RegExp[]])[] = [
  [/^(arn|secretArn)$/, [SECRET_ARN_PATTERN]],
  [/^(name|secretName|secretId)$/, [SECRET_ARN_PATTERN, SECRET_NAME_PATTERN]],
  [/VersionId$|^versionId$/, [VERSION_ID_PATTERN]],
];

/**
 * True for a field that names an identifier and whose value matches that identifier's pattern:
 * it is passed through unredacted (a secret named `app-token=blue` stays itself).
 */
export const isIdentifierField = (key: string, value: string): boolean =>
  value.length <= 2048 &&
  IDENTIFIER_FIELDS.some(
    ([field, patterns]) => field.test(key) && patterns.some((pattern) => pattern.test(value))
  );

/**
 * JSON replacer for the Powertools Logger (`jsonReplacerFn`) and the events: redacts sensitive
 * keys at any depth, passes identifier fields through, and makes every other string safe with
 * {@link maskCredentials}.
 */
export const redactingReplacer = (key: string, value: unknown): unknown => {
  if (key !== '' && SENSITIVE_KEY_PATTERN.test(key)) return REDACTED;
  if (typeof value !== 'string') return value;
  return isIdentifierField(key, value) ? value : maskCredentials(value);
};
