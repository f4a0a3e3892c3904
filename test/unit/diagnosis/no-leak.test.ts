/**
 * A secret value a custom rotation function logs never reaches the diagnosis: every piece of
 * evidence is redacted, whatever the line around it.
 */
import fc from 'fast-check';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import type { LogLine } from '../../../src/diagnosis/types.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const AT = Date.parse('2026-11-30T10:00:00Z');

/** Lines that name a cause, so that they become evidence. */
const CAUSE_LINES = [
  'Task timed out after 30.03 seconds',
  "Runtime.ImportModuleError: Unable to import module 'lambda_function'",
  'Access to KMS is not allowed',
  "KeyError: 'host'",
  'Unable to log into database with previous, current, or pending secret of secret arn x',
  'password contains invalid characters',
  'finishSecret: replica us-west-2 is not in sync',
] as const;

/** How a custom function logs a secret value. */
const LEAKS = [
  (value: string) => `password=${value}`,
  (value: string) => `{"username": "app", "password": "${value}"}`,
  (value: string) => `{'username': 'app', 'password': '${value}'}`,
  (value: string) => `postgresql://app:${value}@db.internal:5432/app`,
  (value: string) => `"SecretString": "${value}"`,
] as const;

/** A secret value: long enough to be unmistakable, of the characters a generated password uses. */
const secretValue = fc.stringMatching(/^[A-Za-z0-9!#$%^*()_+-]{16,32}$/);

describe('the diagnosis', () => {
  it('never contains a secret value a log line carried', () => {
    fc.assert(
      fc.property(
        secretValue,
        fc.constantFrom(...CAUSE_LINES),
        fc.constantFrom(...LEAKS),
        fc.boolean(),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (value, causeLine, leak, before, head, tail) => {
          // Prepare: any text around, words apart
          const middle = before ? `${leak(value)} ${causeLine}` : `${causeLine} ${leak(value)}`;
          const message = `${head} ${middle} ${tail}`;
          const logs: LogLine[] = [{ timestamp: AT, message }];

          // Act
          const diagnosis = diagnose({ logs, missing: [] }, { now: NOW, versionId: 'v' });

          // Assess
          expect(diagnosis.findings.length).toBeGreaterThan(0);
          expect(JSON.stringify(diagnosis)).not.toContain(value);
        }
      )
    );
  });
});
