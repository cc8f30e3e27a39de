import type Database from 'better-sqlite3';
import type { ProgramCommunicationRecorded, Recorded, RelationshipEvent } from '@trustline/domain';
import type { RelationshipStatusAt } from '@trustline/domain/relationship/relationship.state';
import type { ParticipantView } from '../participants/participants.projection';
import type { ProgramView } from '../programs/programs.projection';
import type { RelationshipView } from '../relationships/relationships.projection';
import type { ReadModelDatabase } from '../runner/read-model.database';
import { InvalidPageRequest, rowsToRead, startAfter, toPage, type Page, type PageRequest } from './relay.cursor';

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
  position: bigint;
  doc: string;
}

type FactRow = [relationshipId: string, position: bigint, revision: bigint, eventId: string, type: string, data: string, recordedAt: string];

const STATUSES: ReadonlySet<string> = new Set<RelationshipStatusAt>(['ACTIVE', 'PAUSED', 'ENDED']);

// Stream names carry lower-case ids (streamName lowers them), so lookups do too.
const key = (id: string): string => id.toLowerCase();
const keysJson = (ids: readonly string[]): string => JSON.stringify(ids.map(key));

const toFact = (row: FactRow): Recorded<RelationshipEvent> => ({
  eventId: row[3],
  position: row[1],
  revision: Number(row[2]),
  recordedAt: row[6],
  event: { type: row[4], data: JSON.parse(row[5]) } as RelationshipEvent,
});

/**
 * The query side of the read models: synchronous reads of what the runner has
 * committed. Ids are looked up case-insensitively; unknown ids give null.
 */
export class ReadModels {
  private readonly statements;

  constructor(private readonly database: ReadModelDatabase) {
    const db = database.connection;
    const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(true);
    this.statements = {
      program: prepare('SELECT position, doc FROM programs WHERE id = ?'),
      programPage: prepare('SELECT position, doc FROM programs WHERE position > ? ORDER BY position LIMIT ?'),
      programCount: prepare('SELECT count(*) AS count FROM programs'),
      participants: prepare('SELECT id, doc FROM participants WHERE id IN (SELECT value FROM json_each(?))'),
      participantEmail: prepare('SELECT email FROM participant_emails WHERE participant_id = ?'),
      relationships: prepare('SELECT id, doc FROM relationships WHERE id IN (SELECT value FROM json_each(?))'),
      relationshipPage: prepare(
        'SELECT position, doc FROM relationships WHERE program_id = ? AND position > ? ORDER BY position LIMIT ?',
      ),
      relationshipPageByStatus: prepare(
        'SELECT position, doc FROM relationships WHERE program_id = ? AND status = ? AND position > ? ' +
          'ORDER BY position LIMIT ?',
      ),
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

  /** The position the read models are consistent with; null before the first event. */
  checkpoint(): bigint | null {
    return this.database.checkpoint();
  }

  getProgram(id: string): ProgramView | null {
    const row = this.statements.program.get(key(id)) as DocRow | undefined;
    return row === undefined ? null : (JSON.parse(row.doc) as ProgramView);
  }

  /** Programs in launch order. */
  listPrograms(request: PageRequest): Page<ProgramView> {
    const rows = this.statements.programPage.all(startAfter(request.after), rowsToRead(request.first)) as DocRow[];
    return toPage(rows, request.first, (row) => row.position, (row) => JSON.parse(row.doc) as ProgramView);
  }

  countPrograms(): number {
    return Number((this.statements.programCount.get() as { count: bigint }).count);
  }

  getParticipant(id: string): ParticipantView | null {
    return this.getParticipants([id])[0];
  }

  /** One entry per id, in the order asked (null where unknown): what a DataLoader batch function returns. */
  getParticipants(ids: readonly string[]): (ParticipantView | null)[] {
    return this.byIds<ParticipantView>(this.statements.participants, ids);
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
    return this.byIds<RelationshipView>(this.statements.relationships, ids);
  }

  /** A program's relationships in start order, optionally of one stored status. */
  listRelationships(request: RelationshipListRequest): Page<RelationshipView> {
    const status = statusFilter(request.status);
    const after = startAfter(request.after);
    const limit = rowsToRead(request.first);
    const rows = (
      status === null
        ? this.statements.relationshipPage.all(key(request.programId), after, limit)
        : this.statements.relationshipPageByStatus.all(key(request.programId), status, after, limit)
    ) as DocRow[];
    return toPage(rows, request.first, (row) => row.position, (row) => JSON.parse(row.doc) as RelationshipView);
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
    const facts = new Map<string, Recorded<RelationshipEvent>[]>();
    let current: Recorded<RelationshipEvent>[] = [];
    let currentId: string | null = null;
    for (const row of this.statements.programFacts.iterate(key(programId)) as IterableIterator<FactRow>) {
      if (row[0] !== currentId) {
        currentId = row[0];
        current = [];
        facts.set(currentId, current);
      }
      current.push(toFact(row));
    }
    return facts;
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

  private byIds<T>(statement: Database.Statement, ids: readonly string[]): (T | null)[] {
    if (ids.length === 0) return [];
    const found = new Map<string, T>();
    for (const row of statement.all(keysJson(ids)) as { id: string; doc: string }[]) {
      found.set(row.id, JSON.parse(row.doc) as T);
    }
    return ids.map((id) => found.get(key(id)) ?? null);
  }
}

function statusFilter(status: RelationshipStatusAt | null | undefined): RelationshipStatusAt | null {
  if (status === undefined || status === null) return null;
  if (!STATUSES.has(status)) throw new InvalidPageRequest(`Unknown relationship status ${JSON.stringify(status)}`);
  return status;
}
