/**
 * The service's Powertools Logger: every record goes through the redacting replacer. The service
 * name comes from the settings; the level from Powertools' own `POWERTOOLS_LOG_LEVEL`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { ObservabilitySettings } from '../settings.js';
import { OBSERVABILITY_DEFAULTS } from '../settings.js';
import { redactingReplacer } from './redact.js';

/** Creates a logger with the remediator's redaction. */
export const createLogger = (
  observability: Pick<ObservabilitySettings, 'serviceName'> = OBSERVABILITY_DEFAULTS,
  options: { logLevel?: 'INFO' | 'SILENT' } = {}
): Logger =>
  new Logger({
    serviceName: observability.serviceName,
    jsonReplacerFn: redactingReplacer,
    ...options,
  });
