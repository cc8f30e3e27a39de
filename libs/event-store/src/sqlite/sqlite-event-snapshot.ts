import Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store.port';
import { parseStoredJson } from '../reading/stored-json';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-file';

/** A stream of the snapshot, with how many of its events it holds. */
export interface SnapshotStream {
  readonly streamId: string;
  readonly events: number;
}

type EventTuple = [
  position: bigint,
  streamId: string,
  revision: bigint,
  id: string,
  type: string,
  data: string,
  metadata: string,
];

const toRecorded = (row: EventTuple): RecordedEvent => ({
  id: row[3],
  type: row[4],
  streamId: row[1],
  revision: row[2],
  position: row[0],
  data: parseStoredJson(row[5]),
  metadata: JSON.parse(row[6]) as Record<string, unknown>,
});

/**
 * One consistent view of the embedded store's events, for a reader that
 * needs every event once (the read-model rebuild): pages in position order,
 * or a stream whole. Its own read-only connection, in one read transaction:
 * writers of the store carry on, and what they append meanwhile is not seen.
 * Data is parsed with its stored text kept (parseStoredJson). Close it when done.
 */
export class SqliteEventSnapshot {
  private readonly statements;
  private closed = false;
  /** The last position the snapshot holds; null when the store is empty. */
  readonly last: bigint | null;

  static open(file: string): SqliteEventSnapshot {
    return new SqliteEventSnapshot(new Database(file, { readonly: true, fileMustExist: true }));
  }

  private constructor(private readonly db: Database.Database) {
    try {
      db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      // Read once, in order: the OS's cache serves; a big cache of our own would only hold memory.
      db.pragma('cache_size = -16384');
      // Every read from here on sees the store as it is at the first one.
      db.exec('BEGIN');
      this.last = db.prepare('SELECT max(position) FROM events').pluck().safeIntegers(true).get() as bigint | null;
      this.statements = {
        streams: db
          .prepare(
            'SELECT stream_id, min(position) AS first, count(*) FROM events WHERE position <= ? ' +
              'GROUP BY stream_id ORDER BY first',
          )
          .raw(true)
          .safeIntegers(true),
        page: db
          .prepare(
            'SELECT position, stream_id, revision, id, type, data, metadata FROM events ' +
              'WHERE position > ? AND position <= ? ORDER BY position LIMIT ?',
          )
          .raw(true)
          .safeIntegers(true),
        stream: db
          .prepare(
            'SELECT position, stream_id, revision, id, type, data, metadata FROM events ' +
              'WHERE stream_id = ? AND position <= ? ORDER BY revision',
          )
          .raw(true)
          .safeIntegers(true),
      };
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Every stream, in the order of its first event. */
  streams(): SnapshotStream[] {
    if (this.last === null) return [];
    return (this.statements.streams.all(this.last) as [string, bigint, bigint][]).map(([streamId, , events]) => ({
      streamId,
      events: Number(events),
    }));
  }

  /** Up to `maxCount` events after `after` (exclusive), in position order. */
  readPage(after: bigint, maxCount: number): RecordedEvent[] {
    if (this.last === null) return [];
    return (this.statements.page.all(after, this.last, maxCount) as EventTuple[]).map(toRecorded);
  }

  /** A stream's events in revision order. */
  readStream(streamId: string): RecordedEvent[] {
    if (this.last === null) return [];
    return (this.statements.stream.all(streamId, this.last) as EventTuple[]).map(toRecorded);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}
