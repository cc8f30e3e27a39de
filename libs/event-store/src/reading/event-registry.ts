import {
  noticeHours,
  type Instant,
  type MeetingCancelled,
  type ParticipantEvent,
  type ProgramEvent,
  type RelationshipEvent,
} from '@trustline/domain';
import type { StreamType } from '../stream-names';

// Every stored event type the domain knows: the stream type that holds it,
// the schema version written today, and one upcaster per older version that
// lifts data stored at `v` to `v + 1`. Stored names never change and stored
// events are never rewritten: a changed shape gets a new version here and a
// tested upcaster (event-registry.spec.ts).

/** The domain events each stream type holds. */
export type EventOfStream = { program: ProgramEvent; participant: ParticipantEvent; relationship: RelationshipEvent };
export type DomainEvent = EventOfStream[StreamType];

/** Lifts data stored at one version to the next. Pure: an event's data is all it sees. */
export type Upcaster = (data: unknown) => unknown;

export interface EventTypeDefinition {
  readonly stream: StreamType;
  readonly version: number;
  /** `upcasters[v]` lifts version v to v + 1, for every v below `version`. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

export type EventRegistry = Readonly<Record<string, EventTypeDefinition>>;

const v1 = (stream: StreamType): EventTypeDefinition => ({ stream, version: 1, upcasters: {} });

// MeetingCancelled v2 records the notice the cancellation gave, as it was
// decided: the auditor's record and the relationship view read it from the
// fact instead of each recomputing it. A v1 event carried everything needed.
type MeetingCancelledV1 = Omit<MeetingCancelled['data'], 'noticeHours'>;
const meetingCancelledV1ToV2 = (data: unknown): MeetingCancelled['data'] => {
  const v1Data = data as MeetingCancelledV1;
  return { ...v1Data, noticeHours: noticeHours(v1Data.startsAt as Instant, v1Data.occurredAt) };
};

// Written as a record over the union's type names, so the compiler fails when
// the domain adds or renames an event without the store learning of it.
export const DOMAIN_EVENTS: { readonly [T in DomainEvent['type']]: EventTypeDefinition } = {
  ProgramLaunched: v1('program'),
  ProgramCommunicationRecorded: v1('program'),
  ParticipantRegistered: v1('participant'),
  RelationshipStarted: v1('relationship'),
  MentorMotivesAssessed: v1('relationship'),
  PromiseMade: v1('relationship'),
  PromiseRenegotiated: v1('relationship'),
  PromiseKept: v1('relationship'),
  PromiseBroken: v1('relationship'),
  MeetingScheduled: v1('relationship'),
  MeetingRescheduled: v1('relationship'),
  MeetingCancelled: { stream: 'relationship', version: 2, upcasters: { 1: meetingCancelledV1ToV2 } },
  MeetingHeld: v1('relationship'),
  MeetingMissed: v1('relationship'),
  TrustCheckInSubmitted: v1('relationship'),
  RelationshipPaused: v1('relationship'),
  RelationshipResumed: v1('relationship'),
  RelationshipEnded: v1('relationship'),
};
