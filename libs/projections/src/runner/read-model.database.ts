import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import {
  checkWithReadAhead,
  isCorruption,
  SQLITE_BUSY_TIMEOUT_MS,
  sqliteFileState,
  type RecordedEvent,
} from '@trustline/event-store';
import { READ_MODEL_PROJECTIONS } from '../read-model.projections';
import type { FileLock } from '../read-model/file-lock';
import { holdReadModelFile } from '../read-model/read-model.use-lock';
import { toProjectedEvent, type ProjectedEvent } from './projected-event';
import type { Projection, ProjectionWriter, WriterContext } from './projection.definition';
import { PROJECTION_TUNING } from './projection.tuning';

/** The read database cannot be used as asked (a foreign file, an unreadable one). */
export class ReadModelUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelUnavailable';
  }
}

/** The read database is damaged (quick_check, or SQLite's SQLITE_CORRUPT): build a new one from the events. */
export class ReadModelCorrupt extends ReadModelUnavailable {
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelCorrupt';
  }
}

/**
 * serve: the live file the API reads; synchronous=NORMAL is enough because a
 * lost tail of batches is re-projected from the checkpoint, which commits with them.
 * rebuild: a new file nobody reads until it is complete; a crash means starting over.
 */
export type ReadModelMode = 'serve' | 'rebuild';

export interface ReadModelDatabaseOptions {
  file: string;
  /** Default: READ_MODEL_PROJECTIONS. */
  projections?: readonly Projection[];
  mode?: ReadModelMode;
  /** A rebuild's: bytes of events its writers may keep for their refresh; default PROJECTION_TUNING.rebuildKeptBytes. */
  keptBytes?: number;
}

// Marks the file as a Trustline read database, so a foreign SQLite file is refused rather than emptied.
const APPLICATION_ID = 0x54724c52; // "TrLR"
const PRAGMAS: Readonly<Record<ReadModelMode, readonly string[]>> = {
  serve: [
    'journal_mode = WAL',
    'synchronous = NORMAL',
    `busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
    'cache_size = -65536',
  ],
  // Pages go straight into the file (no WAL to copy them from later); the
  // rollback journal stays in memory, so a failed batch still rolls back.
  rebuild: [
    'journal_mode = MEMORY',
    'synchronous = OFF',
    'locking_mode = EXCLUSIVE',
    'temp_store = MEMORY',
    'cache_size = -262144',
    // The indexes built at the end sort with helper threads: ~30 % less time for them here.
    'threads = 2',
  ],
};

/**
 * One transaction of the read models: events added (possibly in several
 * calls) and the checkpoint of the last of them commit together or not at all.
 */
export interface ReadModelBatch {
  /**
   * Applies the events after the checkpoint (and after those added before)
   * and returns them, upcast; events at or before it are dropped. Rows are
   * written at once, documents when the batch commits.
   */
  add(events: readonly RecordedEvent[]): RecordedEvent[];
  /** Writes the documents and the checkpoint, commits, and returns the new checkpoint. */
  commit(): bigint | null;
  /** Rolls the batch back; also the way out after add or commit threw. */
  abort(): void;
}

/** The read models' SQLite file: projection tables, and the checkpoint they are consistent with. */
export class ReadModelDatabase {
  private readonly writers: ProjectionWriter[];
  private readonly statements;
  private position: bigint | null;
  private openBatch: ReadModelBatch | null = null;
  private closed = false;

  static open(options: ReadModelDatabaseOptions): ReadModelDatabase {
    const file = path.resolve(options.file);
    const projections = options.projections ?? READ_MODEL_PROJECTIONS;
    const mode = options.mode ?? 'serve';
    assertUniqueNames(projections);
    // Held while the file is open, so no other process deletes it under us (see retireReadModelFile).
    const use = holdUseOf(file);
    try {
      const { db, wasReset } = openFile(file, projections, mode);
      const context = {
        rebuild: mode === 'rebuild',
        keptBytes: options.keptBytes ?? PROJECTION_TUNING.rebuildKeptBytes,
      };
      return new ReadModelDatabase(db, file, projections, wasReset, mode, use, context);
    } catch (error) {
      use.release();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    /** Absolute path of the file. */
    readonly file: string,
    readonly projections: readonly Projection[],
    /** True when the file held other projections (or versions) and was emptied: everything is re-projected. */
    readonly wasReset: boolean,
    private readonly mode: ReadModelMode,
    private readonly use: FileLock,
    context: WriterContext,
  ) {
    this.writers = projections.map((projection) => projection.prepare(db, context));
    this.statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      checkpoint: db.prepare('SELECT position FROM read_model_checkpoint WHERE id = 1').safeIntegers(true),
      saveCheckpoint: db.prepare('UPDATE read_model_checkpoint SET position = ? WHERE id = 1'),
    };
    this.position = (this.statements.checkpoint.get() as { position: bigint | null }).position;
  }

  /** The position of the last event committed; null before the first. */
  checkpoint(): bigint | null {
    return this.position;
  }

  /** Applies the events in one transaction with their checkpoint (see ReadModelBatch.add) and returns those applied. */
  applyBatch(events: readonly RecordedEvent[]): RecordedEvent[] {
    const batch = this.beginBatch();
    try {
      const applied = batch.add(events);
      batch.commit();
      return applied;
    } catch (error) {
      batch.abort();
      throw error;
    }
  }

  /** Opens a transaction that several pages of events can be added to; one at a time. */
  beginBatch(): ReadModelBatch {
    this.assertOpen();
    if (this.openBatch !== null) throw new Error('A batch is already open on this read database');
    this.statements.begin.run();
    this.followOtherWriters();
    let last = this.position;
    let state: 'open' | 'failed' | 'done' = 'open';
    const finish = (): void => {
      state = 'done';
      this.openBatch = null;
    };
    const batch: ReadModelBatch = {
      add: (events) => {
        if (state !== 'open') throw new Error(`This batch is ${state}`);
        const fresh: ProjectedEvent[] = [];
        for (const event of events) {
          if (last !== null && event.position <= last) {
            if (last !== this.position) throw new Error(`Events out of order: ${event.position} after ${last}`);
            continue;
          }
          fresh.push(toProjectedEvent(event));
          last = event.position;
        }
        if (fresh.length === 0) return [];
        try {
          for (const writer of this.writers) writer.apply(fresh);
        } catch (error) {
          state = 'failed';
          throw error;
        }
        return fresh.map((event) => event.stored);
      },
      commit: () => {
        if (state !== 'open') throw new Error(`This batch is ${state}`);
        state = 'failed';
        for (const writer of this.writers) writer.flush();
        if (last !== this.position) this.statements.saveCheckpoint.run(last);
        this.statements.commit.run();
        this.position = last;
        finish();
        return last;
      },
      abort: () => {
        if (state === 'done') return;
        finish();
        for (const writer of this.writers) writer.rollback();
        if (this.db.inTransaction) this.statements.rollback.run();
      },
    };
    this.openBatch = batch;
    return batch;
  }

  // Another process (a second server on this DATA_DIR) may have committed
  // batches into this file since ours: under the write lock just taken, start
  // from the stored checkpoint, and forget documents cached before it changed,
  // so no event is applied twice to a document that already holds it.
  private followOtherWriters(): void {
    const stored = (this.statements.checkpoint.get() as { position: bigint | null }).position;
    if (stored === this.position) return;
    for (const writer of this.writers) writer.rollback();
    this.position = stored;
  }

  /** True while a batch is open (between beginBatch and its commit or abort). */
  get inBatch(): boolean {
    return this.openBatch !== null;
  }

  /**
   * Derives again, as of `now`, at most `limit` rows that time made stale or
   * that a batch left to derive (ProjectionWriter.refresh), in one
   * transaction of its own; returns how many. Not while a batch is open.
   */
  refresh(now: number, limit: number): number {
    this.assertOpen();
    if (this.openBatch !== null) throw new Error('A batch is open on this read database; refresh after it');
    const refreshing = this.writers.filter((writer) => writer.refresh !== undefined);
    if (refreshing.length === 0 || limit < 1) return 0;
    this.statements.begin.run();
    try {
      let done = 0;
      for (const writer of refreshing) if (done < limit) done += writer.refresh!(now, limit - done);
      this.statements.commit.run();
      return done;
    } catch (error) {
      if (this.db.inTransaction) this.statements.rollback.run();
      throw error;
    }
  }

  /**
   * For a rebuild that feeds the writers itself (read-model.rebuild.ts): runs
   * `load` in one transaction, handing it every projection's writer, then
   * flushes the writers and commits with the checkpoint `load` returns. Only
   * on a file opened for a rebuild, before any batch.
   */
  bulkLoad(load: (writers: readonly ProjectionWriter[]) => bigint | null): bigint | null {
    this.assertOpen();
    if (this.mode !== 'rebuild' || this.position !== null || this.openBatch !== null) {
      throw new Error('bulkLoad fills a read database opened for a rebuild, before any batch');
    }
    this.statements.begin.run();
    try {
      const last = load(this.writers);
      for (const writer of this.writers) writer.flush();
      if (last !== null) this.statements.saveCheckpoint.run(last);
      this.statements.commit.run();
      this.position = last;
      return last;
    } catch (error) {
      for (const writer of this.writers) writer.rollback();
      if (this.db.inTransaction) this.statements.rollback.run();
      throw error;
    }
  }

  /** Creates the indexes a rebuild leaves to its end now, for work on the filled tables before it closes. */
  createIndexes(): void {
    this.assertOpen();
    createIndexesOf(this.db, this.projections);
  }

  /** The connection the queries read through; writes belong to applyBatch. */
  get connection(): Database.Database {
    this.assertOpen();
    return this.db;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.openBatch?.abort();
    this.closed = true;
    if (this.mode === 'rebuild') {
      createIndexesOf(this.db, this.projections);
      // Written without syncing: make the finished file durable (and a WAL file, as served) before anyone swaps it in.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    this.db.close();
    this.use.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadModelUnavailable(`The read database ${this.file} is closed`);
  }
}

function holdUseOf(file: string): FileLock {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return holdReadModelFile(file);
  } catch (error) {
    throw new ReadModelUnavailable(`Cannot open the read database at ${file}: ${(error as Error).message}`);
  }
}

function assertUniqueNames(projections: readonly Projection[]): void {
  const names = new Set<string>();
  for (const { name } of projections) {
    if (names.has(name)) throw new Error(`Two projections are named ${name}`);
    names.add(name);
  }
}

/** What the file must record for these projections to be usable as they are. */
const fingerprintOf = (projections: readonly Projection[]): string =>
  JSON.stringify(projections.map(({ name, version }) => [name, version]).sort());

function openFile(
  file: string,
  projections: readonly Projection[],
  mode: ReadModelMode,
): { db: Database.Database; wasReset: boolean } {
  assertSqliteFileOrAbsent(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existed = fs.existsSync(file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    // A file damaged in its data pages would answer wrongly (or fail every batch): check it before serving.
    if (existed && mode === 'serve') checkWithReadAhead(file, () => assertIntact(db as Database.Database, file));
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== APPLICATION_ID && tableNames(db).length > 0) {
      throw new ReadModelUnavailable(
        `${file} is a SQLite database of another application; refusing to use or change it`,
      );
    }
    for (const pragma of PRAGMAS[mode]) db.pragma(pragma);
    // A rebuild fills the tables first and indexes them at the end, which is much faster.
    const createIndexes = mode === 'serve';
    const wasReset = db
      .transaction(() => prepareSchema(db as Database.Database, projections, createIndexes))
      .immediate();
    return { db, wasReset };
  } catch (error) {
    db?.close();
    if (error instanceof ReadModelUnavailable) throw error;
    const message = `Cannot open the read database at ${file}: ${(error as Error).message}`;
    throw isCorruption(error) ? new ReadModelCorrupt(message) : new ReadModelUnavailable(message);
  }
}

function assertIntact(db: Database.Database, file: string): void {
  const found = (db.pragma('quick_check(5)') as { quick_check: string }[])
    .map((row) => row.quick_check)
    .filter((line) => line !== 'ok');
  if (found.length > 0) throw new ReadModelCorrupt(`${file} is damaged (SQLite quick_check: ${found.join('; ')})`);
}

function createIndexesOf(db: Database.Database, projections: readonly Projection[]): void {
  for (const projection of projections) projection.indexes.forEach((ddl) => db.exec(ddl));
}

const tableNames = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
    }[]
  ).map((row) => row.name);

// Read models are disposable: when the file was built by other projections (or
// other versions of them), empty it and project everything again rather than
// serve tables that no longer mean what the code thinks.
function prepareSchema(db: Database.Database, projections: readonly Projection[], createIndexes: boolean): boolean {
  const fingerprint = fingerprintOf(projections);
  const tables = tableNames(db);
  const stored = tables.includes('read_model_meta')
    ? (db.prepare("SELECT value FROM read_model_meta WHERE key = 'projections'").get() as { value: string } | undefined)
        ?.value
    : undefined;
  const wasReset = tables.length > 0 && stored !== fingerprint;
  if (wasReset) for (const table of tables) db.exec(`DROP TABLE "${table.replace(/"/g, '""')}"`);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS read_model_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS read_model_checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER);
    INSERT OR IGNORE INTO read_model_checkpoint (id, position) VALUES (1, NULL);
  `);
  db.prepare("INSERT OR REPLACE INTO read_model_meta (key, value) VALUES ('projections', ?)").run(fingerprint);
  for (const projection of projections) projection.tables.forEach((ddl) => db.exec(ddl));
  if (createIndexes) createIndexesOf(db, projections);
  return wasReset;
}

function assertSqliteFileOrAbsent(file: string): void {
  let state: ReturnType<typeof sqliteFileState>;
  try {
    state = sqliteFileState(file);
  } catch (error) {
    throw new ReadModelUnavailable(`Cannot read the read database at ${file}: ${(error as Error).message}`);
  }
  if (state === 'not-sqlite') {
    throw new ReadModelUnavailable(`${file} is not a SQLite database; refusing to use or overwrite it`);
  }
}
