/**
 * The one service-wide Powertools Logger. Service name and level come from Powertools' own
 * variables (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`); every record goes through the
 * redacting replacer.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { redactingReplacer } from './redact.js';

/** Default service name when `POWERTOOLS_SERVICE_NAME` is unset. */
export const SERVICE_NAME = 'rotation-remediator';

/** Creates a logger with the remediator's redaction (tests create their own). */
export const createLogger = (): Logger =>
  new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
    jsonReplacerFn: redactingReplacer,
  });

/** The service-wide logger. */
export const logger = createLogger();
