/**
 * Own account only: an event that names the account it comes from (EventBridge `account`, an alarm
 * action's `accountId`) acts here only when that is the function's own account (from the Lambda
 * context's function ARN) or one listed in `TRUSTED_EVENT_ACCOUNTS` (a central bus). Anything else
 * is refused before any AWS call.
 */
import type { Context } from 'aws-lambda';
import { ValidationError } from '../errors.js';
import type { RemediatorConfig } from '../settings.js';

/** The account of an ARN (`arn:partition:service:region:account:...`); undefined when it has none. */
export const accountOfArn = (arn: string | undefined): string | undefined => {
  const account = arn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
};

/**
 * Throws a {@link ValidationError} unless `account` is the function's own or a trusted one. `field`
 * names where the event carries it.
 */
export const assertTrustedAccount = (
  account: string,
  field: string,
  context: Context | undefined,
  config: Pick<RemediatorConfig, 'trustedEventAccounts'>
): void => {
  const own = accountOfArn(context?.invokedFunctionArn);
  if (account === own || config.trustedEventAccounts.includes(account)) return;
  const printable = /^\d{12}$/.test(account) ? account : 'an invalid account id';
  throw new ValidationError(
    own === undefined
      ? `Refused: ${field} names account ${printable}, and this function's own account is unknown (no Lambda context); list it in TRUSTED_EVENT_ACCOUNTS to act on its events.`
      : `Refused: ${field} names account ${printable}, not this function's account ${own}; events of another account act only when it is listed in TRUSTED_EVENT_ACCOUNTS.`
  );
};
