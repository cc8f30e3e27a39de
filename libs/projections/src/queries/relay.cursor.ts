// Relay-style pages over lists ordered by global position. Cursors are opaque
// to clients; inside they are the position of the last item seen, so a page
// stays correct while new items are appended behind it.

/** The most items one page returns, whatever `first` asks. */
export const MAX_PAGE_SIZE = 200;

export class InvalidPageRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPageRequest';
  }
}

export interface PageRequest {
  /** Forward pagination: at most this many items after `after`. Ignored when `last` is given. */
  first?: number | null;
  /** The endCursor of the previous page; omit for the first page. */
  after?: string | null;
  /** Backward pagination: at most this many items, the ones just before `before` (or the list's last ones). */
  last?: number | null;
  /** The startCursor of the page after the one wanted. */
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/**
 * What to read for one request: the positions strictly between `above` and
 * `below`, `limit` rows (one more than shown, to learn whether more exist),
 * in ascending order, or descending when `backward`.
 */
export interface PageWindow {
  backward: boolean;
  size: number;
  limit: number;
  above: bigint;
  below: bigint;
  /** Whether a cursor bounds the read on the side the page does not grow towards (so items exist there). */
  boundedBehind: boolean;
}

/** Above every position a store gives out (SQLite integers are signed 64-bit). */
const END_OF_LIST = 2n ** 63n - 1n;

const CURSOR_PREFIX = 'p:';

export const encodeCursor = (position: bigint): string =>
  Buffer.from(`${CURSOR_PREFIX}${position}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{1,20}$/.test(digits) || encodeCursor(BigInt(digits)) !== cursor) {
    throw new InvalidPageRequest('The cursor is not one this list gave out');
  }
  return BigInt(digits);
}

/** `first` (or `last`) as every list takes it: a negative or fractional one is refused, one larger than `largest` clamped. */
export function pageLength(count: number, largest: number = MAX_PAGE_SIZE, name: 'first' | 'last' = 'first'): number {
  if (!Number.isInteger(count) || count < 0) throw new InvalidPageRequest(`${name} must be a non-negative integer`);
  return Math.min(count, largest);
}

/** How many rows to read: `first` within [0, MAX_PAGE_SIZE], plus one to learn whether a next page exists. */
export function rowsToRead(first: number): number {
  return pageLength(first) + 1;
}

/** Where to start reading: after the cursor's position, or from the beginning. */
export const startAfter = (after: string | null | undefined): bigint =>
  after === undefined || after === null ? -1n : decodeCursor(after);

/** Where to stop reading: before the cursor's position, or at the end. */
export const stopBefore = (before: string | null | undefined): bigint =>
  before === undefined || before === null ? END_OF_LIST : decodeCursor(before);

/**
 * The window a Relay request reads. `last` wins over `first`: `first` has a
 * default in the schema, which would otherwise cut a backward page short.
 */
export function pageWindow(request: PageRequest, defaultFirst: number): PageWindow {
  const backward = request.last !== undefined && request.last !== null;
  const size = backward
    ? pageLength(request.last as number, MAX_PAGE_SIZE, 'last')
    : pageLength(request.first ?? defaultFirst);
  const hasAfter = request.after !== undefined && request.after !== null;
  const hasBefore = request.before !== undefined && request.before !== null;
  return {
    backward,
    size,
    limit: size + 1,
    above: startAfter(request.after),
    below: stopBefore(request.before),
    boundedBehind: backward ? hasBefore : hasAfter,
  };
}

/**
 * Builds the page from up to `window.limit` rows read in the window's order
 * (descending when backward); nodesOf sees only the rows shown, in list order.
 */
export function toPage<Row, T>(
  rows: readonly Row[],
  window: PageWindow,
  positionOf: (row: Row) => bigint,
  nodesOf: (rows: readonly Row[]) => T[],
): Page<T> {
  const taken = rows.slice(0, window.size);
  const shown = window.backward ? [...taken].reverse() : taken;
  const nodes = nodesOf(shown);
  const edges = shown.map((row, index) => ({ cursor: encodeCursor(positionOf(row)), node: nodes[index] }));
  const more = rows.length > taken.length;
  return {
    edges,
    pageInfo: {
      hasNextPage: window.backward ? window.boundedBehind : more,
      hasPreviousPage: window.backward ? more : window.boundedBehind,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
