import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import {
  DuplicateEventId,
  isStorageFailure,
  StorageFailure,
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '../event-store.errors';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { DEFAULT_READ_PAGE_SIZE } from '../event-store.port';
import { type SerialisedEvent, serialiseForAppend } from '../event-validation';
import { type GroupCommitOptions, type GroupOutcome, GroupCommitQueue } from './group-commit.queue';
import { checkWithReadAhead, SQLITE_BUSY_TIMEOUT_MS, sqliteFileState } from './sqlite-file';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its folder is created when missing. */
  file: string;
  /** FULL (default): an acknowledged event survives power loss. NORMAL: it survives a crash of the process only. */
  synchronous?: SqliteSynchronous;
  /** How often an idle subscription looks for appends made by other processes. */
  pollIntervalMs?: number;
  /** The largest page readAll returns when maxCount is not given. */
  defaultPageSize?: number;
  /**
   * Concurrent appends share one transaction and one sync (group-commit.queue.ts);
   * on by default. false commits each append on its own, as it is called.
   */
  groupCommit?: boolean | GroupCommitOptions;
}

interface AppendRequest {
  streamId: string;
  rows: SerialisedEvent[];
  expected: ExpectedRevision;
}

interface AppendOutcome {
  appended: boolean;
  nextRevision: bigint;
  position: bigint;
}

// Marks the file as ours, so a foreign SQLite database is refused rather than altered.
const APPLICATION_ID = 0x54724c6e; // "TrLn"
const SCHEMA_VERSION = 1;
const DEFAULTS = {
  synchronous: 'FULL' as SqliteSynchronous,
  pollIntervalMs: 200,
  defaultPageSize: DEFAULT_READ_PAGE_SIZE,
};

interface EventRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  id: string;
  type: string;
  data: string;
  metadata: string;
}

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.id,
  type: row.type,
  streamId: row.stream_id,
  revision: row.revision,
  position: row.position,
  data: JSON.parse(row.data),
  metadata: JSON.parse(row.metadata),
});

/** The embedded default: one SQLite file in WAL mode, one row per event. */
export class SqliteEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private readonly statements;
  // One IMMEDIATE transaction: the revision check and the inserts cannot interleave
  // with another writer, in this process or another.
  private readonly appendTransaction;
  // Several appends in one IMMEDIATE transaction, each answered on its own: a
  // failing append must leave no row and the others of its group still commit.
  // Guarded, each runs appendTransaction, which nested in it is a savepoint.
  // Unguarded (tried first), each runs appendRows as it is: a savepoint makes
  // SQLite copy every page an append touches to its sub-journal, which cost a
  // 100-event append about half as much again as its inserts, and an append
  // refused before its first insert (a revision check, a retry) has nothing to
  // undo. An insert that fails in an unguarded group throws it out whole (rolled
  // back, nothing of it written) and the group runs again guarded.
  private readonly groupTransaction;
  private readonly groupCommit: GroupCommitQueue<AppendRequest, AppendOutcome> | null;
  private readonly pollIntervalMs: number;
  private readonly defaultPageSize: number;
  private readonly known = new KnownHeads();
  private closed = false;
  /** The database file (absolute): see EventStore.sqliteFile. */
  readonly sqliteFile: string;

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(openDatabase(options), options);
  }

  private constructor(
    private readonly db: Database.Database,
    options: SqliteEventStoreOptions,
  ) {
    this.sqliteFile = path.resolve(options.file);
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
    this.defaultPageSize = options.defaultPageSize ?? DEFAULTS.defaultPageSize;
    this.appended.setMaxListeners(0);
    const select = 'SELECT position, stream_id, revision, id, type, data, metadata FROM events';
    this.statements = {
      head: db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_id = ?').safeIntegers(true),
      idsFrom: db
        .prepare('SELECT id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?')
        .safeIntegers(true),
      insert: db.prepare(
        'INSERT INTO events (stream_id, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      forwards: db
        .prepare(`${select} WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
        .safeIntegers(true),
      backwards: db
        .prepare(`${select} WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
        .safeIntegers(true),
      all: db.prepare(`${select} WHERE position > ? ORDER BY position LIMIT ?`).safeIntegers(true),
      lastPosition: db.prepare('SELECT max(position) AS position FROM events').safeIntegers(true),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
    };
    this.appendTransaction = db.transaction(this.appendRows.bind(this));
    this.groupTransaction = db.transaction(
      (requests: readonly AppendRequest[], guarded: boolean): GroupOutcome<AppendOutcome>[] =>
        requests.map((request) => {
          try {
            const { streamId, rows, expected } = request;
            const value = guarded
              ? this.appendTransaction(streamId, rows, expected)
              : this.appendRows(streamId, rows, expected, true);
            return { ok: true, value };
          } catch (error) {
            // A full disk or an I/O error may roll the whole transaction back: the group fails as one, with that error.
            if (error instanceof UnguardedInsertFailed || isStorageFailure(error) || !db.inTransaction) throw error;
            return { ok: false, error };
          }
        }),
    );
    const groupCommit = options.groupCommit ?? true;
    this.groupCommit =
      groupCommit === false
        ? null
        : new GroupCommitQueue((requests) => this.commitGroup(requests), groupCommit === true ? {} : groupCommit);
  }

  async appendToStream(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const request = { streamId, rows: serialiseForAppend(streamId, events), expected: options.expectedRevision };
    const result = await withStorageErrors(() =>
      this.groupCommit ? this.groupCommit.submit(request) : this.appendAlone(request),
    );
    return { nextRevision: result.nextRevision, position: result.position };
  }

  private appendAlone(request: AppendRequest): AppendOutcome {
    const result = this.appendTransaction.immediate(request.streamId, request.rows, request.expected);
    if (result.appended) {
      this.known.committed(request.streamId, result);
      this.appended.emit('appended');
    }
    return result;
  }

  private commitGroup(requests: readonly AppendRequest[]): GroupOutcome<AppendOutcome>[] {
    if (this.closed) throw new StoreUnavailable('The event store is closed');
    const outcomes = this.runGroup(requests);
    let appended = false;
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok || !outcome.value.appended) return;
      this.known.committed(requests[i].streamId, outcome.value);
      appended = true;
    });
    if (appended) this.appended.emit('appended');
    return outcomes;
  }

  private runGroup(requests: readonly AppendRequest[]): GroupOutcome<AppendOutcome>[] {
    try {
      return this.groupTransaction.immediate(requests, false);
    } catch (error) {
      if (!(error instanceof UnguardedInsertFailed)) throw error;
      // Rolled back whole: the same appends again, each in its own savepoint, answer as they always did.
      return this.groupTransaction.immediate(requests, true);
    }
  }

  /** The known heads, once any commit another connection made since they were noted has dropped them. */
  private knownHeads(): KnownHeads {
    this.known.checkVersion(this.statements.dataVersion.get() as number);
    return this.known;
  }

  /** `unguarded`: no savepoint holds this append, so an insert that fails throws UnguardedInsertFailed. */
  private appendRows(
    streamId: string,
    rows: SerialisedEvent[],
    expected: ExpectedRevision,
    unguarded = false,
  ): AppendOutcome {
    const head = (this.statements.head.get(streamId) as { revision: bigint | null }).revision;
    const current: bigint | 'no_stream' = head ?? 'no_stream';
    const retried = this.findIdempotentRetry(streamId, rows, expected, current);
    if (retried) return { appended: false, ...retried };
    if (!matches(expected, current)) throw new WrongExpectedVersion(streamId, expected, current);
    let revision = current === 'no_stream' ? -1n : current;
    let position = 0n;
    for (const row of rows) {
      revision += 1n;
      let info: Database.RunResult;
      try {
        info = this.statements.insert.run(streamId, revision, row.id, row.type, row.data, row.metadata);
      } catch (error) {
        if (unguarded && !isStorageFailure(error)) throw new UnguardedInsertFailed(error);
        // The unique index on id: an event (an idempotency key's) stored before, in another stream.
        if (
          (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
          /events\.id/.test((error as Error).message)
        ) {
          throw new DuplicateEventId(streamId);
        }
        throw error;
      }
      position = BigInt(info.lastInsertRowid);
    }
    return { appended: true, nextRevision: revision, position };
  }

  // An append whose event ids are already the stream's events right after the
  // expected revision (or, for 'any'/'stream_exists', its last events) was
  // acknowledged before: answer as then and write nothing.
  private findIdempotentRetry(
    streamId: string,
    rows: { id: string }[],
    expected: ExpectedRevision,
    current: bigint | 'no_stream',
  ): { nextRevision: bigint; position: bigint } | null {
    if (current === 'no_stream') return null;
    const count = BigInt(rows.length);
    const first = typeof expected === 'bigint' ? expected + 1n : expected === 'no_stream' ? 0n : current - count + 1n;
    if (first < 0n || first + count - 1n > current) return null;
    const stored = this.statements.idsFrom.all(streamId, first, rows.length) as { id: string; position: bigint }[];
    if (stored.length !== rows.length || stored.some((s, i) => s.id !== rows[i].id)) return null;
    return { nextRevision: first + count - 1n, position: stored[stored.length - 1].position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    // The write path reads the events after the state it holds, usually none: this connection's own last commit
    // to the stream says so without a query (unless another connection committed since).
    if (options.direction !== 'backwards' && options.fromRevision !== undefined) {
      const head = this.knownHeads().head(streamId);
      if (head !== undefined && options.fromRevision > head) return [];
    }
    const rows =
      options.direction === 'backwards'
        ? this.statements.backwards.all(streamId, options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER), maxCount)
        : this.statements.forwards.all(streamId, options.fromRevision ?? 0n, maxCount);
    if (rows.length === 0 && (this.statements.head.get(streamId) as { revision: bigint | null }).revision === null) {
      throw new StreamNotFound(streamId);
    }
    return (rows as EventRow[]).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllSync(options.fromPosition ?? 0n, options.maxCount ?? this.defaultPageSize);
  }

  private readAllSync(after: bigint, maxCount: number): RecordedEvent[] {
    // A subscription that has read up to this connection's last commit asks again for nothing: no query.
    const last = this.knownHeads().lastPosition;
    if (last !== null && after >= last) return [];
    return (this.statements.all.all(after, maxCount) as EventRow[]).map(toRecorded);
  }

  /** The position of the last stored event (0 when empty). */
  async lastPosition(): Promise<bigint> {
    this.assertOpen();
    return (this.statements.lastPosition.get() as { position: bigint | null }).position ?? 0n;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    let after = options.fromPosition ?? 0n;
    let stopped = false;
    let wake: (() => void) | undefined;
    const nudge = (): void => wake?.();
    this.appended.on('appended', nudge);
    this.appended.on('closed', nudge);
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      this.appended.off('appended', nudge);
      this.appended.off('closed', nudge);
      nudge();
    };
    const readPage = (): RecordedEvent[] => this.readAllSync(after, this.defaultPageSize);
    const isClosed = (): boolean => this.closed;
    const pollIntervalMs = this.pollIntervalMs;
    // Positions are assigned inside the single-writer transaction, so "after the
    // last position seen" never skips a later commit and never repeats one.
    async function* follow(): AsyncGenerator<RecordedEvent> {
      try {
        while (!stopped && !isClosed()) {
          const page = readPage();
          for (const event of page) {
            if (stopped) return;
            after = event.position;
            yield event;
          }
          if (page.length === 0 && !stopped) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, pollIntervalMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
          }
        }
      } finally {
        stop();
      }
    }
    const iterator = follow();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        stop();
      },
    };
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.statements.lastPosition.get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed, not dropped.
    this.groupCommit?.flush();
    this.closed = true;
    this.appended.emit('closed');
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('The event store is closed');
  }
}

/**
 * What this connection's own commits tell of the store: the head revision of
 * each stream it appended to and the last position, as of those commits.
 * Appends run in IMMEDIATE transactions that read the head and insert after
 * it, so right after a commit these are the store's. Only another connection's
 * commit can move them, and SQLite's data_version (which changes with exactly
 * those) drops them all; bounded, dropped whole when full.
 */
class KnownHeads {
  static readonly MAX_STREAMS = 100_000;
  private readonly heads = new Map<string, bigint>();
  private last: bigint | null = null;
  private version: number | null = null;

  /** Forgets everything unless `dataVersion` is the one the heads were noted under. */
  checkVersion(dataVersion: number): void {
    if (dataVersion === this.version) return;
    this.heads.clear();
    this.last = null;
    this.version = dataVersion;
  }

  /** After a commit of this connection appended to the stream (under the version last checked, or later). */
  committed(streamId: string, outcome: { nextRevision: bigint; position: bigint }): void {
    // No version checked yet: nothing may be known, as another connection may commit before the first check.
    if (this.version === null) return;
    if (this.heads.size >= KnownHeads.MAX_STREAMS && !this.heads.has(streamId)) this.heads.clear();
    this.heads.set(streamId, outcome.nextRevision);
    if (this.last === null || outcome.position > this.last) this.last = outcome.position;
  }

  head(streamId: string): bigint | undefined {
    return this.heads.get(streamId);
  }

  get lastPosition(): bigint | null {
    return this.last;
  }
}

/** An insert failed in a group without savepoints: its earlier inserts cannot be undone alone. */
class UnguardedInsertFailed extends Error {
  constructor(readonly failure: unknown) {
    super('An insert failed in an unguarded group');
  }
}

/** Disk full and I/O errors become StorageFailure (retryable, nothing written); the rest as they are. */
async function withStorageErrors<T>(append: () => T | Promise<T>): Promise<T> {
  try {
    return await append();
  } catch (error) {
    if (isStorageFailure(error) && !(error instanceof StorageFailure)) {
      throw new StorageFailure(
        `The event store could not write: ${(error as Error).message}`,
        (error as { code?: string }).code,
      );
    }
    throw error;
  }
}

function matches(expected: ExpectedRevision, current: bigint | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === 'no_stream';
  if (expected === 'stream_exists') return current !== 'no_stream';
  return current === expected;
}

function openDatabase(options: SqliteEventStoreOptions): Database.Database {
  const file = path.resolve(options.file);
  assertSqliteFileOrAbsent(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // Inspect before any pragma that writes: a foreign database stays byte-for-byte as it was.
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    if (applicationId !== APPLICATION_ID && tables.length > 0) {
      throw new StoreUnavailable(`${file} is a SQLite database of another application; refusing to use or change it`);
    }
    checkWithReadAhead(file, () => assertIntact(db as Database.Database, file));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? DEFAULTS.synchronous}`);
    if (tables.length === 0) createSchema(db);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) {
      throw new StoreUnavailable(
        `${file} has event store schema ${version}; this build reads schema ${SCHEMA_VERSION}`,
      );
    }
    addEventIdIndex(db, file);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreUnavailable) throw error;
    throw new StoreUnavailable(`Cannot open the event store at ${file}: ${(error as Error).message}`);
  }
}

function createSchema(db: Database.Database): void {
  db.exec(`
    BEGIN IMMEDIATE;
    CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      id TEXT NOT NULL,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL
    );
    CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);
    CREATE UNIQUE INDEX events_id ON events (id);
    PRAGMA application_id = ${APPLICATION_ID};
    PRAGMA user_version = ${SCHEMA_VERSION};
    COMMIT;
  `);
}

// A file damaged in its middle pages opens fine and fails later, on some
// reads: check every page once at start and refuse it (bytes untouched, nothing
// has written yet) rather than serve INTERNAL for ever.
function assertIntact(db: Database.Database, file: string): void {
  const problems = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
  const found = problems.map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (found.length > 0) {
    throw new StoreUnavailable(`${file} is damaged (SQLite quick_check: ${found.join('; ')}); refusing to use it`);
  }
}

// Stores created before event ids were unique get the index on first open.
function addEventIdIndex(db: Database.Database, file: string): void {
  try {
    db.exec('CREATE UNIQUE INDEX IF NOT EXISTS events_id ON events (id)');
  } catch (error) {
    throw new StoreUnavailable(
      `${file} holds one event id twice, which this build refuses: ${(error as Error).message}`,
    );
  }
}

function assertSqliteFileOrAbsent(file: string): void {
  let state: ReturnType<typeof sqliteFileState>;
  try {
    state = sqliteFileState(file);
  } catch (error) {
    throw new StoreUnavailable(`Cannot read the event store at ${file}: ${(error as Error).message}`);
  }
  if (state === 'not-sqlite') {
    throw new StoreUnavailable(`${file} is not a SQLite database; refusing to use or overwrite it`);
  }
}
