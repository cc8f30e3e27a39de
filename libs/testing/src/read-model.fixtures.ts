import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, streamName, type EventStore, type StreamType } from '@trustline/event-store';
import { eventsToAppend } from './envelope.fixtures';
import { participantRegistered } from './fixtures/participant.fixtures';
import { programLaunched } from './fixtures/program.fixtures';
import {
  meetingScheduled,
  promiseMade,
  relationshipStarted,
  trustCheckInSubmitted,
} from './fixtures/relationship.fixtures';

// Test helpers for the read models: a temp folder, an embedded store, and
// appends that carry the metadata the API writes (hash chain included).
// Imported by path (`@trustline/testing/read-model.fixtures`), not through the
// index, so pure specs do not load SQLite.

type Fact = { type: string; data: object };

export interface TempFolder {
  dir: string;
  file(name: string): string;
  remove(): void;
}

export function tempFolder(prefix: string): TempFolder {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trustline-${prefix}-`));
  return {
    dir,
    file: (name) => path.join(dir, name),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export const openStore = (file: string): SqliteEventStore => SqliteEventStore.open({ file, synchronous: 'NORMAL' });

export interface AppendMetadata {
  /** Adds idempotencyKey, inputHash and mutation, as a keyed mutation would. */
  idempotencyKey?: string;
  recordedAt?: string;
}

/** Appends facts to a stream the way the API does: metadata, hash chain, expected revision. */
export async function appendFacts(
  store: EventStore,
  stream: string,
  facts: readonly Fact[],
  metadata: AppendMetadata = {},
): Promise<bigint> {
  const existing = await store.readStream(stream).catch(() => []);
  const head = existing.at(-1);
  const { idempotencyKey: key, recordedAt } = metadata;
  const events = eventsToAppend(facts, head === undefined ? null : (head.metadata.hash as string), (index) => ({
    recordedAt,
    idempotency:
      key === undefined ? undefined : { key: `${key}${index === 0 ? '' : `#${index}`}`, inputHash: `hash-of-${key}` },
  }));
  const result = await store.appendToStream(stream, events, {
    expectedRevision: head === undefined ? 'no_stream' : head.revision,
  });
  return result.position;
}

export const streamOf = (type: StreamType, id: string): string => streamName(type, id);

/** Every table of a read database, rows in a stable order, for "these two files hold the same read models". */
/**
 * Columns derived as of an instant rather than from the events alone (each
 * refresh writes its own): left out of dumps that compare what two ways of
 * projecting the same events wrote. Their content is checked against a fresh
 * derivation instead (relationship-evidence.projection.int-spec.ts).
 */
const TIME_DEPENDENT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  relationship_evidence: ['derived_at', 'next_firing_at', 'summary_relationship_id', 'policy', 'summary'],
};

export function dumpTables(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    const dump = (table: string) => {
      const skipped = TIME_DEPENDENT_COLUMNS[table] ?? [];
      const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[])
        .map((c) => `"${c.name}"`)
        .filter((name) => !skipped.includes(name.slice(1, -1)));
      return db
        .prepare(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY ${columns.join(', ')}`)
        .safeIntegers(true)
        .all();
    };
    return Object.fromEntries(tables.map((table) => [table, dump(table)]));
  } finally {
    db.close();
  }
}

export function countRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS count FROM "${table}"`).get() as { count: number }).count;
  } finally {
    db.close();
  }
}

export interface SeededProgram {
  programId: string;
  mentorId: string;
  menteeId: string;
  /** In start order. */
  relationshipIds: string[];
  /** Position of the last event appended. */
  lastPosition: bigint;
}

/** A program, a mentor, a mentee and `relationships` relationships between them, each with a few facts. */
export async function seedProgram(store: EventStore, relationships = 1): Promise<SeededProgram> {
  const programId = randomUUID();
  const mentorId = randomUUID();
  const menteeId = randomUUID();
  await appendFacts(store, streamOf('program', programId), [programLaunched({ programId })], {
    idempotencyKey: randomUUID(),
  });
  await appendFacts(store, streamOf('participant', mentorId), [
    participantRegistered({ participantId: mentorId, programId, role: 'MENTOR', email: 'mentor@example.com' }),
  ]);
  await appendFacts(store, streamOf('participant', menteeId), [
    participantRegistered({
      participantId: menteeId,
      programId,
      role: 'MENTEE',
      displayName: 'Mo Mentee',
      email: null,
    }),
  ]);
  const relationshipIds: string[] = [];
  let lastPosition = 0n;
  for (let i = 0; i < relationships; i++) {
    const relationshipId = randomUUID();
    relationshipIds.push(relationshipId);
    const ids = { relationshipId };
    lastPosition = await appendFacts(
      store,
      streamOf('relationship', relationshipId),
      [
        relationshipStarted({ ...ids, programId, mentorId, menteeId }),
        promiseMade({ ...ids, promiseId: randomUUID() }),
        meetingScheduled({ ...ids, meetingId: randomUUID() }),
        trustCheckInSubmitted({ ...ids, checkInId: randomUUID() }),
      ],
      { idempotencyKey: randomUUID() },
    );
  }
  return { programId, mentorId, menteeId, relationshipIds, lastPosition };
}
