import type Database from 'better-sqlite3';
import type { ProjectedEvent } from './projected-event';

// Projections are declared, not programmed against SQLite: a document
// projection (document.projection.ts) is a pure fold per stream, a row
// projection (row.projection.ts) a pure function from one event to a row.
// Generic code owns every read and write, so the runner can put a whole
// batch and its checkpoint in one transaction.

export type SqlValue = string | number | bigint | null;
export type ColumnType = 'TEXT' | 'INTEGER' | 'REAL';

/** What the runner needs of any projection. */
export interface Projection {
  readonly name: string;
  /** Bump when the tables or what they hold change: the read database is then rebuilt from the events. */
  readonly version: number;
  /** Idempotent DDL (CREATE TABLE IF NOT EXISTS), run on every open. */
  readonly tables: readonly string[];
  /** Idempotent DDL (CREATE INDEX IF NOT EXISTS); a rebuild runs it once the rows are in, which is faster. */
  readonly indexes: readonly string[];
  prepare(db: Database.Database, context?: WriterContext): ProjectionWriter;
}

/** What a writer is told of the file it writes. */
export interface WriterContext {
  /**
   * True for a file being built from the first event on (a rebuild): every
   * event the file will hold passes through this writer, in this process, in
   * position order. A writer may keep what it needs of them for its refresh
   * instead of reading it back (see relationship-evidence.projection.ts).
   */
  readonly rebuild: boolean;
  /** In a rebuild, about how many bytes of events a writer may keep for its refresh (PROJECTION_TUNING.rebuildKeptBytes). */
  readonly keptBytes: number;
}

/** Used inside the caller's transaction: apply (once or more), then flush, then the caller commits. */
export interface ProjectionWriter {
  /** Applies events; an event applied before changes nothing. Writes may wait for flush. */
  apply(events: readonly ProjectedEvent[]): void;
  /** Writes what apply kept back. */
  flush(): void;
  /** The caller's transaction rolled back: forget anything remembered from it. */
  rollback(): void;
  /**
   * For a projection of rows derived from the events AND the time (which a
   * new instant can make stale with no new event): derives again, as of
   * `now`, at most `limit` rows that are missing or no longer current, and
   * returns how many. Runs in the caller's transaction, after the batches.
   */
  refresh?(now: number, limit: number): number;
}

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

export function assertIdentifiers(...names: string[]): void {
  for (const name of names) {
    if (!IDENTIFIER.test(name)) throw new Error(`${JSON.stringify(name)} is not a valid table or column name`);
  }
}

export const indexStatements = (table: string, indexes: readonly (readonly string[])[]): string[] =>
  indexes.map((index) => `CREATE INDEX IF NOT EXISTS ${table}_by_${index.join('_')} ON ${table} (${index.join(', ')})`);
