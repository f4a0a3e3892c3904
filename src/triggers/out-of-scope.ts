/**
 * What a caller (HTTP, CLI) learns of a secret outside `REQUIRED_TAG`: exactly what it learns of a
 * secret that does not exist, so the remediator cannot be asked whether a secret exists. The
 * planner still refuses with `refuse.out-of-scope`, and the audit trail (the operator's log) keeps
 * that truth; the caller's answer does not.
 */
import { SECRET_NOT_FOUND_MESSAGE, SecretNotFound } from '../errors.js';
import { Rule } from '../remediation/types.js';
import { isRecord } from './types.js';

/** True when `result` is a report whose plan refused the secret as outside `REQUIRED_TAG`. */
export const isOutOfScope = (result: unknown): boolean =>
  isRecord(result) && isRecord(result.decision) && result.decision.rule === Rule.OutOfScope;

/** What a caller gets instead of an out-of-scope report: the error of a missing secret. */
export const outOfScopeAsNotFound = (): SecretNotFound =>
  new SecretNotFound(SECRET_NOT_FOUND_MESSAGE);
