/**
 * Loads `src/handler.ts` on first use. The handler module builds its own module-scope handler on
 * import, which needs `IDEMPOTENCY_TABLE_NAME`: that one is never called here, so a placeholder
 * table name is enough. Worlds build their handlers with `createHandler` instead.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createLogger } from '../../../src/audit/logger.js';
import type { HandlerDependencies } from '../../../src/handler.js';

/** A handler built by `createHandler`. */
export type Handler = (event: unknown, context?: Context) => Promise<unknown>;

/** `createHandler` of src/handler.ts. */
export type CreateHandler = (deps: HandlerDependencies) => Handler;

let loaded: CreateHandler | undefined;

/** Requires src/handler.ts (once) and returns its `createHandler`. */
export const loadCreateHandler = (): CreateHandler => {
  if (loaded === undefined) {
    process.env.IDEMPOTENCY_TABLE_NAME ??= 'rr-reliability-placeholder';
    const module = require('../../../src/handler.js') as typeof import('../../../src/handler.js');
    loaded = module.createHandler;
  }
  return loaded;
};

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
