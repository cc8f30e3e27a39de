import type { RecordedEvent } from './event-store.port';
import { legacyValue } from './personal-data/field-cipher';
import { PERSONAL_FIELDS } from './personal-data/personal-fields';
import { streamName } from './stream-names';

// The stored event types and the schema version each is written at today.
// Stored names never change. A changed shape gets a new version here and an
// upcaster below that lifts the old shape; stored events are never rewritten.
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  ProgramLaunched: 1,
  ProgramCommunicationRecorded: 1,
  ParticipantRegistered: PERSONAL_FIELDS.ParticipantRegistered.sealedSince,
  ParticipantErased: 1,
  RelationshipStarted: 1,
  MentorMotivesAssessed: PERSONAL_FIELDS.MentorMotivesAssessed.sealedSince,
  PromiseMade: PERSONAL_FIELDS.PromiseMade.sealedSince,
  PromiseRenegotiated: 1,
  PromiseKept: 1,
  PromiseBroken: PERSONAL_FIELDS.PromiseBroken.sealedSince,
  MeetingScheduled: 1,
  MeetingRescheduled: 1,
  MeetingCancelled: PERSONAL_FIELDS.MeetingCancelled.sealedSince,
  MeetingHeld: 1,
  MeetingMissed: 1,
  TrustCheckInSubmitted: 1,
  RelationshipPaused: PERSONAL_FIELDS.RelationshipPaused.sealedSince,
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

/**
 * The types with personal fields stored them in plain text below their
 * `sealedSince` version, and from it on as envelopes (personal-data/
 * field-cipher.ts). The last step up to `sealedSince` marks each plaintext
 * value as legacy plaintext of its subject, so
 * readers hide it once the subject is erased. It cannot encrypt it: the
 * stored bytes stay as they are (docs/erasure.md).
 */
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

export const UPCASTERS: UpcasterRegistry = Object.fromEntries(
  Object.entries(PERSONAL_FIELDS).map(([type, { fields, sealedSince }]) => [type, { [sealedSince - 1]: markLegacy(fields) }]),
);

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
