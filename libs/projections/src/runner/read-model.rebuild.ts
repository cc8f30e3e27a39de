import * as fs from 'node:fs';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import {
  deriveEvidence,
  encodeSummary,
  summarizeEvidence,
  type Recorded,
  type RelationshipEvent,
} from '@trustline/domain';
import { SQLITE_SIDE_FILES, SqliteEventSnapshot, storedJsonOf, type EventStore } from '@trustline/event-store';
import { READ_MODEL_PROJECTIONS } from '../read-model.projections';
import { relationshipEvidenceProjection } from '../relationships/relationship-evidence.projection';
import { domainFact, toProjectedEvent } from './projected-event';
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
   * Default true: from the embedded store (EventStore.sqliteFile), SQLite writes
   * most rows itself (see bulkRebuild below). false: every event through the
   * runner, as a server catching up applies them (the two give the same file).
   */
  bulk?: boolean;
  /**
   * Characters of facts' data the rebuild from the embedded store keeps to
   * derive the evidence summaries from (default 128 Mi); past it, they are
   * read back from relationship_facts instead.
   */
  heldFactChars?: number;
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
  const database = ReadModelDatabase.open({ file, projections, mode: 'rebuild' });
  try {
    if (options.store.sqliteFile !== undefined && options.bulk !== false) {
      const now = (options.clock ?? Date.now)();
      const { checkpoint, events } = await bulkRebuild(database, options.store.sqliteFile, projections, now, {
        heldFactChars: options.heldFactChars ?? HELD_FACT_CHARS,
        onProgress: options.onProgress,
      });
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
// two, table by table), for less work:
// - one snapshot of the store (SqliteEventSnapshot), in position order, every
//   event through every writer in one transaction, as the runner would;
// - relationship_facts keeps the stored data text (parseStoredJson) rather
//   than serialising the parsed data again;
// - the evidence summaries are derived from the facts as they went by (their
//   texts kept, per relationship) instead of reading every fact back from
//   relationship_facts; past a bound of kept text, from relationship_facts
//   after all (ReadModelDatabase.refresh), as the runner's rebuild does;
// - the indexes once the rows are in.

/** Events per page of the snapshot (small: a page dies young in the collector). */
const READ_PAGE = PROJECTION_TUNING.readPageSize;
const HELD_FACT_CHARS = 128 * 1024 * 1024;

/** A relationship's facts as relationship_facts holds them, flat: data text, recordedAt, eventId, type, position, revision. */
type HeldFacts = (string | bigint | number)[];
const HELD_WIDTH = 6;

async function bulkRebuild(
  database: ReadModelDatabase,
  storeFile: string,
  projections: readonly Projection[],
  now: number,
  { heldFactChars, onProgress }: { heldFactChars: number; onProgress?: (eventsRead: number) => void },
): Promise<{ checkpoint: bigint | null; events: number }> {
  const snapshot = SqliteEventSnapshot.open(storeFile);
  let events = 0;
  let readBack = !projections.includes(relationshipEvidenceProjection);
  try {
    const checkpoint = database.bulkLoad((db, writers) => {
      const feed = projections.map((projection) => writers.get(projection)!);
      const held = new Map<string, HeldFacts>();
      let heldChars = 0;
      for (let after = 0n; ;) {
        const page = snapshot.readPage(after, READ_PAGE);
        if (page.length === 0) break;
        after = page[page.length - 1].position;
        events += page.length;
        const projected = page.map(toProjectedEvent);
        if (!readBack) {
          for (const event of projected) {
            const fact = domainFact(event, 'relationship');
            if (fact === null || event.stream === null) continue;
            const text = storedJsonOf(fact.event.data);
            heldChars += text.length;
            let facts = held.get(event.stream.id);
            if (facts === undefined) held.set(event.stream.id, (facts = []));
            facts.push(text, fact.recordedAt, fact.eventId, fact.event.type, fact.position, fact.revision);
          }
          if (heldChars > heldFactChars) {
            readBack = true;
            held.clear();
          }
        }
        for (const writer of feed) writer.apply(projected);
        onProgress?.(events);
      }
      if (!readBack) {
        // The rows, as the evidence projection's flush leaves them (summary to derive), then derived.
        writers.get(relationshipEvidenceProjection)!.flush();
        deriveHeldEvidence(db, held, now);
      }
      return snapshot.last;
    });
    if (readBack) {
      database.createIndexes();
      for (let refreshed = -1; refreshed !== 0;) refreshed = database.refresh(now, PROJECTION_TUNING.refreshChunk);
    }
    return { checkpoint, events };
  } finally {
    snapshot.close();
  }
}

/** What relationshipEvidenceProjection's refresh stores, from the facts kept instead of those read back. */
function deriveHeldEvidence(db: Database.Database, held: Map<string, HeldFacts>, now: number): void {
  const store = db.prepare(
    'UPDATE relationship_evidence SET derived_at = ?, next_firing_at = ?, summary_relationship_id = ?, policy = ?, ' +
      'summary = ? WHERE relationship_id = ?',
  );
  for (const [id, flat] of held) {
    const facts: Recorded<RelationshipEvent>[] = [];
    for (let i = 0; i < flat.length; i += HELD_WIDTH) {
      facts.push({
        eventId: flat[i + 2] as string,
        position: flat[i + 4] as bigint,
        revision: flat[i + 5] as number,
        recordedAt: flat[i + 1] as string,
        event: { type: flat[i + 3], data: JSON.parse(flat[i] as string) } as RelationshipEvent,
      });
    }
    held.delete(id);
    const summary = summarizeEvidence(deriveEvidence(facts, now));
    const next = summary.nextFiringAt === Infinity ? null : summary.nextFiringAt;
    store.run(now, next, summary.relationshipId, summary.policy.version, encodeSummary(summary), id);
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
