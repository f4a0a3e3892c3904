/**
 * The sweep's listings end on an absent, empty or repeated token: the token guard on its own (a
 * hand-made paginator), then the SDK paginators against the emulator answering its last page with
 * `""` or repeating a token (a hang here is the bug: jest's timeout fails the test).
 */
import type { Paginator } from '@smithy/types';
import { LastPageToken } from '../../../emulator/secrets-manager/index.js';
import { SecretListing } from '../../../src/aws/listing.js';
import { tokenGuarded } from '../../../src/aws/token-guard.js';
import { listVersions } from '../../../src/aws/versions.js';
import { useEmulator } from '../../emulator/support.js';

interface FakePage {
  id: number;
  NextToken?: string;
}

/** A paginator over `tokens`: page i carries tokens[i]; it stops only when told the list is over. */
const fakePaginator = (tokens: readonly (string | undefined)[]) => {
  const requested: number[] = [];
  async function* pages(): Paginator<FakePage> {
    for (const [id, token] of tokens.entries()) {
      requested.push(id);
      yield token === undefined ? { id } : { id, NextToken: token };
    }
    throw new Error('the paginator was asked for more pages than it has');
  }
  return { pages: pages(), requested };
};

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

describe('tokenGuarded', () => {
  it.each([
    { case: 'an absent token', tokens: ['a', 'b', undefined], start: undefined, pages: 3 },
    { case: 'an empty token', tokens: ['a', 'b', ''], start: undefined, pages: 3 },
    { case: 'the token just sent', tokens: ['a', 'a'], start: undefined, pages: 2 },
    { case: 'a token seen two pages back', tokens: ['a', 'b', 'a'], start: undefined, pages: 3 },
    { case: 'the starting token', tokens: ['b', 's'], start: 's', pages: 2 },
  ])('ends the listing on $case', async ({ tokens, start, pages }) => {
    // Prepare
    const fake = fakePaginator(tokens);

    // Act
    const listed = await collect(tokenGuarded(fake.pages, start));

    // Assess
    expect(listed.map((entry) => entry.page.id)).toEqual(fake.requested);
    expect(listed).toHaveLength(pages);
    expect(listed.at(-1)?.nextToken).toBeUndefined();
    expect(listed.slice(0, -1).map((entry) => entry.nextToken)).toEqual(tokens.slice(0, -1));
  });
});

describe('listings against a service that ends or repeats tokens oddly', () => {
  const under = useEmulator();

  beforeEach(() => {
    under.emulator.store.clear();
    under.emulator.store.lastPageToken = LastPageToken.Absent;
    under.emulator.store.repeatToken = false;
  });

  /** Seeds `count` secrets stuck after a failed rotation; returns their ARNs. */
  const seed = (count: number): string[] =>
    Array.from(
      { length: count },
      (_, i) =>
        under.emulator.store.seedFailedRotation({
          name: `listing/secret-${String(i).padStart(3, '0')}`,
          step: 'setSecret',
        }).arn
    );

  it.each([
    { quirk: 'last page with an empty token', lastPageToken: LastPageToken.Empty, repeat: false },
    { quirk: 'a repeated token', lastPageToken: LastPageToken.Absent, repeat: true },
  ])('ListSecrets ends on a $quirk, each page read once', async ({ lastPageToken, repeat }) => {
    // Prepare
    const arns = seed(250);
    under.emulator.store.lastPageToken = lastPageToken;
    under.emulator.store.repeatToken = repeat;
    under.emulator.resetCalls();
    const listing = new SecretListing(under.client);

    // Act
    const listed: string[] = [];
    for (let page = await listing.next(); page !== undefined; page = await listing.next()) {
      listed.push(...page.map((entry) => entry.ARN ?? ''));
    }

    // Assess
    expect(listing.done).toBe(true);
    expect(listing.nextToken).toBeUndefined();
    expect(under.emulator.calls.filter((c) => c.operation === 'ListSecrets')).toHaveLength(
      repeat ? 2 : 3
    );
    expect(new Set(listed)).toEqual(new Set(repeat ? arns.slice(0, 200) : arns));
  });

  it.each([
    { quirk: 'last page with an empty token', lastPageToken: LastPageToken.Empty, repeat: false },
    { quirk: 'a repeated token', lastPageToken: LastPageToken.Absent, repeat: true },
  ])('ListSecretVersionIds ends on a $quirk', async ({ lastPageToken, repeat }) => {
    // Prepare
    const [arn] = seed(1);
    under.emulator.store.lastPageToken = lastPageToken;
    under.emulator.store.repeatToken = repeat;
    under.emulator.store.emptyPagesEvery = 1;
    under.emulator.resetCalls();

    // Act
    const versions = await listVersions(under.client, arn ?? '');

    // Assess
    expect(versions.flatMap((v) => v.VersionStages ?? [])).toEqual(
      expect.arrayContaining(['AWSCURRENT', 'AWSPENDING'])
    );
    const calls = under.emulator.calls.filter((c) => c.operation === 'ListSecretVersionIds');
    expect(calls.length).toBeLessThanOrEqual(3);
    under.emulator.store.emptyPagesEvery = undefined;
  });

  it('a continuation token ends the listing when the service hands it back again', async () => {
    // Prepare
    seed(150);
    const first = new SecretListing(under.client);
    await first.next();
    const token = first.nextToken;
    under.emulator.store.repeatToken = true;
    under.emulator.resetCalls();

    // Act
    const resumed = new SecretListing(under.client, token);
    const page = await resumed.next();
    const after = await resumed.next();

    // Assess
    expect(page).toHaveLength(50);
    expect(after).toBeUndefined();
    expect(resumed.done).toBe(true);
    expect(under.emulator.calls.filter((c) => c.operation === 'ListSecrets')).toHaveLength(1);
  });
});
