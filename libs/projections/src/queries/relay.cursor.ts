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
  first: number;
  /** The endCursor of the previous page; omit for the first page. */
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

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

/** `first` as every list takes it: a negative or fractional one is refused, one larger than `largest` clamped. */
export function pageLength(first: number, largest: number = MAX_PAGE_SIZE): number {
  if (!Number.isInteger(first) || first < 0) throw new InvalidPageRequest('first must be a non-negative integer');
  return Math.min(first, largest);
}

/** How many rows to read: `first` within [0, MAX_PAGE_SIZE], plus one to learn whether a next page exists. */
export function rowsToRead(first: number): number {
  return pageLength(first) + 1;
}

/** Where to start reading: after the cursor's position, or from the beginning. */
export const startAfter = (after: string | null | undefined): bigint =>
  after === undefined || after === null ? -1n : decodeCursor(after);

/** Builds the page from up to rowsToRead(first) rows read in position order; nodesOf sees only the rows shown. */
export function toPage<Row, T>(
  rows: readonly Row[],
  first: number,
  positionOf: (row: Row) => bigint,
  nodesOf: (rows: readonly Row[]) => T[],
): Page<T> {
  const shown = rows.slice(0, Math.min(first, MAX_PAGE_SIZE));
  const nodes = nodesOf(shown);
  const edges = shown.map((row, index) => ({ cursor: encodeCursor(positionOf(row)), node: nodes[index] }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > shown.length, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null },
  };
}
