import * as fs from 'node:fs';
import * as path from 'node:path';
import { SQLITE_SIDE_FILES, type EventStore } from '@trustline/event-store';
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
  const database = ReadModelDatabase.open({ file, projections: options.projections, mode: 'rebuild' });
  try {
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
