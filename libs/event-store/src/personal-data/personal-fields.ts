// Which fields of which stored events are personal data or a relationship's
// private content (authorization.md §2 and §5), sealed under the key of the
// event's own stream: a participant's key for its name and email, the
// relationship's key (owned by both parties) for the free text said in it.
// Everything the trust model reads (ratings, dates, statuses) is not listed
// and stays readable, so every figure survives an erasure.
// Like the forgettable-payload annotations of event-sourcing libraries, but
// as data in one place: adding a free-text field means adding it here, and
// the schema version of its type goes up with an upcaster (event-types.ts).

export interface PersonalFields {
  readonly fields: readonly string[];
  /** The schema version from which these fields are stored sealed; every older version holds them in plain text. */
  readonly sealedSince: number;
}

export const PERSONAL_FIELDS: Readonly<Record<string, PersonalFields>> = {
  ParticipantRegistered: { fields: ['displayName', 'email'], sealedSince: 2 },
  MentorMotivesAssessed: { fields: ['note'], sealedSince: 2 },
  PromiseMade: { fields: ['description'], sealedSince: 2 },
  PromiseBroken: { fields: ['reason'], sealedSince: 2 },
  // Version 2 added noticeHours (still plaintext reason); sealed from version 3.
  MeetingCancelled: { fields: ['reason'], sealedSince: 3 },
  RelationshipPaused: { fields: ['reason'], sealedSince: 2 },
};

export const personalFieldsOf = (type: string): readonly string[] => PERSONAL_FIELDS[type]?.fields ?? [];

/** Whether a stored event holds personal fields in plain text (written before sealing existed for its type). */
export const holdsLegacyPlaintext = (type: string, schemaVersion: number): boolean => {
  const personal = PERSONAL_FIELDS[type];
  return personal !== undefined && schemaVersion < personal.sealedSince;
};
