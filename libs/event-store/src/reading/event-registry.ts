import {
  noticeHours,
  type Instant,
  type MeetingCancelled,
  type ParticipantEvent,
  type ProgramEvent,
  type RelationshipEvent,
} from '@trustline/domain';
import { legacyValue } from '../personal-data/field-cipher';
import { PERSONAL_FIELDS } from '../personal-data/personal-fields';
import { type StreamType, streamName } from '../stream-names';

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

// The types with personal fields stored them in plain text below their
// `sealedSince` version, and from it on as envelopes (personal-data/
// field-cipher.ts). The step up to `sealedSince` marks each plaintext value
// as legacy plaintext of its subject, so readers hide it once the subject is
// erased. It cannot encrypt it: the stored bytes stay as they are
// (docs/erasure.md).
const markLegacy =
  (fields: readonly string[]): Upcaster =>
  (data) => {
    const record = data as Record<string, unknown>;
    const subject =
      typeof record.participantId === 'string' && record.relationshipId === undefined
        ? streamName('participant', record.participantId)
        : streamName('relationship', String(record.relationshipId));
    const lifted: Record<string, unknown> = { ...record };
    for (const field of fields) {
      if (typeof lifted[field] === 'string') lifted[field] = legacyValue(lifted[field] as string, subject);
    }
    return lifted;
  };

/** A type with personal fields: sealed from its `sealedSince` version, older upcasters kept. */
const sealed = (
  type: keyof typeof PERSONAL_FIELDS,
  stream: StreamType,
  older: Readonly<Record<number, Upcaster>> = {},
): EventTypeDefinition => {
  const { fields, sealedSince } = PERSONAL_FIELDS[type];
  return { stream, version: sealedSince, upcasters: { ...older, [sealedSince - 1]: markLegacy(fields) } };
};

// Written as a record over the union's type names, so the compiler fails when
// the domain adds or renames an event without the store learning of it.
export const DOMAIN_EVENTS: { readonly [T in DomainEvent['type']]: EventTypeDefinition } = {
  ProgramLaunched: v1('program'),
  ProgramCommunicationRecorded: v1('program'),
  ParticipantRegistered: sealed('ParticipantRegistered', 'participant'),
  ParticipantErased: v1('participant'),
  RelationshipStarted: v1('relationship'),
  MentorMotivesAssessed: sealed('MentorMotivesAssessed', 'relationship'),
  PromiseMade: sealed('PromiseMade', 'relationship'),
  PromiseRenegotiated: v1('relationship'),
  PromiseKept: v1('relationship'),
  PromiseBroken: sealed('PromiseBroken', 'relationship'),
  MeetingScheduled: v1('relationship'),
  MeetingRescheduled: v1('relationship'),
  MeetingCancelled: sealed('MeetingCancelled', 'relationship', { 1: meetingCancelledV1ToV2 }),
  MeetingHeld: v1('relationship'),
  MeetingMissed: v1('relationship'),
  TrustCheckInSubmitted: v1('relationship'),
  RelationshipPaused: sealed('RelationshipPaused', 'relationship'),
  RelationshipResumed: v1('relationship'),
  RelationshipEnded: v1('relationship'),
};
