import { PAGE_SIZES } from './page-sizes';

const DAY_MS = 24 * 60 * 60 * 1000;

// What one request may ask of the server, in one place. The cost model
// (query-cost.ts), the shape rules (query-shape.rules.ts), the deadline and the
// transport limits all read their numbers from here; BENCHMARKS.md records the
// worst operation these let through (npm run bench:abuse).
export const QUERY_LIMITS = {
  /** Nesting deeper than this is refused before execution (fragments add no depth of their own). */
  maxDepth: 10,
  /**
   * Brackets ({, [, () nested in a document's text, checked before graphql-js
   * parses it (document-nesting.ts): far above maxDepth, far below what exhausts its recursion.
   */
  maxNesting: 64,
  /** Aliased fields per operation, fragments included. */
  maxAliases: 30,
  /** Root fields per operation, counted through fragments, repeats included. */
  maxRootFields: 20,
  /** Directives per operation. */
  maxDirectives: 20,
  /**
   * Lexical tokens per document: the parser stops past this. It also bounds
   * validation's own work, which grows with the square of a field repeated
   * without an alias (graphql-js compares every pair for merging).
   */
  maxTokens: 20_000,
  /** The largest estimated cost (query-cost.ts) an operation may have. */
  maxCost: 10_000,
  /** A request still resolving fields after this is answered with what it has, and the rest refused. */
  executionDeadlineMs: 10_000,
  /** The largest page any list returns (lists clamp `first`), so a larger `first` costs no more. */
  largestPage: Math.max(PAGE_SIZES.largestList, PAGE_SIZES.largestHistory),
  /** trustTrend answers at most this many buckets (10 years of weeks). */
  maxTrendBuckets: 520,
  /** As-of instants (asOf, at, to, knownAt) lie in [earliestInstant, now + maxAheadMs]. */
  earliestInstant: '1970-01-01T00:00:00.000Z',
  maxAheadMs: 366 * DAY_MS,
  /**
   * What the cost model assumes of data it cannot see before execution: the
   * work a field can touch is priced by these, and the deadline bounds the rest.
   */
  assumed: {
    /** Events in one relationship's stream. */
    eventsPerRelationship: 500,
    /** Relationships in one program. */
    relationshipsPerProgram: 200,
    /**
     * Items of a list the document cannot bound (promises, meetings, contributions):
     * they are held in memory with their parent, so a page of 50 relationships with
     * their promises and meetings stays well within maxCost.
     */
    itemsPerList: 30,
    /** Contributions of one trajectory point: the rules one event or firing moves (trust-model-v1.md). */
    contributionsPerPoint: 8,
    /** Time-triggered firings (cadence gaps of both parties, overdue promises) per day replayed beyond now. */
    firingsPerDay: 3,
  },
  /** The price of each kind of work, in cost units (a plain field costs 1). */
  price: {
    /** A field that selects an object (or a list of them). */
    field: 1,
    /** A scalar or enum field: a value already computed with its parent. */
    leaf: 0.2,
    /** One mutation: a command decided, appended and projected. */
    write: 20,
    /** Reading a relationship's cached evidence summary (trust, cadence). */
    summary: 2,
    /** Replaying one event of a stream (trajectory, as-of, history verification). */
    replayedEvent: 0.5,
    /** Scoring one relationship in one trend bucket. */
    trendCell: 0.05,
    /** Reading and decoding one stored relationship while filtering a program's list (every one is read, per alias). */
    scannedRelationship: 0.5,
  },
} as const;

/** HTTP transport limits (transport-limits.ts). */
export const TRANSPORT_LIMITS = {
  /** Requests up to this size are processed; larger bodies get HTTP 413 (the contract's rule). */
  maxBodyBytes: 1024 * 1024,
  /** A client must have sent its headers by then, and its whole request body by `requestMs`. */
  headersMs: 10_000,
  requestMs: 20_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: 5_000,
} as const;
