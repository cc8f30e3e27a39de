import type Database from 'better-sqlite3';
import type { Recorded } from '@trustline/domain';
import type { StreamType } from '@trustline/event-store';
import { DocumentCache } from './document.cache';
import { DocumentJson } from './document.json';
import { domainFact, type EventOfStream } from './projected-event';
import {
  assertIdentifiers,
  indexStatements,
  type ColumnType,
  type Projection,
  type ProjectionWriter,
  type SqlValue,
} from './projection.definition';
import { PROJECTION_TUNING } from './projection.tuning';

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
  /**
   * Optional: evolve for a non-null state that may be changed in place and
   * returned. The writer passes it only states it made itself in the open
   * transaction (from a document created there: nobody else holds any object
   * of them), until it writes them; it must give what evolve gives.
   */
  readonly evolveOwned?: (state: State, fact: Recorded<EventOfStream[S]>) => State | null;
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

/**
 * foldDocument for a document the caller owns, its state (see evolveOwned) and the StoredDocument itself:
 * both are changed in place, and the same document is returned changed (no new object per fact).
 */
function foldOwned<State, S extends StreamType>(
  evolveOwned: (state: State, fact: Recorded<EventOfStream[S]>) => State | null,
  doc: StoredDocument<State>,
  fact: Recorded<EventOfStream[S]>,
): StoredDocument<State> {
  if (fact.revision <= doc.revision) return doc;
  const state = evolveOwned(doc.state, fact);
  if (state === null) return doc;
  const owned = doc as { -readonly [K in keyof StoredDocument<State>]: StoredDocument<State>[K] };
  owned.revision = fact.revision;
  owned.state = state;
  return owned;
}

/** The fold of one stream's document, in the shape libs/testing's ProjectionSpecification takes. */
export const documentFold = <State, S extends StreamType>(spec: DocumentProjectionSpec<State, S>, id: string) => ({
  initialState: (): StoredDocument<State> | null => null,
  evolve: (doc: StoredDocument<State> | null, fact: Recorded<EventOfStream[S]>) => foldDocument(spec, id, doc, fact),
});

/** Reads documents for the query side. */
export interface DocumentReader<State> {
  /** The documents that exist among these ids. */
  byIds(ids: readonly string[]): Map<string, State>;
  /** The documents of rows already selected from the table (`id` and `doc` columns), in their order. */
  assemble(rows: readonly { id: string; doc: string }[]): State[];
}

export interface DocumentProjection<State, S extends StreamType> extends Projection {
  readonly kind: 'document';
  readonly spec: DocumentProjectionSpec<State, S>;
  reader(db: Database.Database): DocumentReader<State>;
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

  // One cache per connection, filled by its writer with the documents it folded (parsed, as committed) and read by
  // the readers of the same connection too: a mutation's read-your-writes reads back the document just folded
  // instead of parsing its JSON again.
  const caches = new WeakMap<Database.Database, DocumentCache<StoredDocument<State>>>();
  const cacheOf = (db: Database.Database): DocumentCache<StoredDocument<State>> => {
    let cache = caches.get(db);
    if (cache === undefined) {
      cache = new DocumentCache<StoredDocument<State>>(PROJECTION_TUNING.documentCacheBytes);
      caches.set(db, cache);
    }
    return cache;
  };

  const prepare = (db: Database.Database): ProjectionWriter => {
    const load = db.prepare(`SELECT revision, position, doc FROM ${table} WHERE id = ?`).safeIntegers(true);
    const names = ['id', 'revision', 'position', 'doc', ...columns];
    const updates = ['revision', 'doc', ...columns].map((name) => `${name} = excluded.${name}`).join(', ');
    const save = db.prepare(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ` +
        `ON CONFLICT (id) DO UPDATE SET ${updates}`,
    );
    // Committed documents, parsed: a document touched again is neither read nor parsed again. Only this writer
    // changes them between its batches (ReadModelDatabase rolls the writers back when another process wrote).
    const cache = cacheOf(db);
    const read = (id: string): StoredDocument<State> | null => {
      const cached = cache.get(id);
      if (cached !== undefined) return cached;
      const row = load.get(id) as DocumentRow | undefined;
      if (row === undefined) return null;
      const doc = { id, revision: Number(row.revision), position: row.position, state: JSON.parse(row.doc) as State };
      cache.set(id, doc, row.doc.length);
      return doc;
    };
    // Each document the transaction changes is read once and written once, at
    // flush, unless more documents than the bound change: then the first ones
    // are written early, to keep memory bounded.
    const touched = new Map<string, StoredDocument<State>>();
    // The documents of `touched` created in this transaction: they (the StoredDocument and its state) are this
    // writer's alone until written, so they are changed in place (a rebuild creates every document: no copy per fact).
    const owned = new Set<string>();
    const evolveOwned = spec.evolveOwned;
    // A big document written again serialises only what its fold changed (the JSON of unchanged promises,
    // meetings… is reused): the cost of its write follows the change, not its size. Small ones, and the many
    // documents a rebuild writes once, are plainly stringified.
    const json = new DocumentJson();
    const writeTouched = (): void => {
      for (const [id, doc] of touched) {
        const before = cache.sizeOf(id) ?? 0;
        const text =
          before >= PROJECTION_TUNING.documentJsonReuseFrom ? json.stringify(doc.state) : JSON.stringify(doc.state);
        save.run(doc.id, doc.revision, doc.position, text, ...values.map((value) => value(doc.state)));
        cache.set(id, doc, text.length);
      }
      touched.clear();
      owned.clear();
    };
    return {
      apply(events) {
        for (const event of events) {
          const fact = domainFact(event, spec.streamType);
          if (fact === null || event.stream === null) continue;
          const id = event.stream.id;
          const before = touched.get(id) ?? read(id);
          const after =
            evolveOwned !== undefined && before !== null && owned.has(id)
              ? foldOwned(evolveOwned, before, fact)
              : foldDocument(spec, id, before, fact);
          if (after === before || after === null) continue;
          touched.set(id, after);
          if (before === null && evolveOwned !== undefined) owned.add(id);
          if (touched.size > PROJECTION_TUNING.documentsInFlight) writeTouched();
        }
      },
      flush: writeTouched,
      rollback() {
        touched.clear();
        owned.clear();
        cache.clear();
      },
    };
  };

  const reader = (db: Database.Database): DocumentReader<State> => {
    const byIds = db.prepare(`SELECT id, doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`);
    const revisions = db
      .prepare(`SELECT id, revision FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`)
      .raw(true);
    const cache = cacheOf(db);
    const assemble = (rows: readonly { id: string; doc: string }[]): State[] =>
      rows.map((row) => JSON.parse(row.doc) as State);
    return {
      byIds(ids) {
        const found = new Map<string, State>();
        if (ids.length === 0) return found;
        let parse: readonly string[] = ids;
        if (cache.count > 0) {
          // A document the writer holds at the revision stored is the one stored (another process may have
          // written the file since: then the revisions differ and the stored one is parsed).
          const missing: string[] = [];
          for (const [id, revision] of revisions.all(JSON.stringify(ids)) as [string, number][]) {
            const held = cache.get(id);
            if (held !== undefined && held.revision === revision) found.set(id, held.state);
            else missing.push(id);
          }
          parse = missing;
        }
        if (parse.length === 0) return found;
        for (const row of byIds.all(JSON.stringify(parse)) as { id: string; doc: string }[]) {
          found.set(row.id, JSON.parse(row.doc) as State);
        }
        return found;
      },
      assemble,
    };
  };

  const indexes = indexStatements(table, spec.indexes);
  return { kind: 'document', name: spec.name, version: spec.version, spec, tables, indexes, prepare, reader };
}
