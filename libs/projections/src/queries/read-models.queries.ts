import * as fs from 'node:fs';
import type Database from 'better-sqlite3';
import type { ProgramCommunicationRecorded, Recorded, RelationshipEvent } from '@trustline/domain';

import { participantsProjection, type ParticipantView } from '../participants/participants.projection';
import { programsProjection, type ProgramView } from '../programs/programs.projection';
import { factOfRow, type RelationshipFactTuple } from '../relationships/relationship-facts.projection';
import type { StoredEvidenceRow } from '../relationships/relationship-evidence.projection';
import { relationshipsProjection } from '../relationships/relationships.projection';
import type { RelationshipStatusAt, RelationshipView } from '../relationships/relationship.view';
import type { DocumentReader } from '../runner/document.projection';
import type { ReadModelDatabase } from '../runner/read-model.database';
import { InvalidPageRequest, pageWindow, toPage, type Page, type PageRequest, type PageWindow } from './relay.cursor';

export interface RelationshipListRequest extends PageRequest {
  programId: string;
  /** As stored: PAUSED means paused and not resumed, whatever the pause's `until`. */
  status?: RelationshipStatusAt | null;
}

/** What the first append under an idempotency key recorded about one of its events. */
export interface IdempotentEvent {
  eventId: string;
  streamId: string;
  position: bigint;
  idempotencyKey: string;
  inputHash: string | null;
  mutation: string | null;
}

interface DocRow {
  id: string;
  position: bigint;
  doc: string;
}

interface Readers {
  programs: DocumentReader<ProgramView>;
  participants: DocumentReader<ParticipantView>;
  relationships: DocumentReader<RelationshipView>;
}

const STORED_EVIDENCE =
  'SELECT relationship_id, revision, derived_at, next_firing_at, summary_relationship_id, policy, summary ' +
  'FROM relationship_evidence';
type StoredEvidenceTuple = [string, number, number, number | null, string | null, string, Uint8Array];
const toStoredEvidence = (row: StoredEvidenceTuple): StoredEvidenceRow => ({
  relationshipId: row[0],
  revision: row[1],
  derivedAt: row[2],
  nextFiringAt: row[3] ?? Infinity,
  summaryRelationshipId: row[4],
  policy: row[5],
  summary: row[6],
});

/** The contract's default `first` for these lists. */
const DEFAULT_PAGE_SIZE = 50;

const STATUSES: ReadonlySet<string> = new Set<RelationshipStatusAt>(['ACTIVE', 'PAUSED', 'ENDED']);

// Stream names carry lower-case ids (streamName lowers them), so lookups do too.
const key = (id: string): string => id.toLowerCase();

type FactRow = RelationshipFactTuple;
const toFact = factOfRow;

export const READ_MODELS_TUNING = {
  /** Relationship revisions kept while the read database has no new commit; past it they are read again. */
  keptRevisions: 100_000,
} as const;

/** A WAL-index header is 48 bytes, kept twice at the start of the `-shm` file (SQLite's walformat.html). */
const WAL_INDEX_HEADERS_BYTES = 96;
const WAL_INDEX_HEADER_BYTES = 48;
/** The header's isInit byte: 1 once the WAL index has been built. */
const WAL_INDEX_IS_INIT_OFFSET = 12;

const closeFile = (fd: number) => {
  try {
    fs.closeSync(fd);
  } catch {
    // Closed already.
  }
};
const unusedWatches = new FinalizationRegistry<number>(closeFile);

/**
 * Tells, without a SQLite transaction, whether the read database has had no commit since a moment. Every commit to
 * a WAL database, by any connection of any process, rewrites the WAL-index header at the start of its `-shm` file
 * (its frame count, change counter, salts and checksums) before the commit returns; reading those bytes back
 * (one pread, no lock) and finding them unchanged means nothing was committed since they were last read.
 *
 * Why: the trust read asks for a relationship's revision on every request, to use its kept view and summary only
 * while current. That point query, a read transaction of its own (the WAL read lock is two fcntl calls), cost
 * 9-13 µs (median) in the busy server against 2-3 µs in a loop, the same for any index: its cost is starting the
 * transaction on cold caches.
 */
class CommitWatch {
  private fd: number | null;
  private readonly seen = Buffer.alloc(WAL_INDEX_HEADERS_BYTES);
  private readonly read = Buffer.alloc(WAL_INDEX_HEADERS_BYTES);
  private valid = false;
  private readOk = false;

  /** `owner`: whose collection closes the file, if `close` was never called. */
  constructor(file: string, db: Database.Database, owner: object) {
    this.fd = null;
    // Only a WAL database shared in the normal locking mode has a live `-shm` (in another journal mode, or with the
    // WAL index in this process's memory under EXCLUSIVE locking, a leftover file says nothing).
    const pragma = (name: string) => String(db.pragma(name, { simple: true })).toLowerCase();
    if (pragma('journal_mode') !== 'wal' || pragma('locking_mode') !== 'normal') return;
    try {
      this.fd = fs.openSync(`${file}-shm`, 'r');
      unusedWatches.register(owner, this.fd, this);
    } catch {
      this.fd = null;
    }
  }

  /** True when nothing was committed since `accept()` last took a header; false when unknown. */
  unchanged(): boolean {
    this.readOk = this.readHeaders();
    return this.readOk && this.valid && this.read.equals(this.seen);
  }

  /** Takes the header just read (by `unchanged()`) as the moment to compare with; false if it cannot serve. */
  accept(): boolean {
    const copy = this.read;
    // A header being rewritten (its two copies differ) or not built yet marks no moment.
    this.valid =
      this.readOk &&
      copy[WAL_INDEX_IS_INIT_OFFSET] === 1 &&
      copy.compare(copy, 0, WAL_INDEX_HEADER_BYTES, WAL_INDEX_HEADER_BYTES, WAL_INDEX_HEADERS_BYTES) === 0;
    if (this.valid) copy.copy(this.seen);
    return this.valid;
  }

  close(): void {
    this.valid = false;
    if (this.fd === null) return;
    unusedWatches.unregister(this);
    closeFile(this.fd);
    this.fd = null;
  }

  private readHeaders(): boolean {
    if (this.fd === null) return false;
    try {
      return fs.readSync(this.fd, this.read, 0, WAL_INDEX_HEADERS_BYTES, 0) === WAL_INDEX_HEADERS_BYTES;
    } catch {
      return false;
    }
  }
}

/** The statements ReadModels runs, prepared once per read database. */
function statementsOf(db: Database.Database) {
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(true);
  return {
    programPage: prepare(
      'SELECT id, position, doc FROM programs WHERE position > ? AND position < ? ORDER BY position LIMIT ?',
    ),
    programPageBackward: prepare(
      'SELECT id, position, doc FROM programs WHERE position > ? AND position < ? ORDER BY position DESC LIMIT ?',
    ),
    programCount: prepare('SELECT count(*) AS count FROM programs'),
    participantEmail: prepare('SELECT email FROM participant_emails WHERE participant_id = ?'),
    relationshipPage: prepare(
      'SELECT id, position, doc FROM relationships WHERE program_id = ? AND position > ? AND position < ? ' +
        'ORDER BY position LIMIT ?',
    ),
    relationshipPageByStatus: prepare(
      'SELECT id, position, doc FROM relationships WHERE program_id = ? AND status = ? AND position > ? AND position < ? ' +
        'ORDER BY position LIMIT ?',
    ),
    // Read for every relationship of a program on each program-wide query: plain numbers, no bigints to convert.
    relationshipRevisions: prepare('SELECT id, revision FROM relationships WHERE program_id = ? ORDER BY position')
      .safeIntegers(false)
      .raw(true),
    // Read on every relationship(id) (whether a kept view is current): a plain number, no bigint to convert.
    relationshipRevision: prepare('SELECT revision FROM relationships WHERE id = ?').safeIntegers(false).pluck(true),
    // Ids as the commands gave them (a client may have typed upper case): compared without case.
    partiesOfParticipant: db
      .prepare(
        'SELECT id, program_id, mentor_id, mentee_id FROM relationships ' +
          'WHERE mentor_id = @id COLLATE NOCASE OR mentee_id = @id COLLATE NOCASE ORDER BY position',
      )
      .raw(true),
    relationshipCount: prepare('SELECT count(*) AS count FROM relationships WHERE program_id = ?'),
    relationshipCountByStatus: prepare(
      'SELECT count(*) AS count FROM relationships WHERE program_id = ? AND status = ?',
    ),
    facts: prepare(
      'SELECT relationship_id, position, revision, event_id, type, data, recorded_at FROM relationship_facts ' +
        'WHERE relationship_id = ? ORDER BY position',
    ).raw(true),
    programFacts: prepare(
      'SELECT f.relationship_id, f.position, f.revision, f.event_id, f.type, f.data, f.recorded_at ' +
        'FROM relationships r JOIN relationship_facts f ON f.relationship_id = r.id ' +
        'WHERE r.program_id = ? ORDER BY r.position, f.position',
    ).raw(true),
    storedEvidenceOfProgram: prepare(`${STORED_EVIDENCE} WHERE program_id = ? AND summary IS NOT NULL`)
      .safeIntegers(false)
      .raw(true),
    storedEvidenceStillCurrent: prepare(
      `${STORED_EVIDENCE} WHERE summary IS NOT NULL AND coalesce(next_firing_at > ?, 1) LIMIT ?`,
    )
      .safeIntegers(false)
      .raw(true),
    storedEvidence: prepare(`${STORED_EVIDENCE} WHERE relationship_id = ? AND summary IS NOT NULL`)
      .safeIntegers(false)
      .raw(true),
    communications: prepare(
      'SELECT position, revision, event_id, data, recorded_at FROM program_communications ' +
        'WHERE program_id = ? ORDER BY position',
    ),
    idempotentEvent: prepare(
      'SELECT event_id, stream_id, position, idempotency_key, input_hash, mutation FROM event_index ' +
        'WHERE event_id = ? ORDER BY position LIMIT 1',
    ),
  };
}

const readersOf = (db: Database.Database): Readers => ({
  programs: programsProjection.reader(db),
  participants: participantsProjection.reader(db),
  relationships: relationshipsProjection.reader(db),
});

/**
 * The query side of the read models: synchronous reads of what the runner has
 * committed. Ids are looked up case-insensitively; unknown ids give null.
 */
export class ReadModels {
  private statements: ReturnType<typeof statementsOf>;
  private readers: Readers;
  private watch: CommitWatch;
  // Each relationship's revision as last read, while the watch sees no commit (any commit clears them).
  private readonly revisions = new Map<string, number | null>();

  constructor(private database: ReadModelDatabase) {
    this.statements = statementsOf(database.connection);
    this.readers = readersOf(database.connection);
    this.watch = new CommitWatch(database.file, database.connection, this);
  }

  /** Answers from another database from now on (a rebuilt file swapped in); the caller closes the old one. */
  switchTo(database: ReadModelDatabase): void {
    this.statements = statementsOf(database.connection);
    this.readers = readersOf(database.connection);
    this.database = database;
    this.watch.close();
    this.watch = new CommitWatch(database.file, database.connection, this);
    this.revisions.clear();
  }

  /** The position the read models are consistent with; null before the first event. */
  checkpoint(): bigint | null {
    return this.database.checkpoint();
  }

  getProgram(id: string): ProgramView | null {
    return this.readers.programs.byIds([key(id)]).get(key(id)) ?? null;
  }

  /** Programs in launch order; `last`/`before` read the list backwards. */
  listPrograms(request: PageRequest): Page<ProgramView> {
    const window = pageWindow(request, DEFAULT_PAGE_SIZE);
    const statement = window.backward ? this.statements.programPageBackward : this.statements.programPage;
    const rows = statement.all(window.above, window.below, window.limit) as DocRow[];
    return pageOf(this.readers.programs, rows, window);
  }

  countPrograms(): number {
    return Number((this.statements.programCount.get() as { count: bigint }).count);
  }

  getParticipant(id: string): ParticipantView | null {
    return this.getParticipants([id])[0];
  }

  /** One entry per id, in the order asked (null where unknown): what a DataLoader batch function returns. */
  getParticipants(ids: readonly string[]): (ParticipantView | null)[] {
    return byIds(this.readers.participants, ids);
  }

  /** The participant's email, unless none was given or it was erased. */
  participantEmail(participantId: string): string | null {
    const row = this.statements.participantEmail.get(key(participantId)) as { email: string } | undefined;
    return row?.email ?? null;
  }

  getRelationship(id: string): RelationshipView | null {
    return this.getRelationships([id])[0];
  }

  /** One entry per id, in the order asked (null where unknown). */
  getRelationships(ids: readonly string[]): (RelationshipView | null)[] {
    return byIds(this.readers.relationships, ids);
  }

  /** The relationships the participant is a party of (for access decisions): ids, program and parties. */
  partiesOfParticipant(
    participantId: string,
  ): { relationshipId: string; programId: string; mentorId: string; menteeId: string }[] {
    const rows = this.statements.partiesOfParticipant.all({ id: participantId }) as [string, string, string, string][];
    return rows.map(([relationshipId, programId, mentorId, menteeId]) => ({
      relationshipId,
      programId,
      mentorId,
      menteeId,
    }));
  }

  /** A program's relationships in start order, optionally of one stored status. */
  listRelationships(request: RelationshipListRequest): Page<RelationshipView> {
    const status = statusFilter(request.status);
    // Forward only: the API filters this list by a status judged at `now`, so it pages over the models itself.
    const window = pageWindow({ first: request.first, after: request.after }, DEFAULT_PAGE_SIZE);
    const rows = (
      status === null
        ? this.statements.relationshipPage.all(key(request.programId), window.above, window.below, window.limit)
        : this.statements.relationshipPageByStatus.all(
            key(request.programId),
            status,
            window.above,
            window.below,
            window.limit,
          )
    ) as DocRow[];
    return pageOf(this.readers.relationships, rows, window);
  }

  countRelationships(request: Pick<RelationshipListRequest, 'programId' | 'status'>): number {
    const status = statusFilter(request.status);
    const row =
      status === null
        ? this.statements.relationshipCount.get(key(request.programId))
        : this.statements.relationshipCountByStatus.get(key(request.programId), status);
    return Number((row as { count: bigint }).count);
  }

  /** Every fact of the relationship's stream, in position order: the trust engine's input. */
  relationshipFacts(relationshipId: string): Recorded<RelationshipEvent>[] {
    return (this.statements.facts.all(key(relationshipId)) as FactRow[]).map(toFact);
  }

  /** The facts of each of the program's relationships, relationships in start order, facts in position order. */
  relationshipFactsForProgram(programId: string): Map<string, Recorded<RelationshipEvent>[]> {
    return new Map(this.eachRelationshipFactsOfProgram(programId));
  }

  /**
   * The same, one relationship at a time, so a caller folding each one holds
   * a single relationship's facts rather than the program's. The connection
   * is busy until the iteration ends: run no other query meanwhile.
   */
  *eachRelationshipFactsOfProgram(programId: string): Generator<[string, Recorded<RelationshipEvent>[]]> {
    let current: Recorded<RelationshipEvent>[] = [];
    let currentId: string | null = null;
    for (const row of this.statements.programFacts.iterate(key(programId)) as IterableIterator<FactRow>) {
      if (row[0] !== currentId) {
        if (currentId !== null) yield [currentId, current];
        currentId = row[0];
        current = [];
      }
      current.push(toFact(row));
    }
    if (currentId !== null) yield [currentId, current];
  }

  /**
   * The stream revision of each of the program's relationships, in start
   * order: it changes with every fact projected, so it tells whether anything
   * derived from a relationship's facts is still current.
   */
  relationshipRevisions(programId: string): { id: string; revision: number }[] {
    const rows = this.statements.relationshipRevisions.all(key(programId)) as [string, number][];
    return rows.map(([id, revision]) => ({ id, revision }));
  }

  /**
   * The stream revision of one relationship (see relationshipRevisions); null when unknown. Exactly what the read
   * database holds now, a commit of another process included: kept only while no commit has been made since it was
   * read (CommitWatch), and read afresh inside a transaction of this connection (which sees its own writes).
   */
  relationshipRevision(relationshipId: string): number | null {
    const id = key(relationshipId);
    const database = this.database;
    if (!database.isOpen) {
      this.watch.close();
      return this.readRevision(id);
    }
    if (database.connection.inTransaction) return this.readRevision(id);
    if (this.watch.unchanged()) {
      const kept = this.revisions.get(id);
      if (kept !== undefined) return kept;
    } else {
      this.revisions.clear();
      if (!this.watch.accept()) return this.readRevision(id);
    }
    // Read after the header the watch compares with: a commit in between clears it at the next call.
    const revision = this.readRevision(id);
    if (this.revisions.size >= READ_MODELS_TUNING.keptRevisions) this.revisions.clear();
    this.revisions.set(id, revision);
    return revision;
  }

  private readRevision(id: string): number | null {
    const revision = this.statements.relationshipRevision.get(id) as number | null | undefined;
    return revision === undefined ? null : Number(revision);
  }

  /**
   * The stored evidence summaries of the program's relationships (those
   * refreshed since their last fact), in no particular order: the caller
   * checks each against the relationship's revision and its instant.
   */
  *storedEvidenceOfProgram(programId: string): Generator<StoredEvidenceRow> {
    for (const row of this.statements.storedEvidenceOfProgram.iterate(
      key(programId),
    ) as IterableIterator<StoredEvidenceTuple>) {
      yield toStoredEvidence(row);
    }
  }

  /** Up to `limit` stored evidence summaries, of any program, that no time-triggered rule made stale by `now`. */
  *storedEvidenceStillCurrent(now: number, limit: number): Generator<StoredEvidenceRow> {
    for (const row of this.statements.storedEvidenceStillCurrent.iterate(
      now,
      limit,
    ) as IterableIterator<StoredEvidenceTuple>) {
      yield toStoredEvidence(row);
    }
  }

  /** The stored evidence summary of one relationship; null when none is stored (yet). */
  storedEvidence(relationshipId: string): StoredEvidenceRow | null {
    const row = this.statements.storedEvidence.get(key(relationshipId)) as StoredEvidenceTuple | undefined;
    return row === undefined ? null : toStoredEvidence(row);
  }

  /** The program's ProgramCommunicationRecorded facts in position order. */
  programCommunications(programId: string): Recorded<ProgramCommunicationRecorded>[] {
    const rows = this.statements.communications.all(key(programId)) as {
      position: bigint;
      revision: bigint;
      event_id: string;
      data: string;
      recorded_at: string;
    }[];
    return rows.map((row) => ({
      eventId: row.event_id,
      position: row.position,
      revision: Number(row.revision),
      recordedAt: row.recorded_at,
      event: { type: 'ProgramCommunicationRecorded', data: JSON.parse(row.data) },
    }));
  }

  /** The event an idempotent append recorded under this id, or null (also for events appended without a key). */
  findIdempotentEvent(eventId: string): IdempotentEvent | null {
    const row = this.statements.idempotentEvent.get(key(eventId)) as
      | {
          event_id: string;
          stream_id: string;
          position: bigint;
          idempotency_key: string;
          input_hash: string | null;
          mutation: string | null;
        }
      | undefined;
    if (row === undefined) return null;
    return {
      eventId: row.event_id,
      streamId: row.stream_id,
      position: row.position,
      idempotencyKey: row.idempotency_key,
      inputHash: row.input_hash,
      mutation: row.mutation,
    };
  }
}

function byIds<T>(reader: DocumentReader<T>, ids: readonly string[]): (T | null)[] {
  const found = reader.byIds(ids.map(key));
  return ids.map((id) => found.get(key(id)) ?? null);
}

const pageOf = <T>(reader: DocumentReader<T>, rows: DocRow[], window: PageWindow): Page<T> =>
  toPage(
    rows,
    window,
    (row) => row.position,
    (shown) => reader.assemble(shown),
  );

function statusFilter(status: RelationshipStatusAt | null | undefined): RelationshipStatusAt | null {
  if (status === undefined || status === null) return null;
  if (!STATUSES.has(status)) throw new InvalidPageRequest(`Unknown relationship status ${JSON.stringify(status)}`);
  return status;
}
