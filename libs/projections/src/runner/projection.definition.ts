import type Database from 'better-sqlite3';
import type { Recorded } from '@trustline/domain';
import type { StreamType } from '@trustline/event-store';
import { DocumentCache } from './document.cache';
import { domainFact, type EventOfStream, type ProjectedEvent } from './projected-event';
import { PROJECTION_TUNING } from './projection.tuning';

// Projections are declared, not programmed against SQLite: a document
// projection is a pure fold per stream, a row projection a pure function from
// one event to rows. The generic code below owns every read and write, so the
// runner can put a whole batch and its checkpoint in one transaction.

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
  prepare(db: Database.Database): ProjectionWriter;
}

/** Used inside the caller's transaction: apply (once or more), then flush, then the caller commits. */
export interface ProjectionWriter {
  /** Applies events; an event applied before changes nothing. Writes may wait for flush. */
  apply(events: readonly ProjectedEvent[]): void;
  /** Writes what apply kept back (each document touched, once). */
  flush(): void;
  /** The caller's transaction rolled back: forget anything remembered from it. */
  rollback(): void;
}

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

function assertIdentifiers(...names: string[]): void {
  for (const name of names) {
    if (!IDENTIFIER.test(name)) throw new Error(`${JSON.stringify(name)} is not a valid table or column name`);
  }
}

// ---- documents --------------------------------------------------------------

export interface DocumentColumn<State> {
  readonly type: ColumnType;
  readonly value: (state: State) => SqlValue;
}

export interface DocumentProjectionSpec<State, S extends StreamType> {
  /** Also the table name. */
  readonly name: string;
  readonly version: number;
  /** One document per stream of this type, keyed by the stream's entity id. */
  readonly streamType: S;
  /** Folds one fact into the stream's document; null while there is nothing to show yet. */
  readonly evolve: (state: State | null, fact: Recorded<EventOfStream[S]>) => State | null;
  /** Columns beside the JSON document, for filtering and ordering. */
  readonly columns: Readonly<Record<string, DocumentColumn<State>>>;
  /** Column lists to index; `position` (the creation order) may be named. */
  readonly indexes: readonly (readonly string[])[];
}

export interface StoredDocument<State> {
  readonly id: string;
  /** Stream revision of the last fact applied: a fact at or below it is a redelivery and changes nothing. */
  readonly revision: number;
  /** Global position of the fact that created the document: lists follow it. */
  readonly position: bigint;
  readonly state: State;
}

/** The pure step the document store runs for each fact. */
export function foldDocument<State, S extends StreamType>(
  spec: DocumentProjectionSpec<State, S>,
  id: string,
  doc: StoredDocument<State> | null,
  fact: Recorded<EventOfStream[S]>,
): StoredDocument<State> | null {
  if (doc !== null && fact.revision <= doc.revision) return doc;
  const state = spec.evolve(doc === null ? null : doc.state, fact);
  if (state === null) return doc;
  return { id, revision: fact.revision, position: doc === null ? fact.position : doc.position, state };
}

/** The fold of one stream's document, in the shape libs/testing's ProjectionSpecification takes. */
export const documentFold = <State, S extends StreamType>(spec: DocumentProjectionSpec<State, S>, id: string) => ({
  initialState: (): StoredDocument<State> | null => null,
  evolve: (doc: StoredDocument<State> | null, fact: Recorded<EventOfStream[S]>) => foldDocument(spec, id, doc, fact),
});

export interface DocumentProjection<State, S extends StreamType> extends Projection {
  readonly kind: 'document';
  readonly spec: DocumentProjectionSpec<State, S>;
}

interface DocumentRow {
  revision: bigint;
  position: bigint;
  doc: string;
}

export function defineDocumentProjection<State, S extends StreamType>(
  spec: DocumentProjectionSpec<State, S>,
): DocumentProjection<State, S> {
  const table = spec.name;
  const columns = Object.keys(spec.columns);
  const values = Object.values(spec.columns).map((column) => column.value);
  assertIdentifiers(table, ...columns);
  spec.indexes.forEach((index) => assertIdentifiers(...index));

  const extra = columns.map((name) => `, ${name} ${spec.columns[name].type}`).join('');
  const tables = [
    `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, revision INTEGER NOT NULL, ` +
      `position INTEGER NOT NULL, doc TEXT NOT NULL${extra})`,
  ];
  const indexes = spec.indexes.map(
    (index) => `CREATE INDEX IF NOT EXISTS ${table}_by_${index.join('_')} ON ${table} (${index.join(', ')})`,
  );

  const prepare = (db: Database.Database): ProjectionWriter => {
    const load = db.prepare(`SELECT revision, position, doc FROM ${table} WHERE id = ?`).safeIntegers(true);
    const names = ['id', 'revision', 'position', 'doc', ...columns];
    const updates = ['revision', 'doc', ...columns].map((name) => `${name} = excluded.${name}`).join(', ');
    const save = db.prepare(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ` +
        `ON CONFLICT (id) DO UPDATE SET ${updates}`,
    );
    const cache = new DocumentCache<StoredDocument<State>>(PROJECTION_TUNING.documentCacheBytes);
    const read = (id: string): StoredDocument<State> | null => {
      const cached = cache.get(id);
      if (cached !== undefined) return cached;
      const row = load.get(id) as DocumentRow | undefined;
      if (row === undefined) return null;
      const doc = { id, revision: Number(row.revision), position: row.position, state: JSON.parse(row.doc) as State };
      cache.set(id, doc, row.doc.length);
      return doc;
    };
    // Each document the transaction touches is read once and written once, at flush.
    const touched = new Map<string, StoredDocument<State> | null>();
    const changed = new Set<string>();
    return {
      apply(events) {
        for (const event of events) {
          const fact = domainFact(event, spec.streamType);
          if (fact === null || event.stream === null) continue;
          const id = event.stream.id;
          const before = touched.has(id) ? (touched.get(id) ?? null) : read(id);
          const after = foldDocument(spec, id, before, fact);
          touched.set(id, after);
          if (after !== before) changed.add(id);
        }
      },
      flush() {
        for (const id of changed) {
          const doc = touched.get(id);
          if (!doc) continue;
          const json = JSON.stringify(doc.state);
          save.run(doc.id, doc.revision, doc.position, json, ...values.map((value) => value(doc.state)));
          cache.set(id, doc, json.length);
        }
        touched.clear();
        changed.clear();
      },
      rollback() {
        touched.clear();
        changed.clear();
        cache.clear();
      },
    };
  };

  return { kind: 'document', name: spec.name, version: spec.version, spec, tables, indexes, prepare };
}

// ---- rows -------------------------------------------------------------------

export type RowShape = Record<string, SqlValue>;

export interface RowProjectionSpec<Row extends RowShape> {
  /** Also the table name. */
  readonly name: string;
  readonly version: number;
  /**
   * Besides `position`: every table is keyed by the position of the event
   * that wrote the row, so rows are appended in order, and a redelivered
   * event finds its row already there and is ignored.
   */
  readonly columns: { readonly [K in keyof Row & string]: ColumnType };
  readonly indexes: readonly (readonly (keyof Row & string | 'position')[])[];
  /** The row one event adds; null for an event this projection does not read. */
  readonly rowOf: (event: ProjectedEvent) => Row | null;
}

export interface RowProjection<Row extends RowShape> extends Projection {
  readonly kind: 'rows';
  readonly spec: RowProjectionSpec<Row>;
}

export function defineRowProjection<Row extends RowShape>(spec: RowProjectionSpec<Row>): RowProjection<Row> {
  const table = spec.name;
  const columns = Object.keys(spec.columns) as (keyof Row & string)[];
  assertIdentifiers(table, ...columns);
  spec.indexes.forEach((index) => assertIdentifiers(...index));
  if (columns.includes('position' as keyof Row & string)) {
    throw new Error(`${table}: position is the key every row table has; do not declare it`);
  }
  const definitions = columns.map((name) => `, ${name} ${spec.columns[name]}`).join('');
  const tables = [`CREATE TABLE IF NOT EXISTS ${table} (position INTEGER PRIMARY KEY${definitions})`];
  const indexes = spec.indexes.map(
    (index) => `CREATE INDEX IF NOT EXISTS ${table}_by_${index.join('_')} ON ${table} (${index.join(', ')})`,
  );

  const prepare = (db: Database.Database): ProjectionWriter => {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO ${table} (position, ${columns.join(', ')}) VALUES (?${', ?'.repeat(columns.length)})`,
    );
    return {
      apply(events) {
        for (const event of events) {
          const row = spec.rowOf(event);
          if (row !== null) insert.run(event.stored.position, ...columns.map((column) => row[column]));
        }
      },
      flush() {},
      rollback() {},
    };
  };

  return { kind: 'rows', name: spec.name, version: spec.version, spec, tables, indexes, prepare };
}
