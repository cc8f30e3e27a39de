import type { ParticipantEvent, ProgramEvent, Recorded, RelationshipEvent } from '@trustline/domain';
import { parseStreamName, type RecordedEvent, type StreamType } from '@trustline/event-store';

/** A stored event as every projection of a batch sees it: parsed once, upcast once. */
export interface ProjectedEvent {
  /** The stored event with its data lifted to the current schema version. */
  readonly stored: RecordedEvent;
  /** Its stream's type and entity id; null for a stream Trustline does not name. */
  readonly stream: { readonly type: StreamType; readonly id: string } | null;
  /** The same event in the shape the domain folds: `event` is typed once a projection has checked `type`. */
  readonly fact: Recorded<{ type: string; data: unknown }>;
}

// Written as records so the compiler fails when the domain adds or renames a
// type without the read side learning of it.
const PROGRAM_TYPES: Record<ProgramEvent['type'], true> = { ProgramLaunched: true, ProgramCommunicationRecorded: true };
const PARTICIPANT_TYPES: Record<ParticipantEvent['type'], true> = { ParticipantRegistered: true, ParticipantErased: true };
const RELATIONSHIP_TYPES: Record<RelationshipEvent['type'], true> = {
  RelationshipStarted: true,
  MentorMotivesAssessed: true,
  PromiseMade: true,
  PromiseRenegotiated: true,
  PromiseKept: true,
  PromiseBroken: true,
  MeetingScheduled: true,
  MeetingRescheduled: true,
  MeetingCancelled: true,
  MeetingHeld: true,
  MeetingMissed: true,
  TrustCheckInSubmitted: true,
  RelationshipPaused: true,
  RelationshipResumed: true,
  RelationshipEnded: true,
};

export const EVENT_TYPES_BY_STREAM: Readonly<Record<StreamType, ReadonlySet<string>>> = {
  program: new Set(Object.keys(PROGRAM_TYPES)),
  participant: new Set(Object.keys(PARTICIPANT_TYPES)),
  relationship: new Set(Object.keys(RELATIONSHIP_TYPES)),
};

/** The domain events each stream type holds. */
export type EventOfStream = { program: ProgramEvent; participant: ParticipantEvent; relationship: RelationshipEvent };

/** The fact typed as its stream's domain event, or null when the stream or the type is not one the domain knows. */
export function domainFact<S extends StreamType>(event: ProjectedEvent, streamType: S): Recorded<EventOfStream[S]> | null {
  if (event.stream?.type !== streamType || !EVENT_TYPES_BY_STREAM[streamType].has(event.stored.type)) return null;
  return event.fact as Recorded<EventOfStream[S]>;
}

// Metadata written by the API always has recordedAt; the event's own
// occurredAt stands in for an event written by another tool without it.
const recordedAtOf = (event: RecordedEvent): string => {
  const recordedAt = event.metadata.recordedAt;
  if (typeof recordedAt === 'string') return recordedAt;
  const occurredAt = (event.data as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof occurredAt === 'string' ? occurredAt : '';
};

// Streams recur event after event: parse each name once. Cleared when full, which is rare and cheap.
const STREAM_NAME_CACHE_SIZE = 100_000;
const streamNames = new Map<string, ProjectedEvent['stream']>();

const parsedStream = (streamId: string): ProjectedEvent['stream'] => {
  let stream = streamNames.get(streamId);
  if (stream === undefined) {
    if (streamNames.size >= STREAM_NAME_CACHE_SIZE) streamNames.clear();
    stream = parseStreamName(streamId);
    streamNames.set(streamId, stream);
  }
  return stream;
};

/** Wraps an (already upcast) stored event for the projections. */
export function toProjectedEvent(stored: RecordedEvent): ProjectedEvent {
  return {
    stored,
    stream: parsedStream(stored.streamId),
    fact: {
      eventId: stored.id,
      position: stored.position,
      revision: Number(stored.revision),
      recordedAt: recordedAtOf(stored),
      event: { type: stored.type, data: stored.data },
    },
  };
}
