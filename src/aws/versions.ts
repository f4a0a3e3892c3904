/**
 * A secret's versions (ListSecretVersionIds, every page), through the SDK's paginator: the
 * remediation's evidence (when the pending version was created, which ids are this secret's), the
 * sweep's examination and the fleet report read them alike. No listing can loop: the paginator
 * stops on an absent, empty or repeated token, and `tokenGuarded` on any token seen before. None
 * is unbounded either: a service that hands a new token on every page is stopped after
 * {@link MAX_VERSION_PAGES} pages, or at the caller's deadline, with a {@link ListingCapped}.
 */
import type {
  SecretsManagerClient,
  SecretVersionsListEntry,
} from '@aws-sdk/client-secrets-manager';
import { secretsManagerSdk } from './clients.js';
import { tokenGuarded } from './token-guard.js';

/** Entries per ListSecretVersionIds page (the maximum). */
const PAGE_SIZE = 100;

/**
 * Most ListSecretVersionIds pages read for one secret: a secret keeps about 100 versions (one page
 * of 100), so more pages than this is an endpoint that never ends its listing.
 */
export const MAX_VERSION_PAGES = 5;

/** A listing was stopped by its page cap or by the deadline: the service never ended it. */
export class ListingCapped extends Error {
  public override readonly name = 'ListingCapped';

  /** `operation` was stopped after `pages` pages (`reason`: the cap, or the deadline). */
  constructor(operation: string, pages: number, reason: 'page cap' | 'deadline') {
    super(
      `${operation} stopped after ${pages} page(s) at its ${reason}: the service did not end the listing.`
    );
  }
}

/** Options of {@link listVersions}. */
export interface ListVersionsOptions {
  /** Every version the service still keeps, unlabelled ones included (`IncludeDeprecated`). */
  includeDeprecated?: boolean;
  /** False once the caller's deadline is near: no further page is asked for. */
  timeLeft?: () => boolean;
}

/**
 * Every version of a secret that carries a label, or with `includeDeprecated` every version the
 * service keeps (ListSecretVersionIds, up to {@link MAX_VERSION_PAGES} pages); rejects with a
 * {@link ListingCapped} at the cap or the deadline.
 */
export const listVersions = async (
  client: SecretsManagerClient,
  secretArn: string,
  options: ListVersionsOptions = {}
): Promise<SecretVersionsListEntry[]> => {
  const versions: SecretVersionsListEntry[] = [];
  const pages = secretsManagerSdk().paginateListSecretVersionIds(
    { client, pageSize: PAGE_SIZE, stopOnSameToken: true },
    {
      SecretId: secretArn,
      ...(options.includeDeprecated === true ? { IncludeDeprecated: true } : {}),
    }
  );
  let read = 0;
  for await (const { page, nextToken } of tokenGuarded(pages)) {
    versions.push(...(page.Versions ?? []));
    read += 1;
    if (nextToken === undefined) break;
    if (read >= MAX_VERSION_PAGES) {
      throw new ListingCapped('ListSecretVersionIds', read, 'page cap');
    }
    if (options.timeLeft?.() === false) {
      throw new ListingCapped('ListSecretVersionIds', read, 'deadline');
    }
  }
  return versions;
};
