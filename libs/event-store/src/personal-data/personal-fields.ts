// Which fields of which stored events are personal data or a relationship's
// private content (authorization.md §2 and §5), sealed under the key of the
// event's own stream: a participant's key for its name and email, the
// relationship's key (owned by both parties) for the free text said in it.
// Everything the trust model reads (ratings, dates, statuses) is not listed
// and stays readable, so every figure survives an erasure.
// Like the forgettable-payload annotations of event-sourcing libraries, but
// as data in one place: adding a free-text field means adding it here, and
// the schema version of its type goes up with an upcaster (event-types.ts).
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ParticipantRegistered: ['displayName', 'email'],
  MentorMotivesAssessed: ['note'],
  PromiseMade: ['description'],
  PromiseBroken: ['reason'],
  MeetingCancelled: ['reason'],
  RelationshipPaused: ['reason'],
};

/** The schema version from which a type's personal fields are stored sealed. */
export const SEALED_SINCE_VERSION = 2;

export const personalFieldsOf = (type: string): readonly string[] => PERSONAL_FIELDS[type] ?? [];
