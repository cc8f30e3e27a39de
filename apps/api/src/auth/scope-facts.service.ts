import { Inject, Injectable } from '@nestjs/common';
import type { Caller, ParticipantFacts, Principal, ProgramFacts, RelationshipFacts } from '@trustline/access';
import { EVENT_STORE, type EventStore, StreamNotFound, type StreamType, streamName } from '@trustline/event-store';
import { ReadModels } from '@trustline/projections';

/**
 * The stored facts access decisions are made from. Scope comes from each
 * entity's first event, read from its own stream (what the store holds, not
 * a read model that may lag): a relationship's program and parties, a
 * participant's program. Inputs only say which entity to look at.
 */
/** Streams whose first event is kept in memory (each a few hundred bytes); the oldest goes first. */
const FIRST_EVENTS_KEPT = 50_000;

@Injectable()
export class ScopeFacts {
  // A stream's first event never changes (stored events are never rewritten), so once found it is kept:
  // every root field asks for its target's scope, and this spares a store read per field on the read path.
  // A stream not found yet is not kept: it may be written a moment later.
  private readonly firstEvents = new Map<string, Record<string, unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  async program(id: string): Promise<ProgramFacts | null> {
    const data = await this.firstEventData('program', id);
    return data && typeof data.programId === 'string' ? { programId: data.programId } : null;
  }

  async participant(id: string): Promise<ParticipantFacts | null> {
    const data = await this.firstEventData('participant', id);
    return data && typeof data.participantId === 'string' && typeof data.programId === 'string'
      ? { participantId: data.participantId, programId: data.programId }
      : null;
  }

  async relationship(id: string): Promise<RelationshipFacts | null> {
    const data = await this.firstEventData('relationship', id);
    if (
      !data ||
      typeof data.programId !== 'string' ||
      typeof data.mentorId !== 'string' ||
      typeof data.menteeId !== 'string'
    ) {
      return null;
    }
    return {
      relationshipId: String(data.relationshipId),
      programId: data.programId,
      mentorId: data.mentorId,
      menteeId: data.menteeId,
    };
  }

  /** The relationships a participant is a party of: who its counterparts are. */
  relationshipsOf(participantId: string): RelationshipFacts[] {
    return this.readModels.partiesOfParticipant(participantId);
  }

  /** The caller with the participant its token names, as stored. */
  async caller(principal: Principal): Promise<Caller> {
    return { principal, participant: principal.participantId ? await this.participant(principal.participantId) : null };
  }

  private async firstEventData(type: StreamType, id: string): Promise<Record<string, unknown> | null> {
    const stream = streamName(type, id);
    const kept = this.firstEvents.get(stream);
    if (kept !== undefined) return kept;
    try {
      const [first] = await this.store.readStream(stream, { maxCount: 1 });
      if (!first) return null;
      const data = first.data as Record<string, unknown>;
      if (this.firstEvents.size >= FIRST_EVENTS_KEPT) this.firstEvents.delete(this.firstEvents.keys().next().value!);
      this.firstEvents.set(stream, data);
      return data;
    } catch (error) {
      if (error instanceof StreamNotFound) return null;
      throw error;
    }
  }
}
