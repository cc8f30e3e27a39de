import * as fs from 'node:fs';
import * as path from 'node:path';
import { SQLITE_SIDE_FILES, SqliteEventSnapshot, type EventStore } from '@trustline/event-store';
import { READ_MODEL_PROJECTIONS } from '../read-model.projections';
import { toProjectedEvent } from './projected-event';
import type { Projection } from './projection.definition';
import { ProjectionRunner } from './projection.runner';
import { PROJECTION_TUNING } from './projection.tuning';
import { ReadModelDatabase, ReadModelUnavailable } from './read-model.database';

export interface RebuildOptions {
  store: EventStore;
  /** The new file to build; it must not exist. */
  file: string;
  /** Default: READ_MODEL_PROJECTIONS. */
  projections?: readonly Projection[];
  /** Default PROJECTION_TUNING.rebuildBatchSize. */
  batchSize?: number;
  /** The instant time-dependent rows (the evidence summaries) are derived as of; default Date.now. */
  clock?: () => number;
  /**
   * Default true: from the embedded store (EventStore.sqliteFile), one snapshot
   * read into one transaction (see bulkRebuild below). false: every event through
   * the runner, as a server catching up applies them (the two give the same file).
   */
  bulk?: boolean;
  /** Bytes of events the writers may keep for deriving after the load; default PROJECTION_TUNING.rebuildKeptBytes. */
  keptBytes?: number;
  /** Told how many events have been read so far, after each page the rebuild from the embedded store reads. */
  onProgress?: (eventsRead: number) => void;
}

export interface RebuildResult {
  file: string;
  /** The position the new file is consistent with; null when the store holds no events. */
  checkpoint: bigint | null;
  events: number;
  seconds: number;
}

/**
 * Builds a new read database from every stored event (blue/green: the live
 * file keeps serving meanwhile). Then either move it over the live file with
 * replaceReadModelFile (every connection to both closed), or open it, bring
 * it to the live checkpoint with catchUp({ until }), and hand it to the
 * stopped runner with switchDatabase.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const file = path.resolve(options.file);
  if (fs.existsSync(file)) throw new ReadModelUnavailable(`${file} exists; a rebuild writes a new file`);
  const started = process.hrtime.bigint();
  const projections = options.projections ?? READ_MODEL_PROJECTIONS;
  const database = ReadModelDatabase.open({ file, projections, mode: 'rebuild', keptBytes: options.keptBytes });
  try {
    if (options.store.sqliteFile !== undefined && options.bulk !== false) {
      const now = (options.clock ?? Date.now)();
      const { checkpoint, events } = await bulkRebuild(database, options.store.sqliteFile, now, options.onProgress);
      database.close();
      return { file, checkpoint, events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    }
    const runner = new ProjectionRunner({
      store: options.store,
      database,
      catchUpBatchSize: options.batchSize ?? PROJECTION_TUNING.rebuildBatchSize,
    });
    const { checkpoint, events } = await runner.catchUp();
    // The file is served complete: the time-dependent rows too, read through the indexes.
    database.createIndexes();
    const now = (options.clock ?? Date.now)();
    for (let refreshed = -1; refreshed !== 0;) refreshed = database.refresh(now, PROJECTION_TUNING.refreshChunk);
    database.close();
    return { file, checkpoint, events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch (error) {
    database.close();
    fs.rmSync(file, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------
// The rebuild from the embedded store: the same file as the runner's catch-up
// (read-model.rebuild.int-spec.ts and bench/rebuild-compare.ts compare the
// two, table by table), for less work: one snapshot of the store
// (SqliteEventSnapshot) read in position order, every event through every
// writer in one transaction; relationship_facts keeps the stored data text
// (parseStoredJson) rather than serialising the parsed data again; the
// indexes once the rows are in, then the evidence summaries derived through
// them. (Keeping each relationship's facts in memory to derive its summary
// without reading them back cost more CPU than it saved: the kept facts
// outlive the young generation.)

/** Events per page of the snapshot (small: a page dies young in the collector). */
const READ_PAGE = PROJECTION_TUNING.readPageSize;

async function bulkRebuild(
  database: ReadModelDatabase,
  storeFile: string,
  now: number,
  onProgress?: (eventsRead: number) => void,
): Promise<{ checkpoint: bigint | null; events: number }> {
  const snapshot = SqliteEventSnapshot.open(storeFile);
  let events = 0;
  try {
    const checkpoint = database.bulkLoad((writers) => {
      for (let after = 0n; ;) {
        const page = snapshot.readPage(after, READ_PAGE);
        if (page.length === 0) break;
        after = page[page.length - 1].position;
        events += page.length;
        const projected = page.map(toProjectedEvent);
        for (const writer of writers) writer.apply(projected);
        onProgress?.(events);
      }
      return snapshot.last;
    });
    snapshot.close();
    database.createIndexes();
    // Nobody reads the file before it is done: every summary in one transaction (in chunks, each commit wrote
    // the same index and table pages again).
    for (let refreshed = -1; refreshed !== 0;) refreshed = database.refresh(now, Number.MAX_SAFE_INTEGER);
    return { checkpoint, events };
  } finally {
    snapshot.close();
  }
}

/**
 * Moves a rebuilt file over the live one. Close every connection to both first.
 * The live file's WAL and shared-memory files go first: SQLite would otherwise
 * replay a stale WAL onto the new file.
 */
export function replaceReadModelFile(built: string, live: string): void {
  for (const suffix of SQLITE_SIDE_FILES) {
    if (fs.existsSync(`${built}${suffix}`)) {
      throw new ReadModelUnavailable(`${built} is still open (its ${suffix} file exists); close it before swapping`);
    }
    fs.rmSync(`${live}${suffix}`, { force: true });
  }
  fs.renameSync(built, live);
}
