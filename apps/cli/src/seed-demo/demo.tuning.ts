// Every number that shapes the demo program, in one place. Days and hours are
// ranges [min, max]; weights are relative.

export type Range = readonly [min: number, max: number];
export type Weights<T extends string> = readonly (readonly [T, number])[];

/** How a relationship behaves over its life. */
export type DemoBehaviour = 'steady' | 'lapsing' | 'recovering' | 'promise-breaking';
/** How one party conducts itself at a given moment. */
export type Conduct = 'good' | 'poor';

export type MeetingOutcome =
  | 'held'
  | 'held-late'
  | 'rescheduled'
  | 'rescheduled-late'
  | 'cancelled'
  | 'cancelled-late'
  | 'cancelled-last-minute'
  | 'missed';

export type PromiseOutcome =
  'on-time' | 'late' | 'very-late' | 'renegotiated' | 'renegotiated-late' | 'broken' | 'left-open';

export interface ConductProfile {
  /** Days between one meeting and the next one booked at its end. */
  gapDays: Range;
  meetings: Weights<MeetingOutcome>;
  promises: Weights<PromiseOutcome>;
  /** Check-in answers (ability, benevolence, integrity) about a party behaving so. */
  ratings: Range;
}

export const DEMO_LIMITS = {
  relationships: { min: 1, max: 500, default: 50 },
  months: { min: 1, max: 24, default: 6 },
  seed: { default: 42 },
} as const;

export const DEMO_TUNING = {
  monthDays: 30,
  programCadenceDays: 14,
  sessionMinutes: 60,
  /** Every fact lies at least this far before the clock, so nothing is recorded in the future. */
  pastMarginMinutes: 30,
  behaviours: [
    ['steady', 40],
    ['lapsing', 20],
    ['recovering', 20],
    ['promise-breaking', 20],
  ] as Weights<DemoBehaviour>,
  /** Share of each relationship's life after which a lapsing one turns poor, or a recovering one good. */
  lapseAfter: [0.3, 0.5] as Range,
  recoverAfter: [0.3, 0.45] as Range,
  /** The party whose conduct varies: the mentor in this share of relationships. */
  mentorIsTheVariablePartyShare: 0.85,
  /** Who makes a promise: either party alike, except that a promise-breaker makes this share of them. */
  promiseBreakerPromisesShare: 0.7,
  /** Share of relationships starting in the first wave, within `firstWaveDays` of the launch; the rest later. */
  firstWaveShare: 0.75,
  firstWaveDays: [3, 21] as Range,
  /** Later starts, as a share of the program's length so far. */
  secondWaveShare: [0.2, 0.4] as Range,
  ownCadenceShare: 0.1,
  ownCadenceDays: 21,
  motiveAssessedShare: 0.85,
  /** Of the assessed mentors, those whose motives put themselves first. */
  selfFirstMotiveShare: 0.12,
  /** Ended relationships and pauses, as a share of all (at least one each from a handful of relationships on). */
  endedShare: 0.08,
  pausedShare: 0.05,
  pauseDays: [14, 28] as Range,
  /** A pause starts once this share of the relationship's life has passed. */
  pauseAfter: [0.4, 0.6] as Range,
  completedAfter: [0.85, 0.95] as Range,
  brokenOffAfter: [0.7, 0.9] as Range,
  /** Registration happens this many days before a relationship starts (not before the launch). */
  registeredBeforeStartDays: [1, 5] as Range,
  motivesAssessedAfterDays: [1, 3] as Range,
  firstMeetingDays: [4, 9] as Range,
  /** Meetings booked by the mentor (the rest by the mentee), and held online. */
  mentorSchedulesShare: 0.6,
  virtualShare: 0.7,
  /** Who is at fault for a poor meeting: the variable party in this share, else the other. */
  culpritIsVariablePartyShare: 0.8,
  bothAbsentShare: 0.15,
  /** The next meeting is booked at the end of the one held, this many minutes after it is recorded. */
  bookNextMinutes: [2, 10] as Range,
  /** Booking again after a cancellation or a no-show: how soon, and for how far ahead. */
  rebookAfterCancellationHours: [1, 4] as Range,
  rebookAfterNoShowHours: [1, 24] as Range,
  rebookDays: [5, 10] as Range,
  /** A pause starts this many days after the meeting before it; the first meeting after it is booked as long after. */
  pauseGapDays: [1, 2] as Range,
  heldRecordedMinutes: [15, 120] as Range,
  missedRecordedHours: [1, 3] as Range,
  promisesPerMeeting: [0, 2] as Range,
  promiseDueDays: [6, 13] as Range,
  checkInEveryDays: [25, 40] as Range,
  firstCheckInDays: [18, 30] as Range,
  mentorAnswersCheckInsShare: 0.7,
  optionalAnswerShare: 0.7,
  /** Notice, in hours before the meeting's start. */
  notice: {
    rescheduled: [50, 90] as Range,
    rescheduledLate: [3, 40] as Range,
    cancelled: [50, 90] as Range,
    cancelledLate: [2, 47] as Range,
    cancelledLastMinute: [0.25, 1.9] as Range,
  },
  rescheduleByDays: [1, 4] as Range,
  /** When promises are settled: shares of the time between made and due, or days around the due date. */
  promiseTiming: {
    keptOnTimeShare: [0.3, 0.95] as Range,
    keptLateDays: [0.5, 6.5] as Range,
    keptVeryLateDays: [8, 14] as Range,
    renegotiatedAtShare: [0.5, 0.9] as Range,
    renegotiatedByDays: 7,
    keptBeforeNewDueDays: [0.5, 3] as Range,
    renegotiatedLateDays: [1, 4] as Range,
    keptAfterNewDueDays: [1, 5] as Range,
    brokenAfterDueDays: [0, 5] as Range,
  },
  /** Optional check-in answers (openness, organization). */
  optionalRatings: [2, 5] as Range,
  minutesLate: { punctual: [0, 5] as Range, late: [6, 20] as Range },
  workingHoursUtc: [8, 17] as Range,
  conduct: {
    good: {
      gapDays: [12, 16],
      meetings: [
        ['held', 86],
        ['held-late', 5],
        ['rescheduled', 6],
        ['cancelled', 3],
      ],
      promises: [
        ['on-time', 80],
        ['late', 10],
        ['renegotiated', 7],
        ['broken', 3],
      ],
      ratings: [4, 5],
    },
    poor: {
      gapDays: [21, 40],
      meetings: [
        ['held', 25],
        ['held-late', 15],
        ['rescheduled-late', 10],
        ['cancelled-late', 20],
        ['cancelled-last-minute', 12],
        ['missed', 18],
      ],
      promises: [
        ['on-time', 15],
        ['late', 10],
        ['very-late', 10],
        ['renegotiated-late', 5],
        ['broken', 40],
        ['left-open', 20],
      ],
      ratings: [1, 2],
    },
  } satisfies Record<Conduct, ConductProfile>,
} as const;
