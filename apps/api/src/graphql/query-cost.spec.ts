import { bucketBounds } from '@trustline/domain';
import fc from 'fast-check';
import { Kind, parse, buildSchema, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { earliestTrendFrom, estimateCost, trendBucketCount } from './query-cost';
import { QUERY_LIMITS } from './query-limits';

// A slice of the contract's schema: the fields the cost model prices.
const schema = buildSchema(`
  scalar DateTime
  enum TrendBucket { WEEK MONTH }
  type TrustScore { score: Float! }
  type TrustPoint { at: DateTime! score: Float! }
  type TrendPoint { start: DateTime! }
  type Relationship { id: ID! trust(asOf: DateTime): TrustScore! trustTrajectory(from: DateTime, to: DateTime): [TrustPoint!]! }
  type RelationshipEdge { node: Relationship! }
  type RelationshipConnection { edges: [RelationshipEdge!]! }
  type Program {
    id: ID!
    relationships(first: Int = 50): RelationshipConnection!
    trustTrend(bucket: TrendBucket = WEEK, from: DateTime, to: DateTime): [TrendPoint!]!
  }
  type RelationshipSnapshot { eventsApplied: Int! }
  type Query {
    program(id: ID!): Program
    relationship(id: ID!): Relationship
    relationshipAsOf(relationshipId: ID!, at: DateTime!, knownAt: DateTime): RelationshipSnapshot
  }
`);

const NOW = Date.parse('2026-06-01T00:00:00Z');

function estimate(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return estimateCost({ schema, operation, fragments, variables, now: NOW });
}

describe('the cost of an operation', () => {
  it('counts every alias of a field each time', () => {
    const one = estimate('{ a: relationship(id: "r") { trustTrajectory { score } } }').cost;
    const ten = estimate(
      `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: relationship(id: "r") { trustTrajectory { score } } `).join('')} }`,
    );
    expect(ten.cost).toBe(10 * one);
    expect(ten.rootFields).toBe(10);
  });

  it('counts a fragment each time it is spread, without walking it again', () => {
    const fragment = 'fragment T on Relationship { trustTrajectory { score } }';
    const once = estimate(`{ relationship(id: "r") { ...T } } ${fragment}`).cost;
    const twice = estimate(`{ relationship(id: "r") { ...T ...T } } ${fragment}`).cost;
    expect(twice - once).toBe(once - estimate('{ relationship(id: "r") { id } }').cost + 1);
    // 2^40 spreads priced in linear time.
    const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(
      ' ',
    );
    expect(estimate(`{ ...F0 } ${chain} fragment F40 on Query { relationship(id: "r") { id } }`).cost).toBeGreaterThan(
      2 ** 40,
    );
  });

  it('prices a page by the page it can return, from a literal or a variable', () => {
    const literal = estimate('{ program(id: "p") { relationships(first: 100) { edges { node { id } } } } }').cost;
    const variable = estimate(
      'query ($n: Int) { program(id: "p") { relationships(first: $n) { edges { node { id } } } } }',
      { n: 100 },
    ).cost;
    const small = estimate('{ program(id: "p") { relationships(first: 1) { edges { node { id } } } } }').cost;
    expect(variable).toBe(literal);
    // Each of the 99 more edges answers an edge and a node (objects) with its id.
    expect(literal - small).toBeGreaterThanOrEqual(99 * 2);
  });

  it('prices an as-of replay by the firings its instant reaches beyond now', () => {
    const today = estimate(
      '{ relationshipAsOf(relationshipId: "r", at: "2026-06-01T00:00:00Z") { eventsApplied } }',
    ).cost;
    const nextYear = estimate(
      '{ relationshipAsOf(relationshipId: "r", at: "2027-05-31T00:00:00Z") { eventsApplied } }',
    ).cost;
    expect(nextYear).toBeGreaterThan(today);
  });

  it('prices a trend by its buckets', () => {
    const year = estimate('{ program(id: "p") { trustTrend(from: "2025-06-01T00:00:00Z") { start } } }').cost;
    const month = estimate('{ program(id: "p") { trustTrend(from: "2026-05-01T00:00:00Z") { start } } }').cost;
    expect(year).toBeGreaterThan(10 * month);
  });

  it.each([
    ['at', '{ relationshipAsOf(relationshipId: "r", at: "9999-01-01T00:00:00Z") { eventsApplied } }'],
    [
      'knownAt',
      '{ relationshipAsOf(relationshipId: "r", at: "2026-01-01T00:00:00Z", knownAt: "2030-01-01T00:00:00Z") { eventsApplied } }',
    ],
    ['asOf', '{ relationship(id: "r") { trust(asOf: "1969-12-31T00:00:00Z") { score } } }'],
    ['to', '{ relationship(id: "r") { trustTrajectory(to: "2099-01-01T00:00:00Z") { score } } }'],
    ['from', '{ program(id: "p") { trustTrend(from: "0001-01-01T00:00:00Z") { start } } }'],
  ])('refuses an instant outside its window, naming %s', (argument, query) => {
    expect(() => estimate(query)).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          violations: [expect.objectContaining({ field: argument })],
        }),
      }),
    );
  });
});

describe('trend buckets', () => {
  const instant = fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') });
  const bucket = fc.constantFrom<'WEEK' | 'MONTH'>('WEEK', 'MONTH');

  it('are counted as the domain walks them', () => {
    fc.assert(
      fc.property(bucket, instant, fc.integer({ min: 0, max: 5 * 365 * 86_400_000 }), (kind, from, span) => {
        expect(trendBucketCount(kind, from, from + span)).toBe(bucketBounds(kind, from, from + span).length);
      }),
    );
  });

  it('start no earlier than the most a trend answers', () => {
    fc.assert(
      fc.property(bucket, instant, (kind, to) => {
        expect(trendBucketCount(kind, earliestTrendFrom(kind, to), to)).toBe(QUERY_LIMITS.maxTrendBuckets);
      }),
    );
  });
});

describe('an estimate the same for every request', () => {
  it.each<[string, string, Record<string, unknown>, boolean]>([
    ['literals only', '{ relationship(id: "r") { trust { score } } }', {}, true],
    ['an id from a non-null variable', 'query ($id: ID!) { relationship(id: $id) { id } }', { id: 'r' }, true],
    ['an id from a nullable variable', 'query ($id: ID) { relationship(id: $id) { id } }', { id: 'r' }, false],
    [
      'a priced argument from a variable',
      'query ($first: Int!) { program(id: "p") { relationships(first: $first) { edges { node { id } } } } }',
      { first: 10 },
      false,
    ],
    [
      'an as-of instant from a variable',
      'query ($at: DateTime!) { relationship(id: "r") { trust(asOf: $at) { score } } }',
      { at: '2026-06-02T00:00:00Z' },
      false,
    ],
    [
      'an as-of literal (checked against now)',
      '{ relationship(id: "r") { trust(asOf: "2026-06-02T00:00:00Z") { score } } }',
      {},
      false,
    ],
    [
      'an explicit trend start',
      '{ program(id: "p") { trustTrend(from: "2026-01-05T00:00:00Z") { start } } }',
      {},
      false,
    ],
    [
      'a trend with both ends (`to` checked against now)',
      '{ program(id: "p") { trustTrend(from: "2026-01-05T00:00:00Z", to: "2026-03-02T00:00:00Z") { start } } }',
      {},
      false,
    ],
    ['a default trend', '{ program(id: "p") { trustTrend { start } } }', {}, true],
  ])('%s: %s', (_case, query, variables, same) => {
    expect(estimate(query, variables).sameForEveryRequest).toBe(same);
  });
});
