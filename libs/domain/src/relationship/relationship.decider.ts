import { assertNever, type Decider } from '../shared/decider';
import { conflict, notFound } from '../shared/domain-error';
import { toMillis, type Instant } from '../shared/instant';
import { noticeHours } from '../trust/trust.judgements';
import type {
  AssessMentorMotives,
  BreakPromise,
  CancelMeeting,
  EndRelationship,
  KeepPromise,
  MakePromise,
  PauseRelationship,
  RecordMeetingHeld,
  RecordMeetingMissed,
  RelationshipCommand,
  RelationshipCommandType,
  RenegotiatePromise,
  RescheduleMeeting,
  ResumeRelationship,
  ScheduleMeeting,
  StartRelationship,
  SubmitTrustCheckIn,
} from './relationship.commands';
import type { RelationshipEvent } from './relationship.events';
import {
  evolveRelationship,
  initialRelationshipState,
  isPausedAt,
  meetingOf,
  pauseCovers,
  promiseOf,
  type MeetingStanding,
  type OpenRelationship,
  type PromiseStanding,
  type RelationshipState,
} from './relationship.state';

export const CHECK_IN_RATING = { min: 1, max: 5 } as const;

const ALLOWED_WHILE_PAUSED: ReadonlySet<RelationshipCommandType> = new Set<RelationshipCommandType>([
  'SubmitTrustCheckIn',
  'ResumeRelationship',
  'EndRelationship',
]);

const isBefore = (a: Instant, b: Instant): boolean => toMillis(a) < toMillis(b);

// ---- relationship lifecycle -------------------------------------------------

const start = ({ data }: StartRelationship, state: RelationshipState): RelationshipEvent[] => {
  if (state.status !== 'none') {
    throw conflict('relationship.already-exists', `Relationship ${data.relationshipId} already exists`);
  }
  const { program, mentor, mentee } = data;
  if (program === null || program.programId !== data.programId) {
    throw notFound('program.not-found', `Program ${data.programId} does not exist`);
  }
  if (mentor === null || mentor.participantId !== data.mentorId) {
    throw notFound('participant.not-found', `Mentor ${data.mentorId} does not exist`);
  }
  if (mentee === null || mentee.participantId !== data.menteeId) {
    throw notFound('participant.not-found', `Mentee ${data.menteeId} does not exist`);
  }
  if (data.mentorId === data.menteeId) {
    throw conflict('relationship.same-participant', 'Mentor and mentee must be different participants');
  }
  if (mentor.programId !== data.programId || mentee.programId !== data.programId) {
    throw conflict(
      'relationship.participant-outside-program',
      `Mentor and mentee must both be registered in program ${data.programId}`,
    );
  }
  if (mentor.role !== 'MENTOR') {
    throw conflict('relationship.wrong-role', `Participant ${data.mentorId} is not registered as a mentor`);
  }
  if (mentee.role !== 'MENTEE') {
    throw conflict('relationship.wrong-role', `Participant ${data.menteeId} is not registered as a mentee`);
  }
  return [
    {
      type: 'RelationshipStarted',
      data: {
        relationshipId: data.relationshipId,
        programId: data.programId,
        mentorId: data.mentorId,
        menteeId: data.menteeId,
        cadenceDays: data.cadenceDays ?? program.cadenceDays,
        occurredAt: data.occurredAt,
      },
    },
  ];
};

// Guards every command on an existing relationship shares. The pause is judged
// at the fact's own instant, so a back-dated fact meets the pauses of its time.
const requireOpen = (
  command: Exclude<RelationshipCommand, StartRelationship>,
  state: RelationshipState,
): OpenRelationship => {
  const { relationshipId, occurredAt } = command.data;
  if (state.status === 'none') {
    throw notFound('relationship.not-found', `Relationship ${relationshipId} does not exist`);
  }
  if (state.status === 'ended') {
    throw conflict('relationship.ended', `Relationship ${relationshipId} has ended`);
  }
  if (isBefore(occurredAt, state.startedAt)) {
    throw conflict('relationship.before-start', 'A fact cannot occur before the relationship started');
  }
  if (!ALLOWED_WHILE_PAUSED.has(command.type) && isPausedAt(state.pauses, occurredAt)) {
    throw conflict('relationship.paused', 'A paused relationship accepts only check-ins, resume and end');
  }
  return state;
};

const pause = ({ data }: PauseRelationship, relationship: OpenRelationship): RelationshipEvent[] => {
  if (data.until !== null && !isBefore(data.occurredAt, data.until)) {
    throw conflict('relationship.pause-ends-before-it-starts', 'A pause must last until after it starts');
  }
  const previous = relationship.pauses.at(-1);
  if (previous !== undefined && isBefore(data.occurredAt, previous.pausedAt)) {
    throw conflict('relationship.pause-before-previous', 'A pause cannot start before the previous pause');
  }
  if (isBefore(data.occurredAt, relationship.lastActivityAt)) {
    throw conflict(
      'relationship.pause-overlaps-activity',
      'A pause cannot start before the latest motive, promise or meeting fact already recorded',
    );
  }
  const { relationshipId, until, reason, occurredAt } = data;
  return [{ type: 'RelationshipPaused', data: { relationshipId, until, reason, occurredAt } }];
};

const resume = ({ data }: ResumeRelationship, relationship: OpenRelationship): RelationshipEvent[] => {
  // Only the latest pause can still be open: the earlier ones were resumed or ran out.
  const current = relationship.pauses.at(-1);
  if (current === undefined || current.resumedAt !== null || !pauseCovers(current, data.occurredAt)) {
    throw conflict('relationship.not-paused', 'Only a paused relationship can resume');
  }
  return [{ type: 'RelationshipResumed', data: { relationshipId: data.relationshipId, occurredAt: data.occurredAt } }];
};

const end = ({ data }: EndRelationship, relationship: OpenRelationship): RelationshipEvent[] => {
  if (isBefore(data.occurredAt, relationship.lastFactAt)) {
    throw conflict('relationship.end-before-last-fact', 'A relationship cannot end before facts already recorded');
  }
  const { relationshipId, endedBy, reason, planned, occurredAt } = data;
  return [{ type: 'RelationshipEnded', data: { relationshipId, endedBy, reason, planned, occurredAt } }];
};

const assessMotives = ({ data }: AssessMentorMotives): RelationshipEvent[] => {
  const { relationshipId, primaryMotive, menteeDevelopmentFirst, note, occurredAt } = data;
  return [
    {
      type: 'MentorMotivesAssessed',
      data: { relationshipId, primaryMotive, menteeDevelopmentFirst, note, occurredAt },
    },
  ];
};

const RATED_ANSWERS = ['ability', 'benevolence', 'integrity', 'openness', 'organization'] as const;

const submitCheckIn = ({ data }: SubmitTrustCheckIn): RelationshipEvent[] => {
  for (const answer of RATED_ANSWERS) {
    const rating = data[answer];
    if (rating === null) continue;
    if (!Number.isInteger(rating) || rating < CHECK_IN_RATING.min || rating > CHECK_IN_RATING.max) {
      throw conflict(
        'checkin.rating-out-of-range',
        `The ${answer} rating must be an integer from ${CHECK_IN_RATING.min} to ${CHECK_IN_RATING.max}`,
      );
    }
  }
  const { relationshipId, checkInId, respondent, ability, benevolence, integrity, openness, organization, occurredAt } =
    data;
  return [
    {
      type: 'TrustCheckInSubmitted',
      data: {
        relationshipId,
        checkInId,
        respondent,
        ability,
        benevolence,
        integrity,
        openness,
        organization,
        occurredAt,
      },
    },
  ];
};

// ---- promises ---------------------------------------------------------------

const requireOpenPromise = (
  relationship: OpenRelationship,
  promiseId: string,
  occurredAt: Instant,
): PromiseStanding => {
  const promise = promiseOf(relationship, promiseId);
  if (promise === undefined) {
    throw notFound('promise.not-found', `Promise ${promiseId} does not exist in this relationship`);
  }
  if (promise.status !== 'OPEN') {
    throw conflict('promise.already-settled', `Promise ${promiseId} is already ${promise.status.toLowerCase()}`);
  }
  // Judging a fact against the promise as it stood requires facts to follow its last change in time.
  if (isBefore(occurredAt, promise.lastChangeAt)) {
    throw conflict(
      'promise.before-last-change',
      'A promise fact cannot occur before the promise was made or last renegotiated',
    );
  }
  return promise;
};

const requireDueAfter = (dueAt: Instant, occurredAt: Instant): void => {
  if (!isBefore(occurredAt, dueAt)) {
    throw conflict(
      'promise.due-not-after-occurrence',
      'A promise must fall due after the moment it is made or renegotiated',
    );
  }
};

const makePromise = ({ data }: MakePromise, relationship: OpenRelationship): RelationshipEvent[] => {
  if (promiseOf(relationship, data.promiseId) !== undefined) {
    throw conflict('promise.already-exists', `Promise ${data.promiseId} already exists`);
  }
  requireDueAfter(data.dueAt, data.occurredAt);
  const { relationshipId, promiseId, promisor, description, dueAt, occurredAt } = data;
  return [{ type: 'PromiseMade', data: { relationshipId, promiseId, promisor, description, dueAt, occurredAt } }];
};

const renegotiatePromise = ({ data }: RenegotiatePromise, relationship: OpenRelationship): RelationshipEvent[] => {
  const promise = requireOpenPromise(relationship, data.promiseId, data.occurredAt);
  requireDueAfter(data.newDueAt, data.occurredAt);
  return [
    {
      type: 'PromiseRenegotiated',
      data: {
        relationshipId: data.relationshipId,
        promiseId: data.promiseId,
        promisor: promise.promisor,
        previousDueAt: promise.dueAt,
        newDueAt: data.newDueAt,
        occurredAt: data.occurredAt,
      },
    },
  ];
};

const keepPromise = ({ data }: KeepPromise, relationship: OpenRelationship): RelationshipEvent[] => {
  const promise = requireOpenPromise(relationship, data.promiseId, data.occurredAt);
  return [
    {
      type: 'PromiseKept',
      data: {
        relationshipId: data.relationshipId,
        promiseId: data.promiseId,
        promisor: promise.promisor,
        dueAt: promise.dueAt,
        occurredAt: data.occurredAt,
      },
    },
  ];
};

const breakPromise = ({ data }: BreakPromise, relationship: OpenRelationship): RelationshipEvent[] => {
  const promise = requireOpenPromise(relationship, data.promiseId, data.occurredAt);
  return [
    {
      type: 'PromiseBroken',
      data: {
        relationshipId: data.relationshipId,
        promiseId: data.promiseId,
        promisor: promise.promisor,
        dueAt: promise.dueAt,
        reason: data.reason,
        occurredAt: data.occurredAt,
      },
    },
  ];
};

// ---- meetings ---------------------------------------------------------------

const requireScheduledMeeting = (
  relationship: OpenRelationship,
  meetingId: string,
  occurredAt: Instant,
): MeetingStanding => {
  const meeting = meetingOf(relationship, meetingId);
  if (meeting === undefined) {
    throw notFound('meeting.not-found', `Meeting ${meetingId} does not exist in this relationship`);
  }
  if (meeting.status !== 'SCHEDULED') {
    throw conflict('meeting.already-settled', `Meeting ${meetingId} is already ${meeting.status.toLowerCase()}`);
  }
  // Notice hours and effective instants read the start as it stood, which is
  // only well defined when facts follow the meeting's last change in time.
  if (isBefore(occurredAt, meeting.lastChangeAt)) {
    throw conflict(
      'meeting.before-last-change',
      'A meeting fact cannot occur before the meeting was scheduled or last rescheduled',
    );
  }
  return meeting;
};

// A held or missed meeting counts from its start, so that start must lie
// within the relationship too.
const requireStartWithinRelationship = (startsAt: Instant, relationship: OpenRelationship): void => {
  if (isBefore(startsAt, relationship.startedAt)) {
    throw conflict('meeting.starts-before-relationship', 'A meeting cannot start before the relationship started');
  }
};

const requireStarted = (startsAt: Instant, occurredAt: Instant): void => {
  if (isBefore(occurredAt, startsAt)) {
    throw conflict('meeting.not-started', 'A meeting can be recorded as held or missed only once it has started');
  }
};

const scheduleMeeting = ({ data }: ScheduleMeeting, relationship: OpenRelationship): RelationshipEvent[] => {
  if (meetingOf(relationship, data.meetingId) !== undefined) {
    throw conflict('meeting.already-exists', `Meeting ${data.meetingId} already exists`);
  }
  requireStartWithinRelationship(data.startsAt, relationship);
  const { relationshipId, meetingId, startsAt, durationMinutes, mode, scheduledBy, occurredAt } = data;
  return [
    {
      type: 'MeetingScheduled',
      data: { relationshipId, meetingId, startsAt, durationMinutes, mode, scheduledBy, occurredAt },
    },
  ];
};

const rescheduleMeeting = ({ data }: RescheduleMeeting, relationship: OpenRelationship): RelationshipEvent[] => {
  const meeting = requireScheduledMeeting(relationship, data.meetingId, data.occurredAt);
  requireStartWithinRelationship(data.newStartsAt, relationship);
  return [
    {
      type: 'MeetingRescheduled',
      data: {
        relationshipId: data.relationshipId,
        meetingId: data.meetingId,
        previousStartsAt: meeting.startsAt,
        newStartsAt: data.newStartsAt,
        by: data.by,
        occurredAt: data.occurredAt,
      },
    },
  ];
};

const cancelMeeting = ({ data }: CancelMeeting, relationship: OpenRelationship): RelationshipEvent[] => {
  const meeting = requireScheduledMeeting(relationship, data.meetingId, data.occurredAt);
  return [
    {
      type: 'MeetingCancelled',
      data: {
        relationshipId: data.relationshipId,
        meetingId: data.meetingId,
        startsAt: meeting.startsAt,
        by: data.by,
        reason: data.reason,
        noticeHours: noticeHours(meeting.startsAt, data.occurredAt),
        occurredAt: data.occurredAt,
      },
    },
  ];
};

const recordMeetingHeld = ({ data }: RecordMeetingHeld, relationship: OpenRelationship): RelationshipEvent[] => {
  const meeting = requireScheduledMeeting(relationship, data.meetingId, data.occurredAt);
  requireStarted(meeting.startsAt, data.occurredAt);
  if (data.startedAt !== null) {
    requireStarted(data.startedAt, data.occurredAt);
    requireStartWithinRelationship(data.startedAt, relationship);
  }
  return [
    {
      type: 'MeetingHeld',
      data: {
        relationshipId: data.relationshipId,
        meetingId: data.meetingId,
        startedAt: data.startedAt ?? meeting.startsAt,
        durationMinutes: data.durationMinutes ?? meeting.durationMinutes,
        mentorMinutesLate: data.mentorMinutesLate,
        menteeMinutesLate: data.menteeMinutesLate,
        occurredAt: data.occurredAt,
      },
    },
  ];
};

const recordMeetingMissed = ({ data }: RecordMeetingMissed, relationship: OpenRelationship): RelationshipEvent[] => {
  const meeting = requireScheduledMeeting(relationship, data.meetingId, data.occurredAt);
  if (data.absent.length === 0) {
    throw conflict('meeting.absent-required', 'A missed meeting needs at least one absent party');
  }
  if (new Set(data.absent).size !== data.absent.length) {
    throw conflict('meeting.absent-duplicate', 'Each absent party is named once');
  }
  requireStarted(meeting.startsAt, data.occurredAt);
  return [
    {
      type: 'MeetingMissed',
      data: {
        relationshipId: data.relationshipId,
        meetingId: data.meetingId,
        startsAt: meeting.startsAt,
        absent: [...data.absent],
        occurredAt: data.occurredAt,
      },
    },
  ];
};

// ---- the decider ------------------------------------------------------------

export const decideRelationship = (command: RelationshipCommand, state: RelationshipState): RelationshipEvent[] => {
  if (command.type === 'StartRelationship') return start(command, state);
  const relationship = requireOpen(command, state);
  switch (command.type) {
    case 'AssessMentorMotives':
      return assessMotives(command);
    case 'MakePromise':
      return makePromise(command, relationship);
    case 'RenegotiatePromise':
      return renegotiatePromise(command, relationship);
    case 'KeepPromise':
      return keepPromise(command, relationship);
    case 'BreakPromise':
      return breakPromise(command, relationship);
    case 'ScheduleMeeting':
      return scheduleMeeting(command, relationship);
    case 'RescheduleMeeting':
      return rescheduleMeeting(command, relationship);
    case 'CancelMeeting':
      return cancelMeeting(command, relationship);
    case 'RecordMeetingHeld':
      return recordMeetingHeld(command, relationship);
    case 'RecordMeetingMissed':
      return recordMeetingMissed(command, relationship);
    case 'SubmitTrustCheckIn':
      return submitCheckIn(command);
    case 'PauseRelationship':
      return pause(command, relationship);
    case 'ResumeRelationship':
      return resume(command, relationship);
    case 'EndRelationship':
      return end(command, relationship);
    default:
      return assertNever(command);
  }
};

export const relationshipDecider: Decider<RelationshipCommand, RelationshipEvent, RelationshipState> = {
  initialState: initialRelationshipState,
  decide: decideRelationship,
  evolve: evolveRelationship,
};
