import type { Instant } from '../shared/instant';

export type Party = 'MENTOR' | 'MENTEE';
export type EndedBy = Party | 'PROGRAM';
export type MeetingMode = 'VIRTUAL' | 'IN_PERSON';
export type EndReason = 'COMPLETED' | 'MISMATCH' | 'TRUST_BREAKDOWN' | 'LEFT_PROGRAM' | 'OTHER';
export type Motive =
  | 'DEVELOP_MENTEE'
  | 'GIVE_BACK'
  | 'PASS_THE_TORCH'
  | 'SHARE_OWN_IDEAS'
  | 'EXPAND_NETWORK'
  | 'CAREER_VISIBILITY'
  | 'OTHER';

// Every event carries `occurredAt` (when the fact happened, possibly back-dated)
// and, where a rule of the trust model needs it, the state it judged at the
// time (a promise's due date, a meeting's start), so that each stored fact is
// self-describing and projections never need to look elsewhere.
// Stored type names are part of the data format: never rename one.

export type RelationshipStarted = {
  type: 'RelationshipStarted';
  data: {
    relationshipId: string;
    programId: string;
    mentorId: string;
    menteeId: string;
    /** The agreed cadence: the relationship's own, else the program's at the start. */
    cadenceDays: number;
    occurredAt: Instant;
  };
};

export type MentorMotivesAssessed = {
  type: 'MentorMotivesAssessed';
  data: {
    relationshipId: string;
    primaryMotive: Motive;
    menteeDevelopmentFirst: boolean;
    note: string | null;
    occurredAt: Instant;
  };
};

export type PromiseMade = {
  type: 'PromiseMade';
  data: {
    relationshipId: string;
    promiseId: string;
    promisor: Party;
    description: string;
    dueAt: Instant;
    occurredAt: Instant;
  };
};

export type PromiseRenegotiated = {
  type: 'PromiseRenegotiated';
  data: {
    relationshipId: string;
    promiseId: string;
    promisor: Party;
    previousDueAt: Instant;
    newDueAt: Instant;
    occurredAt: Instant;
  };
};

export type PromiseKept = {
  type: 'PromiseKept';
  data: {
    relationshipId: string;
    promiseId: string;
    promisor: Party;
    /** The due date in force when it was kept. */
    dueAt: Instant;
    occurredAt: Instant;
  };
};

export type PromiseBroken = {
  type: 'PromiseBroken';
  data: {
    relationshipId: string;
    promiseId: string;
    promisor: Party;
    dueAt: Instant;
    reason: string | null;
    occurredAt: Instant;
  };
};

export type MeetingScheduled = {
  type: 'MeetingScheduled';
  data: {
    relationshipId: string;
    meetingId: string;
    startsAt: Instant;
    durationMinutes: number;
    mode: MeetingMode;
    scheduledBy: Party;
    occurredAt: Instant;
  };
};

export type MeetingRescheduled = {
  type: 'MeetingRescheduled';
  data: {
    relationshipId: string;
    meetingId: string;
    previousStartsAt: Instant;
    newStartsAt: Instant;
    by: Party;
    occurredAt: Instant;
  };
};

export type MeetingCancelled = {
  type: 'MeetingCancelled';
  data: {
    relationshipId: string;
    meetingId: string;
    /** The meeting's start as it stood just before the cancellation. */
    startsAt: Instant;
    by: Party;
    reason: string | null;
    /** Hours from the cancellation to that start; negative once the meeting had started. Since schema version 2. */
    noticeHours: number;
    occurredAt: Instant;
  };
};

export type MeetingHeld = {
  type: 'MeetingHeld';
  data: {
    relationshipId: string;
    meetingId: string;
    /** The effective start: the reported start, else the meeting's startsAt. */
    startedAt: Instant;
    durationMinutes: number;
    mentorMinutesLate: number;
    menteeMinutesLate: number;
    occurredAt: Instant;
  };
};

export type MeetingMissed = {
  type: 'MeetingMissed';
  data: {
    relationshipId: string;
    meetingId: string;
    /** The meeting's start when it was missed: the fact's effective instant. */
    startsAt: Instant;
    absent: Party[];
    occurredAt: Instant;
  };
};

export type TrustCheckInSubmitted = {
  type: 'TrustCheckInSubmitted';
  data: {
    relationshipId: string;
    checkInId: string;
    respondent: Party;
    ability: number;
    benevolence: number;
    integrity: number;
    openness: number | null;
    organization: number | null;
    occurredAt: Instant;
  };
};

export type RelationshipPaused = {
  type: 'RelationshipPaused';
  data: {
    relationshipId: string;
    until: Instant | null;
    reason: string | null;
    occurredAt: Instant;
  };
};

export type RelationshipResumed = {
  type: 'RelationshipResumed';
  data: { relationshipId: string; occurredAt: Instant };
};

export type RelationshipEnded = {
  type: 'RelationshipEnded';
  data: {
    relationshipId: string;
    endedBy: EndedBy;
    reason: EndReason;
    planned: boolean;
    occurredAt: Instant;
  };
};

export type RelationshipEvent =
  | RelationshipStarted
  | MentorMotivesAssessed
  | PromiseMade
  | PromiseRenegotiated
  | PromiseKept
  | PromiseBroken
  | MeetingScheduled
  | MeetingRescheduled
  | MeetingCancelled
  | MeetingHeld
  | MeetingMissed
  | TrustCheckInSubmitted
  | RelationshipPaused
  | RelationshipResumed
  | RelationshipEnded;

export type RelationshipEventType = RelationshipEvent['type'];
