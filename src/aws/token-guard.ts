/**
 * A guard over the SDK's paginators: no listing can loop. The paginator stops on an absent or empty
 * token and, with `stopOnSameToken`, on the token it has just sent; {@link tokenGuarded} also stops
 * on any token seen before in the same listing (a service answering A, B, A, ... would otherwise
 * never end). Used by the sweep's listings (src/aws/listing.ts) and the CloudTrail history.
 */
import type { Paginator } from '@smithy/types';

/** A page of a listing, with the token that continues it (absent once the listing has ended). */
export interface GuardedPage<T> {
  page: T;
  /** The token of the next page; undefined when the page's token was absent, empty or seen before. */
  nextToken: string | undefined;
}

/**
 * The pages of `pages`, each with the token that continues after it. The listing ends after a
 * page whose token is absent, empty, or one this listing has already sent (`startingToken`
 * included): the generator returns before the paginator could ask for that page again.
 */
export async function* tokenGuarded<T extends { NextToken?: string | undefined }>(
  pages: Paginator<T>,
  startingToken?: string
): AsyncGenerator<GuardedPage<T>, void, undefined> {
  const seen = new Set<string>(startingToken === undefined ? [] : [startingToken]);
  for await (const page of pages) {
    const token = page.NextToken;
    const nextToken = token === undefined || token === '' || seen.has(token) ? undefined : token;
    yield { page, nextToken };
    if (nextToken === undefined) return;
    seen.add(nextToken);
  }
}
