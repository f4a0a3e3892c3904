/**
 * The service logger shared by the worlds of a test file. Worlds build their handlers with
 * `createHandler` of src/application/create-handler.ts and injected settings.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { createLogger } from '../../../src/audit/logger.js';

let serviceLogger: Logger | undefined;

/**
 * The service logger of every world of a test file: the function's own (with its redaction), at
 * INFO so the audit trail is written.
 */
export const worldLogger = (): Logger => {
  if (serviceLogger === undefined) {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    serviceLogger = createLogger();
  }
  return serviceLogger;
};
