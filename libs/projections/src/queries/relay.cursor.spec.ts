import {
  decodeCursor,
  encodeCursor,
  InvalidPageRequest,
  MAX_PAGE_SIZE,
  pageLength,
  rowsToRead,
  startAfter,
  toPage,
} from './relay.cursor';

describe('a cursor', () => {
  it('gives back the position it was made from, beyond 2^53', () => {
    const position = 2n ** 60n + 7n;
    expect(decodeCursor(encodeCursor(position))).toBe(position);
  });

  it('is opaque: no raw number shows through', () => {
    expect(encodeCursor(42n)).not.toContain('42');
  });

  it.each(['', 'not a cursor', Buffer.from('p:-1').toString('base64url'), Buffer.from('p:007').toString('base64url')])(
    'is refused when it was not given out by a list (%j)',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(InvalidPageRequest);
    },
  );

  it('is optional: without one a list starts before every position', () => {
    expect(startAfter(undefined)).toBe(-1n);
    expect(startAfter(null)).toBe(-1n);
  });
});

describe('a page request', () => {
  it('reads one row more than it returns, to learn whether there is a next page', () => {
    expect(rowsToRead(10)).toBe(11);
  });

  it(`returns at most ${MAX_PAGE_SIZE} items, whatever first asks`, () => {
    expect(rowsToRead(10_000)).toBe(MAX_PAGE_SIZE + 1);
  });

  it.each([-1, 1.5, Number.NaN])('refuses first = %p', (first) => {
    expect(() => rowsToRead(first)).toThrow(InvalidPageRequest);
    expect(() => pageLength(first, 500)).toThrow(InvalidPageRequest);
  });

  it('clamps first to the largest page of its own list', () => {
    expect([0, 499, 500, 501].map((first) => pageLength(first, 500))).toEqual([0, 499, 500, 500]);
    expect(pageLength(10_000)).toBe(MAX_PAGE_SIZE);
  });
});

describe('a page', () => {
  const rows = [10n, 20n, 30n].map((position) => ({ position, name: `at ${position}` }));
  const page = (first: number, read = rows) =>
    toPage(read, first, (row) => row.position, (shown) => shown.map((row) => row.name));

  it('has a next page when more rows were read than asked for', () => {
    const result = page(2);
    expect(result.edges.map((edge) => edge.node)).toEqual(['at 10', 'at 20']);
    expect(result.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(20n) });
  });

  it('is the last page when no extra row came back', () => {
    expect(page(3).pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(30n) });
  });

  it('has no end cursor when empty', () => {
    expect(page(5, []).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('gives each edge the cursor of its own position', () => {
    expect(page(3).edges.map((edge) => decodeCursor(edge.cursor))).toEqual([10n, 20n, 30n]);
  });
});
