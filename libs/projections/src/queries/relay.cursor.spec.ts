import {
  decodeCursor,
  encodeCursor,
  InvalidPageRequest,
  MAX_PAGE_SIZE,
  pageLength,
  pageWindow,
  type PageRequest,
  rowsToRead,
  startAfter,
  stopBefore,
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
  // Reads the rows as the SQL would: within the window's bounds, in its order, up to its limit.
  const page = (request: PageRequest, stored = rows) => {
    const window = pageWindow(request, 50);
    const inside = stored.filter((row) => row.position > window.above && row.position < window.below);
    const ordered = window.backward ? [...inside].reverse() : inside;
    return toPage(
      ordered.slice(0, window.limit),
      window,
      (row) => row.position,
      (shown) => shown.map((row) => row.name),
    );
  };
  const names = (result: ReturnType<typeof page>) => result.edges.map((edge) => edge.node);

  it('has a next page when more rows were read than asked for', () => {
    const result = page({ first: 2 });
    expect(names(result)).toEqual(['at 10', 'at 20']);
    expect(result.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor(10n),
      endCursor: encodeCursor(20n),
    });
  });

  it('is the last page when no extra row came back', () => {
    expect(page({ first: 3 }).pageInfo.hasNextPage).toBe(false);
  });

  it('has a previous page when it starts after a cursor', () => {
    const result = page({ first: 2, after: encodeCursor(10n) });
    expect(names(result)).toEqual(['at 20', 'at 30']);
    expect(result.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('has no cursors when empty', () => {
    expect(page({ first: 5 }, []).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('gives each edge the cursor of its own position', () => {
    expect(page({ first: 3 }).edges.map((edge) => decodeCursor(edge.cursor))).toEqual([10n, 20n, 30n]);
  });

  it('reads backwards with last: the list ends, still in list order', () => {
    const result = page({ last: 2 });
    expect(names(result)).toEqual(['at 20', 'at 30']);
    expect(result.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: encodeCursor(20n),
      endCursor: encodeCursor(30n),
    });
  });

  it('reads the items just before a cursor with last and before', () => {
    const result = page({ last: 1, before: encodeCursor(30n) });
    expect(names(result)).toEqual(['at 20']);
    expect(result.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('pages back to the start and says so', () => {
    const result = page({ last: 5, before: encodeCursor(20n) });
    expect(names(result)).toEqual(['at 10']);
    expect(result.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('lets last win over a default first', () => {
    expect(names(page({ first: 50, last: 1 }))).toEqual(['at 30']);
  });

  it('keeps both bounds when after and before are given', () => {
    expect(names(page({ first: 10, after: encodeCursor(10n), before: encodeCursor(30n) }))).toEqual(['at 20']);
  });

  it.each([-1, 1.5])('refuses last = %p', (last) => {
    expect(() => pageWindow({ last }, 50)).toThrow(InvalidPageRequest);
  });

  it('refuses a before cursor it did not give out', () => {
    expect(() => stopBefore('bogus')).toThrow(InvalidPageRequest);
  });
});
