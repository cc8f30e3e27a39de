import type { RecordedEvent } from './event-store.port';

// The stored event types and the schema version each is written at today.
// Stored names never change. A changed shape gets a new version here and an
// upcaster below that lifts the old shape; stored events are never rewritten.
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  ProgramLaunched: 1,
  ProgramCommunicationRecorded: 1,
  ParticipantRegistered: 1,
  RelationshipStarted: 1,
  MentorMotivesAssessed: 1,
  PromiseMade: 1,
  PromiseRenegotiated: 1,
  PromiseKept: 1,
  PromiseBroken: 1,
  MeetingScheduled: 1,
  MeetingRescheduled: 1,
  MeetingCancelled: 1,
  MeetingHeld: 1,
  MeetingMissed: 1,
  TrustCheckInSubmitted: 1,
  RelationshipPaused: 1,
  RelationshipResumed: 1,
  RelationshipEnded: 1,
};

export const schemaVersionOf = (type: string): number => {
  const version = EVENT_SCHEMA_VERSIONS[type];
  if (version === undefined) throw new Error(`No schema version registered for stored type ${type}`);
  return version;
};

/** Lifts data stored at `from` to `from + 1`. */
export type Upcaster = (data: unknown) => unknown;
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/** None yet: every type is still at version 1. */
export const UPCASTERS: UpcasterRegistry = {};

/** The event with its data lifted, step by step, to the current schema version of its type. */
export function upcast(
  event: RecordedEvent,
  upcasters: UpcasterRegistry = UPCASTERS,
  versions: Readonly<Record<string, number>> = EVENT_SCHEMA_VERSIONS,
): RecordedEvent {
  const current = versions[event.type];
  let version = Number(event.metadata.schemaVersion ?? 1);
  if (current === undefined || version >= current) return event;
  let data = event.data;
  for (; version < current; version++) {
    const lift = upcasters[event.type]?.[version];
    if (!lift) throw new Error(`No upcaster for ${event.type} from schema version ${version}`);
    data = lift(data);
  }
  return { ...event, data, metadata: { ...event.metadata, schemaVersion: current } };
}
