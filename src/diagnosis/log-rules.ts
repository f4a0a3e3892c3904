/**
 * The log lines that name a cause: the exact messages of Lambda, AWS's rotation templates and the
 * SDKs they use. A rule matches a phrase those write, never a lone word, so that an ordinary line
 * (`Successfully set password`, `Read timed out`) names nothing.
 */
import type { Confidence } from './causes.js';
import { CauseId, Confidence as Level } from './causes.js';

/** One rule: the cause a matching line supports, and how strongly. */
export interface LogRule {
  cause: CauseId;
  confidence: Confidence;
  pattern: RegExp;
}

const FIELDS = 'engine|host|username|password|masterarn|port|dbname|dbClusterIdentifier';

/** The rules, in no particular order (the diagnosis ranks what they find). */
export const LOG_RULES: readonly LogRule[] = [
  {
    cause: CauseId.RuntimeImportError,
    confidence: Level.High,
    pattern: /Runtime\.ImportModuleError|Unable to import module '[^']+'/,
  },
  {
    cause: CauseId.KmsAccessDenied,
    confidence: Level.High,
    pattern:
      /Access to KMS is not allowed|KMSAccessDeniedException|not authorized to perform: kms:|AccessDeniedException\b[^\n]*\bKMS\b/i,
  },
  {
    cause: CauseId.SecretShape,
    confidence: Level.High,
    pattern: new RegExp(
      `KeyError: ['"]?(?:${FIELDS})['"]?(?:\\s|$)|\\b(?:${FIELDS}) key is missing from secret JSON|Database engine must be set to`
    ),
  },
  {
    cause: CauseId.DatabaseLogin,
    confidence: Level.High,
    pattern:
      /Unable to log into database with (?:previous, )?current,? or pending secret|Unable to log into database using current credentials/i,
  },
  {
    cause: CauseId.PasswordCharacters,
    confidence: Level.High,
    pattern:
      /is not a valid password\. Only printable ASCII characters|password contains (?:invalid|illegal|unsupported|disallowed) characters?/i,
  },
  {
    cause: CauseId.ReplicaNotInSync,
    confidence: Level.High,
    pattern: /\breplicas?\b[^\n]*\bnot in sync\b|\bnot in sync\b[^\n]*\breplicas?\b/i,
  },
  {
    cause: CauseId.NetworkTimeout,
    confidence: Level.High,
    pattern: /Task timed out after \d+(?:\.\d+)? seconds/,
  },
  {
    cause: CauseId.NoSecretsManagerRoute,
    confidence: Level.High,
    pattern:
      /(?:Connect timeout on endpoint URL|Could not connect to the endpoint URL): "https:\/\/secretsmanager\./,
  },
];

/** The rules a line matches. */
export const rulesMatching = (message: string): LogRule[] =>
  LOG_RULES.filter((rule) => rule.pattern.test(message));

/**
 * Terms of the FilterLogEvents pattern: at least one is in every line a rule or the step parser
 * reads (case-sensitive, as CloudWatch Logs matches terms), so that the service sends those lines
 * and the bounded pages are not spent on the rest.
 */
export const LOG_FILTER_TERMS = [
  'Task timed out',
  'ImportModuleError',
  'Unable to import module',
  'KMS',
  'kms:',
  'KeyError',
  'key is missing from secret JSON',
  'Database engine must be set',
  'Unable to log into database',
  'not a valid password',
  'characters',
  'not in sync',
  'secretsmanager',
  'Successfully',
  'version',
] as const;

/** The FilterLogEvents pattern: any of {@link LOG_FILTER_TERMS} (`?"term" ?"term" ...`). */
export const LOG_FILTER_PATTERN = LOG_FILTER_TERMS.map((term) => `?"${term}"`).join(' ');
