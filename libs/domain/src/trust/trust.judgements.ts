import { MS_PER_DAY, MS_PER_HOUR, toMillis, type Instant } from '../shared/instant';
import type { MentorMotivesAssessed, Party } from '../relationship/relationship.events';
import { TRUST_POLICY_V1, type TrustDirection, type TrustPolicy, type TrustRule } from './trust.policy';
import { instantToMs, type InstantInput } from './trust.timeline';

// How the trust model judges one stored fact: which rule it earns, and about
// whom. Small pure functions of the fact's figures and the policy; the replay
// (trust.evidence.ts) decides when they are asked. Instants are ms.

/** A rule of the trust model that the policy gives fixed figures (check-ins are figured from their rating). */
export type FiguredRule = Exclude<TrustRule, `checkin.${string}`>;

/** Trust about a party's behaviour is the other party's trust in them. */
export const directionJudging = (party: Party): TrustDirection =>
  party === 'MENTOR' ? 'MENTEE_IN_MENTOR' : 'MENTOR_IN_MENTEE';

/** A check-in answers for the respondent's own trust in the other party. */
export const directionOfRespondent = (respondent: Party): TrustDirection =>
  respondent === 'MENTEE' ? 'MENTEE_IN_MENTOR' : 'MENTOR_IN_MENTEE';

/** Hours between a change and the start it changed. Negative once the meeting had already started. */
export const noticeHours = (startsAt: Instant, occurredAt: InstantInput): number =>
  (toMillis(startsAt) - instantToMs(occurredAt)) / MS_PER_HOUR;

/**
 * Whether an assessment puts the mentee's development first: said so, with a
 * motive the policy counts as development-first. The relationship's
 * `motiveReviewRecommended` is its negation, so both read this one rule.
 */
export const putsMenteeDevelopmentFirst = (
  {
    primaryMotive,
    menteeDevelopmentFirst,
  }: Pick<MentorMotivesAssessed['data'], 'primaryMotive' | 'menteeDevelopmentFirst'>,
  policy: TrustPolicy = TRUST_POLICY_V1,
): boolean => menteeDevelopmentFirst && policy.motives.developmentFirst.includes(primaryMotive);

export const motivesRule = (
  assessment: Pick<MentorMotivesAssessed['data'], 'primaryMotive' | 'menteeDevelopmentFirst'>,
  policy: TrustPolicy,
): FiguredRule => (putsMenteeDevelopmentFirst(assessment, policy) ? 'motives.development-first' : 'motives.self-first');

/** Moving a due date is cheap before it passed, dearer after. */
export const renegotiationRule = (at: number, previousDueAt: number): FiguredRule =>
  at > previousDueAt ? 'promise.renegotiated-late' : 'promise.renegotiated';

export const keptPromiseRule = (at: number, dueAt: number, policy: TrustPolicy): FiguredRule =>
  at <= dueAt
    ? 'promise.kept-on-time'
    : at <= dueAt + policy.promises.graceDays * MS_PER_DAY
      ? 'promise.kept-late'
      : 'promise.kept-very-late';

/** The instant an open promise due at `dueAt` becomes overdue. */
export const overdueAt = (dueAt: number, policy: TrustPolicy): number => dueAt + policy.promises.graceDays * MS_PER_DAY;

/** Rescheduling costs only when it gives less than ample notice; null when it costs nothing. */
export const rescheduleRule = (notice: number, policy: TrustPolicy): FiguredRule | null =>
  notice < policy.meetings.ampleNoticeHours ? 'meeting.rescheduled-late' : null;

export const cancellationRule = (notice: number, policy: TrustPolicy): FiguredRule => {
  const { ampleNoticeHours, lastMinuteNoticeHours } = policy.meetings;
  return notice >= ampleNoticeHours
    ? 'meeting.cancelled'
    : notice >= lastMinuteNoticeHours
      ? 'meeting.cancelled-late'
      : 'meeting.cancelled-last-minute';
};

export const latenessRule = (minutesLate: number, policy: TrustPolicy): FiguredRule => {
  const { punctualUpToMinutesLate, lateUpToMinutesLate } = policy.meetings;
  return minutesLate <= punctualUpToMinutesLate
    ? 'meeting.punctual'
    : minutesLate <= lateUpToMinutesLate
      ? 'meeting.late'
      : 'meeting.very-late';
};

/** A check-in rating x as evidence: v = (x − neutral) / halfRange, positive = w·(1 + v), negative = w·(1 − v). */
export const checkInFigures = (rating: number, policy: TrustPolicy): { positive: number; negative: number } => {
  const { neutralRating, halfRange, weight } = policy.checkIn;
  const v = (rating - neutralRating) / halfRange;
  return { positive: weight * (1 + v), negative: weight * (1 - v) };
};

/** Cadence credit c in [0, 1] for a held meeting `gapDays` after the previous one. */
export const cadenceCredit = (gapDays: number, cadenceDays: number, policy: TrustPolicy = TRUST_POLICY_V1): number => {
  const { fullCreditUpTo, noCreditFrom } = policy.cadence;
  if (gapDays <= fullCreditUpTo * cadenceDays) return 1;
  if (gapDays >= noCreditFrom * cadenceDays) return 0;
  return (noCreditFrom * cadenceDays - gapDays) / ((noCreditFrom - fullCreditUpTo) * cadenceDays);
};
