import type { Motive } from '../relationship/relationship.events';

// Names shared by every part of the trust model and by the public API.
export type TrustComponent = 'INTEGRITY' | 'BENEVOLENCE' | 'ABILITY';
export type TrustDirection = 'MENTEE_IN_MENTOR' | 'MENTOR_IN_MENTEE';
export type TrustBand = 'TOO_EARLY' | 'HIGH' | 'STEADY' | 'FRAGILE' | 'AT_RISK';

export const TRUST_COMPONENTS: readonly TrustComponent[] = ['INTEGRITY', 'BENEVOLENCE', 'ABILITY'];
export const TRUST_DIRECTIONS: readonly TrustDirection[] = ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'];

export type TrustRule =
  | 'promise.kept-on-time'
  | 'promise.kept-late'
  | 'promise.kept-very-late'
  | 'promise.broken'
  | 'promise.overdue'
  | 'promise.renegotiated'
  | 'promise.renegotiated-late'
  | 'meeting.punctual'
  | 'meeting.late'
  | 'meeting.very-late'
  | 'meeting.no-show'
  | 'meeting.cancelled'
  | 'meeting.cancelled-late'
  | 'meeting.cancelled-last-minute'
  | 'meeting.rescheduled-late'
  | 'meeting.initiative'
  | 'cadence.kept'
  | 'cadence.gap'
  | 'motives.development-first'
  | 'motives.self-first'
  | 'checkin.ability'
  | 'checkin.benevolence'
  | 'checkin.integrity';

export interface RuleFigures {
  readonly component: TrustComponent;
  readonly positive: number;
  readonly negative: number;
}

// Every number that tunes the model lives here, so that a later policy (v2)
// is a new object, and a score can always say which policy produced it.
export interface TrustPolicy {
  readonly version: string;
  /** Evidence loses half its weight every this many days. */
  readonly halfLifeDays: number;
  /** W: how much evidence the base rate is worth (the prior's weight). */
  readonly priorWeight: number;
  readonly baseRates: Readonly<Record<TrustComponent, number>>;
  readonly componentWeights: Readonly<Record<TrustComponent, number>>;
  readonly bands: {
    /** Above this mean uncertainty the band is TOO_EARLY whatever the score. */
    readonly tooEarlyAboveUncertainty: number;
    readonly highFrom: number;
    readonly steadyFrom: number;
    readonly fragileFrom: number;
  };
  /**
   * Figures per rule. For `cadence.kept` the figures are scaled by the cadence
   * credit; check-ins are described by `checkIn` instead.
   */
  readonly rules: Readonly<Record<Exclude<TrustRule, `checkin.${string}`>, RuleFigures>>;
  readonly promises: {
    /** A promise kept within this many days after its due date is only late; after it, very late (and overdue). */
    readonly graceDays: number;
  };
  readonly meetings: {
    readonly punctualUpToMinutesLate: number;
    readonly lateUpToMinutesLate: number;
    /** Cancelling or rescheduling with at least this much notice is courteous. */
    readonly ampleNoticeHours: number;
    /** Cancelling with less notice than this is last-minute. */
    readonly lastMinuteNoticeHours: number;
  };
  readonly motives: {
    readonly developmentFirst: readonly Motive[];
  };
  readonly checkIn: {
    /** A rating at this value is neutral evidence. */
    readonly neutralRating: number;
    /** Distance from neutral to the top of the scale: v = (x − neutral) / halfRange. */
    readonly halfRange: number;
    /** Evidence per answer: positive = weight·(1 + v), negative = weight·(1 − v). */
    readonly weight: number;
  };
  readonly cadence: {
    /** Full credit while a gap stays within this many agreed cadences. */
    readonly fullCreditUpTo: number;
    /** No credit from this many agreed cadences on; `cadence.gap` first fires here. */
    readonly noCreditFrom: number;
    /** Then `cadence.gap` fires again after every further this-many agreed cadences. */
    readonly gapRepeatsEvery: number;
    /** The cadence score reads the most recent this-many gaps. */
    readonly recentGaps: number;
    readonly scoreWeights: {
      readonly credit: number;
      readonly regularity: number;
      readonly frequency: number;
    };
    readonly needsCheckInAfter: number;
    readonly inactiveAfterDays: number;
  };
}

export const TRUST_POLICY_V1: TrustPolicy = {
  version: 'v1',
  halfLifeDays: 90,
  priorWeight: 2,
  baseRates: { INTEGRITY: 0.5, BENEVOLENCE: 0.5, ABILITY: 0.7 },
  componentWeights: { INTEGRITY: 0.4, BENEVOLENCE: 0.35, ABILITY: 0.25 },
  bands: { tooEarlyAboveUncertainty: 0.5, highFrom: 70, steadyFrom: 55, fragileFrom: 40 },
  rules: {
    'promise.kept-on-time': { component: 'INTEGRITY', positive: 1, negative: 0 },
    'promise.kept-late': { component: 'INTEGRITY', positive: 0.5, negative: 0.5 },
    'promise.kept-very-late': { component: 'INTEGRITY', positive: 0.5, negative: 0 },
    'promise.broken': { component: 'INTEGRITY', positive: 0, negative: 1.5 },
    'promise.overdue': { component: 'INTEGRITY', positive: 0, negative: 1.5 },
    'promise.renegotiated': { component: 'INTEGRITY', positive: 0, negative: 0.25 },
    'promise.renegotiated-late': { component: 'INTEGRITY', positive: 0, negative: 0.75 },
    'meeting.punctual': { component: 'INTEGRITY', positive: 1, negative: 0 },
    'meeting.late': { component: 'INTEGRITY', positive: 0.5, negative: 0.5 },
    'meeting.very-late': { component: 'INTEGRITY', positive: 0, negative: 1 },
    'meeting.no-show': { component: 'INTEGRITY', positive: 0, negative: 2 },
    'meeting.cancelled': { component: 'INTEGRITY', positive: 0, negative: 0.25 },
    'meeting.cancelled-late': { component: 'INTEGRITY', positive: 0, negative: 0.75 },
    'meeting.cancelled-last-minute': { component: 'INTEGRITY', positive: 0, negative: 1.5 },
    'meeting.rescheduled-late': { component: 'INTEGRITY', positive: 0, negative: 0.5 },
    'meeting.initiative': { component: 'BENEVOLENCE', positive: 0.5, negative: 0 },
    'cadence.kept': { component: 'BENEVOLENCE', positive: 1, negative: 0 },
    'cadence.gap': { component: 'BENEVOLENCE', positive: 0, negative: 1 },
    'motives.development-first': { component: 'BENEVOLENCE', positive: 1, negative: 0 },
    'motives.self-first': { component: 'BENEVOLENCE', positive: 0, negative: 1 },
  },
  promises: { graceDays: 7 },
  meetings: {
    punctualUpToMinutesLate: 5,
    lateUpToMinutesLate: 10,
    ampleNoticeHours: 48,
    lastMinuteNoticeHours: 2,
  },
  motives: { developmentFirst: ['DEVELOP_MENTEE', 'GIVE_BACK', 'PASS_THE_TORCH'] },
  checkIn: { neutralRating: 3, halfRange: 2, weight: 1 },
  cadence: {
    fullCreditUpTo: 1.25,
    noCreditFrom: 2,
    gapRepeatsEvery: 1,
    recentGaps: 6,
    scoreWeights: { credit: 0.5, regularity: 0.25, frequency: 0.25 },
    needsCheckInAfter: 1.5,
    inactiveAfterDays: 90,
  },
};
