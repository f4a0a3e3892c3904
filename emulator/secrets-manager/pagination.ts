import { EmulatorError, ErrorName } from './errors.js';

/** Where the next page starts, and how many pages were served before it. */
interface Cursor {
  offset: number;
  page: number;
}

/** Paging parameters of one list call. */
export interface PageRequest {
  /** What is being listed (a token from another listing is rejected). */
  scope: string;
  maxResults: number | undefined;
  nextToken: string | undefined;
  /**
   * When set to N ≥ 1: the first page, and then one page after every N pages with content, come back
   * empty yet carry a NextToken (only while items remain), so clients must loop until the token is absent.
   */
  emptyPagesEvery: number | undefined;
  /** How the last page marks its end; default {@link LastPageToken.Absent}, as AWS does. */
  lastPageToken?: LastPageToken | undefined;
  /**
   * When true, a page asked for with a token answers with that same token again (a broken
   * service): a client that follows tokens blindly lists the same page for ever.
   */
  repeatToken?: boolean | undefined;
}

/** How a listing's last page marks its end. */
export const LastPageToken = {
  /** No NextToken at all (AWS). */
  Absent: 'absent',
  /** `"NextToken": ""` (moto 5.2's ListSecretVersionIds). */
  Empty: 'empty',
  /**
   * A new token on every page, for ever (a broken or hostile endpoint): past the last item each
   * page is empty and names the next one, so only a client's own cap ends the listing.
   */
  Endless: 'endless',
} as const;
/** One of {@link LastPageToken}. */
export type LastPageToken = (typeof LastPageToken)[keyof typeof LastPageToken];

/** One page of items and the token for the next, absent on the last page. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function encode(scope: string, cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ s: scope, o: cursor.offset, p: cursor.page })).toString(
    'base64url'
  );
}

function invalidToken(): EmulatorError {
  return new EmulatorError(ErrorName.InvalidNextToken, 'The NextToken value is invalid.');
}

function decode(scope: string, token: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidToken();
  const { s, o, p } = parsed as { s?: unknown; o?: unknown; p?: unknown };
  if (s !== scope || typeof o !== 'number' || typeof p !== 'number') throw invalidToken();
  if (!Number.isInteger(o) || o < 0 || !Number.isInteger(p) || p < 0) throw invalidToken();
  return { offset: o, page: p };
}

/** Cuts `items` into the page the request asks for. */
export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const cursor =
    request.nextToken === undefined
      ? { offset: 0, page: 0 }
      : decode(request.scope, request.nextToken);
  const every = request.emptyPagesEvery;
  const remaining = items.length - cursor.offset;
  if (every !== undefined && every >= 1 && cursor.page % (every + 1) === 0 && remaining > 0) {
    return {
      items: [],
      nextToken: encode(request.scope, { offset: cursor.offset, page: cursor.page + 1 }),
    };
  }
  const size = request.maxResults ?? Math.max(remaining, 1);
  const end = Math.min(items.length, cursor.offset + size);
  const page: Page<T> = { items: items.slice(cursor.offset, end) };
  if (request.repeatToken === true && request.nextToken !== undefined) {
    page.nextToken = request.nextToken;
  } else if (end < items.length) {
    page.nextToken = encode(request.scope, { offset: end, page: cursor.page + 1 });
  } else if (request.lastPageToken === LastPageToken.Empty) {
    page.nextToken = '';
  } else if (request.lastPageToken === LastPageToken.Endless) {
    page.nextToken = encode(request.scope, { offset: end, page: cursor.page + 1 });
  }
  return page;
}
