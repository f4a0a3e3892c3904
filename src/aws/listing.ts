/**
 * The listing of secrets of the sweep and the report, through the SDK's paginator
 * (`paginateListSecrets`; a secret's versions are listed by ./versions.ts). Every page goes out
 * through the client's middleware stack, so the pacing middleware (./pacing.ts) still makes each
 * one wait for its quota token.
 *
 * No listing can loop: the SDK's paginator stops on an absent or empty token and, with
 * `stopOnSameToken`, on the token it has just sent; `tokenGuarded` (src/aws/token-guard.ts) also
 * stops on any token seen before in the same listing (a service answering A, B, A, ... would
 * otherwise never end).
 *
 * No listing is unbounded either: a service that hands a new token on every page would keep a
 * paginator going for ever. {@link SecretListing} reads at most {@link MAX_SECRET_PAGES} pages per
 * run (a secret's versions are capped in src/aws/versions.ts); the cap ends the listing with a
 * {@link ListingCapped}, which the run reports.
 */
import type {
  ListSecretsCommandOutput,
  SecretListEntry,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { secretsManagerSdk } from './clients.js';
import { isDeadlineReached, isInvalidNextToken } from './sdk-errors.js';
import type { GuardedPage } from './token-guard.js';
import { tokenGuarded } from './token-guard.js';
import { ListingCapped } from './versions.js';

/** Entries per ListSecrets page (the maximum). */
export const PAGE_SIZE = 100;

/** Most ListSecrets pages read in one run: 1,000,000 secrets, twice the account quota (500,000). */
export const MAX_SECRET_PAGES = 10_000;

/**
 * ListSecrets, one page at a time, from an optional token (a sweep's continuation). Tracks what a
 * continuation needs: whether the listing has ended, and the token of the first page not yet read.
 * A continuation's token that the service no longer accepts (InvalidNextTokenException) restarts
 * the listing from the first page, once: the sweep is idempotent, so reading a page twice is safe.
 */
export class SecretListing {
  readonly #client: SecretsManagerClient;
  readonly #resumed: boolean;
  #pages: AsyncGenerator<GuardedPage<ListSecretsCommandOutput>, void, undefined>;
  #nextToken: string | undefined;
  #done = false;
  #restarted = false;
  #pagesRead = 0;

  /** A listing from `startingToken` (undefined: the first page). */
  constructor(client: SecretsManagerClient, startingToken?: string) {
    this.#client = client;
    this.#resumed = startingToken !== undefined;
    this.#nextToken = startingToken;
    this.#pages = this.#open(startingToken);
  }

  /** True once the last page has been read. */
  get done(): boolean {
    return this.#done;
  }

  /** The token of the first page not yet read; undefined when done or not started. */
  get nextToken(): string | undefined {
    return this.#done ? undefined : this.#nextToken;
  }

  /** True when an expired continuation token made the listing start again from the first page. */
  get restarted(): boolean {
    return this.#restarted;
  }

  /**
   * The next page's entries; undefined once the listing has ended. Rejects when a page fails, and
   * with a {@link ListingCapped} past {@link MAX_SECRET_PAGES} pages.
   */
  async next(): Promise<SecretListEntry[] | undefined> {
    if (this.#done) return undefined;
    if (this.#pagesRead >= MAX_SECRET_PAGES) {
      this.#done = true;
      throw new ListingCapped('ListSecrets', this.#pagesRead, 'page cap');
    }
    this.#pagesRead += 1;
    let result: IteratorResult<GuardedPage<ListSecretsCommandOutput>, void>;
    try {
      result = await this.#pages.next();
    } catch (error) {
      if (isDeadlineReached(error)) {
        // the page was never sent: the next run (the continuation) reads it from the same token
        this.#pagesRead -= 1;
        this.#pages = this.#open(this.#nextToken);
        throw error;
      }
      if (!this.#mayRestart(error)) {
        this.#done = true;
        throw error;
      }
      this.#restarted = true;
      this.#nextToken = undefined;
      this.#pages = this.#open(undefined);
      return [];
    }
    if (result.done === true) {
      this.#done = true;
      return undefined;
    }
    this.#nextToken = result.value.nextToken;
    if (this.#nextToken === undefined) this.#done = true;
    return result.value.page.SecretList ?? [];
  }

  #mayRestart(error: unknown): boolean {
    return isInvalidNextToken(error) && this.#resumed && !this.#restarted;
  }

  #open(startingToken: string | undefined) {
    const pages = secretsManagerSdk().paginateListSecrets(
      {
        client: this.#client,
        pageSize: PAGE_SIZE,
        stopOnSameToken: true,
        startingToken,
      },
      {}
    );
    return tokenGuarded(pages, startingToken);
  }
}
