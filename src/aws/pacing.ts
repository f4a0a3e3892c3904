/**
 * Paces a Secrets Manager client during a sweep: an SDK middleware inside the retry loop, right
 * after request signing and so right before the request goes on the wire. It runs once per attempt
 * (retries included), waits for a token of the operation's quota bucket, and counts the throttling
 * errors that still come back (the SDK's retries absorb them). Placed after signing, the one-off
 * work of a client's first call (credentials, endpoint) happens before the token is taken, so
 * requests reach the service spaced as the tokens were granted.
 *
 * The middleware is installed once on each client (Secrets Manager's, CloudTrail's), and acts only inside
 * {@link withPacing}: the sweep's own calls and those of the remediation core it runs are paced,
 * while a single remediation on the same client (another invocation, the CLI) is not. The scope
 * travels with the async context (`AsyncLocalStorage`), so concurrent sweeps never mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  FinalizeRequestMiddleware,
  MetadataBearer,
  RelativeMiddlewareOptions,
} from '@smithy/types';
import type { QuotaRateLimiter } from './rate-limiter.js';
import { isThrottlingError } from './sdk-errors.js';

/** What a paced call needs: the limiter to wait on, and where to count throttling. */
export interface PacingScope {
  limiter: Pick<QuotaRateLimiter, 'acquire'>;
  /** Called for every attempt answered with a throttling error. */
  onThrottled(operation: string): void;
  /** Milliseconds left before the run's deadline; absent: none. No wait for a token passes it. */
  timeLeftMs?: (() => number) | undefined;
}

/** Name of the middleware in the client's stack. */
export const PACING_MIDDLEWARE_NAME = 'rotationRemediatorSweepPacing';

const scopes = new AsyncLocalStorage<PacingScope>();
const pacedClients = new WeakSet<object>();

/** The middleware: a no-op outside a pacing scope. */
const pacingMiddleware: FinalizeRequestMiddleware<object, MetadataBearer> =
  (next, context) => async (args) => {
    const scope = scopes.getStore();
    if (scope === undefined) return next(args);
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    await scope.limiter.acquire(operation, scope.timeLeftMs?.());
    try {
      return await next(args);
    } catch (error) {
      if (isThrottlingError(error)) scope.onThrottled(operation);
      throw error;
    }
  };

/** What pacing needs of an SDK client's middleware stack (every v3 client has one). */
interface PaceableStack {
  addRelativeTo(
    middleware: FinalizeRequestMiddleware<object, MetadataBearer>,
    options: RelativeMiddlewareOptions
  ): void;
}

/**
 * Installs the pacing middleware on an SDK client (once per client; Secrets Manager's, and
 * CloudTrail's for the failed-step history); returns the client.
 */
export const installPacing = <C extends { middlewareStack: unknown }>(client: C): C => {
  if (pacedClients.has(client)) return client;
  (client.middlewareStack as PaceableStack).addRelativeTo(pacingMiddleware, {
    name: PACING_MIDDLEWARE_NAME,
    relation: 'after',
    toMiddleware: 'httpSigningMiddleware',
    override: true,
  });
  pacedClients.add(client);
  return client;
};

/** Runs `work` with every call of a paced client inside it waiting on `scope`'s limiter. */
export const withPacing = <T>(scope: PacingScope, work: () => Promise<T>): Promise<T> =>
  scopes.run(scope, work);
