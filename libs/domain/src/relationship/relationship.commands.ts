import type { ParticipantRole } from '../participant/participant.events';
import type { Instant } from '../shared/instant';
import type { EndedBy, EndReason, MeetingMode, Motive, Party } from './relationship.events';

// Commands carry everything a decision needs: the caller has already defaulted
// `occurredAt` (and every input with a contract default), generated the ids of
// the entities a command creates, and read the facts it needs from other
// streams (null when that stream does not exist).

/** A participant as read from its own stream. */
export type ParticipantFact = { participantId: string; programId: string; role: ParticipantRole };

/** A program as read from its own stream. */
export type ProgramFact = { programId: string; cadenceDays: number };

export type StartRelationship = {
  type: 'StartRelationship';
  data: {
    relationshipId: string;
    programId: string;
    mentorId: string;
    menteeId: string;
    /** The relationship's own cadence; null takes the program's. */
    cadenceDays: number | null;
    occurredAt: Instant;
    program: ProgramFact | null;
    mentor: ParticipantFact | null;
    mentee: ParticipantFact | null;
  };
};

export type AssessMentorMotives = {
  type: 'AssessMentorMotives';
  data: {
    relationshipId: string;
    primaryMotive: Motive;
    menteeDevelopmentFirst: boolean;
    note: string | null;
    occurredAt: Instant;
  };
};

export type MakePromise = {
  type: 'MakePromise';
  data: {
    relationshipId: string;
    promiseId: string;
    promisor: Party;
    description: string;
    dueAt: Instant;
    occurredAt: Instant;
  };
};

export type RenegotiatePromise = {
  type: 'RenegotiatePromise';
  data: { relationshipId: string; promiseId: string; newDueAt: Instant; occurredAt: Instant };
};

export type KeepPromise = {
  type: 'KeepPromise';
  data: { relationshipId: string; promiseId: string; occurredAt: Instant };
};

export type BreakPromise = {
  type: 'BreakPromise';
  data: { relationshipId: string; promiseId: string; reason: string | null; occurredAt: Instant };
};

export type ScheduleMeeting = {
  type: 'ScheduleMeeting';
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

export type RescheduleMeeting = {
  type: 'RescheduleMeeting';
  data: { relationshipId: string; meetingId: string; newStartsAt: Instant; by: Party; occurredAt: Instant };
};

export type CancelMeeting = {
  type: 'CancelMeeting';
  data: { relationshipId: string; meetingId: string; by: Party; reason: string | null; occurredAt: Instant };
};

export type RecordMeetingHeld = {
  type: 'RecordMeetingHeld';
  data: {
    relationshipId: string;
    meetingId: string;
    /** When it really started; null means at its scheduled start. */
    startedAt: Instant | null;
    /** How long it really lasted; null means as scheduled. */
    durationMinutes: number | null;
    mentorMinutesLate: number;
    menteeMinutesLate: number;
    occurredAt: Instant;
  };
};

export type RecordMeetingMissed = {
  type: 'RecordMeetingMissed';
  data: { relationshipId: string; meetingId: string; absent: Party[]; occurredAt: Instant };
};

export type SubmitTrustCheckIn = {
  type: 'SubmitTrustCheckIn';
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

export type PauseRelationship = {
  type: 'PauseRelationship';
  data: { relationshipId: string; until: Instant | null; reason: string | null; occurredAt: Instant };
};

export type ResumeRelationship = {
  type: 'ResumeRelationship';
  data: { relationshipId: string; occurredAt: Instant };
};

export type EndRelationship = {
  type: 'EndRelationship';
  data: {
    relationshipId: string;
    endedBy: EndedBy;
    reason: EndReason;
    planned: boolean;
    occurredAt: Instant;
  };
};

export type RelationshipCommand =
  | StartRelationship
  | AssessMentorMotives
  | MakePromise
  | RenegotiatePromise
  | KeepPromise
  | BreakPromise
  | ScheduleMeeting
  | RescheduleMeeting
  | CancelMeeting
  | RecordMeetingHeld
  | RecordMeetingMissed
  | SubmitTrustCheckIn
  | PauseRelationship
  | ResumeRelationship
  | EndRelationship;

export type RelationshipCommandType = RelationshipCommand['type'];
