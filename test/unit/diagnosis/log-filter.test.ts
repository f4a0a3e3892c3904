/**
 * The FilterLogEvents pattern lets through every line a rule or the step parser reads: each such
 * line holds one of its terms (CloudWatch Logs matches `?"term"` case-sensitively, as a substring).
 */
import {
  LOG_FILTER_PATTERN,
  LOG_FILTER_TERMS,
  rulesMatching,
} from '../../../src/diagnosis/log-rules.js';
import { parseStepLine } from '../../../src/diagnosis/steps.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const VERSION = 'c0000000-0000-4000-8000-000000000003';

/** Lines the diagnosis reads: one or more per rule, and the templates' step lines. */
const READ_LINES = [
  'Task timed out after 30.03 seconds',
  "Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'psycopg2'",
  "Unable to import module 'index': Cannot find module 'pg'",
  'An error occurred (AccessDeniedException) when calling the GetSecretValue operation: Access to KMS is not allowed',
  'User: arn:aws:sts::123456789012:assumed-role/r/f is not authorized to perform: kms:Decrypt',
  'KMSAccessDeniedException: denied',
  "KeyError: 'host'",
  'KeyError: masterarn key is missing from secret JSON',
  'Database engine must be set to postgres in order to use this rotation lambda',
  `setSecret: Unable to log into database with previous, current, or pending secret of secret arn ${ARN}`,
  'The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides / may be used.',
  'Password contains invalid characters',
  'finishSecret: replica us-west-2 is not in sync',
  'Connect timeout on endpoint URL: "https://secretsmanager.us-east-1.amazonaws.com/"',
  `createSecret: Successfully put secret for ARN ${ARN} and version ${VERSION}.`,
  `setSecret: Successfully set password for user app in PostgreSQL DB for secret arn ${ARN}.`,
  `testSecret: Successfully signed into PostgreSQL DB for secret arn ${ARN}.`,
  `finishSecret: Successfully set AWSCURRENT stage to version ${VERSION} for secret ${ARN}.`,
];

describe('LOG_FILTER_PATTERN', () => {
  it.each(READ_LINES)('lets through %p', (line) => {
    // Prepare: the line is one the diagnosis reads
    expect(rulesMatching(line).length > 0 || parseStepLine(line) !== undefined).toBe(true);

    // Act
    const through = LOG_FILTER_TERMS.some((term) => line.includes(term));

    // Assess
    expect(through).toBe(true);
  });

  it('is one OR of quoted terms within the 1 024 characters CloudWatch Logs accepts', () => {
    // Assess
    expect(LOG_FILTER_PATTERN).toMatch(/^\?"[^"]+"( \?"[^"]+")*$/);
    expect(LOG_FILTER_PATTERN.length).toBeLessThanOrEqual(1024);
  });
});
