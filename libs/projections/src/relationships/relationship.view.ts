import {
  appendedById,
  assertNever,
  changedById,
  type EndedBy,
  type EndReason,
  type Instant,
  isActivity,
  type MeetingMode,
  type MeetingStatus,
  type Party,
  positionById,
  pushById,
  type PromiseStatus,
  type RelationshipEvent,
  putsMenteeDevelopmentFirst,
  toMillis,
} from '@trustline/domain';

// The relationship as a client and an auditor see it, folded by its own
// evolve from the relationship's stream: the read model keeps one per
// relationship, the auditor's "as of" snapshot folds a subset of the stream.
// The decider judges by a leaner state of its own (libs/domain).

export type RelationshipStatusAt = 'ACTIVE' | 'PAUSED' | 'ENDED';

export interface RelationshipPromise {
  id: string;
  promisor: Party;
  description: string;
  /** The due date in force: renegotiation moves it. */
  dueAt: Instant;
  status: PromiseStatus;
  madeAt: Instant;
  /** The latest renegotiation, if any. */
  renegotiatedAt: Instant | null;
  keptAt: Instant | null;
  brokenAt: Instant | null;
  brokenReason: string | null;
}

export interface RelationshipMeeting {
  id: string;
  /** The start in force: rescheduling moves it. */
  startsAt: Instant;
  /** As scheduled, or as it really lasted once held. */
  durationMinutes: number;
  mode: MeetingMode;
  status: MeetingStatus;
  scheduledBy: Party;
  scheduledAt: Instant;
  /** The latest reschedule, if any. */
  rescheduledAt: Instant | null;
  cancelledBy: Party | null;
  cancelledAt: Instant | null;
  cancelReason: string | null;
  /** Hours between the cancellation and the start it cancelled; negative when the meeting had started. */
  noticeHours: number | null;
  /** For a held meeting: when it really started. */
  startedAt: Instant | null;
  mentorMinutesLate: number | null;
  menteeMinutesLate: number | null;
  /** For a missed meeting: who did not show up. */
  absent: Party[] | null;
}

/** A pause lasts from `pausedAt` until the earlier of `resumedAt` and `until`. */
export interface RelationshipPause {
  pausedAt: Instant;
  until: Instant | null;
  resumedAt: Instant | null;
  reason: string | null;
}

interface RelationshipRecord {
  relationshipId: string;
  programId: string;
  mentorId: string;
  menteeId: string;
  startedAt: Instant;
  cadenceDays: number;
  /** True when the latest motive assessment did not put the mentee's development first. */
  motiveReviewRecommended: boolean;
  motivesAssessedAt: Instant | null;
  /** The pause in force, if one was recorded and not resumed (its `until` may have passed). */
  pausedAt: Instant | null;
  pausedUntil: Instant | null;
  endedAt: Instant | null;
  endReason: EndReason | null;
  endedBy: EndedBy | null;
  endPlanned: boolean | null;
  /** Every pause, oldest first, so back-dated facts can be judged against the pauses of their time. */
  pauses: RelationshipPause[];
  /** In the order they were made. */
  promises: RelationshipPromise[];
  /** In the order they were scheduled. */
  meetings: RelationshipMeeting[];
  /** The latest occurredAt of any fact: an end cannot be back-dated before it. */
  lastFactAt: Instant;
  /** The latest occurredAt of a fact a pause refuses: a pause cannot be back-dated before it. */
  lastActivityAt: Instant;
}

export type ActiveRelationshipView = RelationshipRecord & { status: 'active' };
/** A pause was recorded and not resumed; whether it is still in force depends on its `until` (see isPausedAt). */
export type PausedRelationshipView = RelationshipRecord & { status: 'paused'; pausedAt: Instant };
export type EndedRelationshipView = RelationshipRecord & {
  status: 'ended';
  endedAt: Instant;
  endReason: EndReason;
  endedBy: EndedBy;
  endPlanned: boolean;
};
/** Null until the relationship started. */
export type RelationshipView = ActiveRelationshipView | PausedRelationshipView | EndedRelationshipView;

const pauseEndMillis = (pause: RelationshipPause): number =>
  Math.min(
    pause.resumedAt === null ? Infinity : toMillis(pause.resumedAt),
    pause.until === null ? Infinity : toMillis(pause.until),
  );

export const pauseCovers = (pause: RelationshipPause, at: Instant): boolean => {
  const t = toMillis(at);
  return toMillis(pause.pausedAt) <= t && t < pauseEndMillis(pause);
};

/** Paused from RelationshipPaused until the earlier of RelationshipResumed and the pause's `until`. */
export const isPausedAt = (view: RelationshipView | null, at: Instant): boolean =>
  view !== null && view.pauses.some((pause) => pauseCovers(pause, at));

/** What the API reports as the relationship's status at an instant; null before it exists. */
export const relationshipStatusAt = (view: RelationshipView | null, at: Instant): RelationshipStatusAt | null => {
  if (view === null) return null;
  switch (view.status) {
    case 'ended':
      return 'ENDED';
    case 'active':
    case 'paused':
      return isPausedAt(view, at) ? 'PAUSED' : 'ACTIVE';
    default:
      return assertNever(view);
  }
};

/**
 * The status as recorded: PAUSED from a pause until it is resumed, even once
 * the pause's `until` has passed (the API judges that against its `now`).
 */
export const storedStatus = (view: RelationshipView): RelationshipStatusAt => {
  switch (view.status) {
    case 'active':
      return 'ACTIVE';
    case 'paused':
      return 'PAUSED';
    case 'ended':
      return 'ENDED';
    default:
      return assertNever(view);
  }
};

const latest = (a: Instant, b: Instant): Instant => (toMillis(b) > toMillis(a) ? b : a);

// Views are immutable values: the document cache and its readers hold them, and DocumentJson reuses the JSON
// of an array or element by identity. So a change copies the record once, and an array only when it changes
// (a slice: the promise or meeting is found by id through the index kept beside the array, not by a scan), and
// a promise or meeting changed is a new object. A fact about one the view does not hold changes no array.
const updatePromise = (
  record: RelationshipView,
  promiseId: string,
  change: (promise: RelationshipPromise) => Partial<RelationshipPromise>,
): RelationshipView => {
  const promises = changedById(record.promises, promiseId, change);
  return promises === record.promises ? record : { ...record, promises };
};

const updateMeeting = (
  record: RelationshipView,
  meetingId: string,
  change: (meeting: RelationshipMeeting) => Partial<RelationshipMeeting>,
): RelationshipView => {
  const meetings = changedById(record.meetings, meetingId, change);
  return meetings === record.meetings ? record : { ...record, meetings };
};

const start = (event: Extract<RelationshipEvent, { type: 'RelationshipStarted' }>): ActiveRelationshipView => ({
  status: 'active',
  relationshipId: event.data.relationshipId,
  programId: event.data.programId,
  mentorId: event.data.mentorId,
  menteeId: event.data.menteeId,
  startedAt: event.data.occurredAt,
  cadenceDays: event.data.cadenceDays,
  motiveReviewRecommended: false,
  motivesAssessedAt: null,
  pausedAt: null,
  pausedUntil: null,
  endedAt: null,
  endReason: null,
  endedBy: null,
  endPlanned: null,
  pauses: [],
  promises: [],
  meetings: [],
  lastFactAt: event.data.occurredAt,
  lastActivityAt: event.data.occurredAt,
});

// Total: views fold arbitrary subsets of a stream (an auditor's "as of"
// snapshot), so a fact this state would have refused, or one about a promise
// or meeting the subset does not contain, is applied as far as it can be and
// otherwise ignored — never thrown on.
// The record a new promise or meeting starts as, for the copying fold and the in-place one alike.
const madePromise = ({
  promiseId,
  promisor,
  description,
  dueAt,
  occurredAt,
}: Extract<RelationshipEvent, { type: 'PromiseMade' }>['data']): RelationshipPromise => ({
  id: promiseId,
  promisor,
  description,
  dueAt,
  status: 'OPEN',
  madeAt: occurredAt,
  renegotiatedAt: null,
  keptAt: null,
  brokenAt: null,
  brokenReason: null,
});

const scheduledMeeting = ({
  meetingId,
  startsAt,
  durationMinutes,
  mode,
  scheduledBy,
  occurredAt,
}: Extract<RelationshipEvent, { type: 'MeetingScheduled' }>['data']): RelationshipMeeting => ({
  id: meetingId,
  startsAt,
  durationMinutes,
  mode,
  status: 'SCHEDULED',
  scheduledBy,
  scheduledAt: occurredAt,
  rescheduledAt: null,
  cancelledBy: null,
  cancelledAt: null,
  cancelReason: null,
  noticeHours: null,
  startedAt: null,
  mentorMinutesLate: null,
  menteeMinutesLate: null,
  absent: null,
});

// What a fact about a promise or meeting the view holds changes in it, for the copying fold and the in-place one alike.
const promiseChange = (
  event: Extract<RelationshipEvent, { type: 'PromiseRenegotiated' | 'PromiseKept' | 'PromiseBroken' }>,
): Partial<RelationshipPromise> => {
  switch (event.type) {
    case 'PromiseRenegotiated':
      return { dueAt: event.data.newDueAt, renegotiatedAt: event.data.occurredAt };
    case 'PromiseKept':
      return { status: 'KEPT', keptAt: event.data.occurredAt };
    case 'PromiseBroken':
      return { status: 'BROKEN', brokenAt: event.data.occurredAt, brokenReason: event.data.reason };
  }
};

const meetingChange = (
  event: Extract<
    RelationshipEvent,
    { type: 'MeetingRescheduled' | 'MeetingCancelled' | 'MeetingHeld' | 'MeetingMissed' }
  >,
): Partial<RelationshipMeeting> => {
  switch (event.type) {
    case 'MeetingRescheduled':
      return { startsAt: event.data.newStartsAt, rescheduledAt: event.data.occurredAt };
    case 'MeetingCancelled': {
      const { by, reason, noticeHours, occurredAt } = event.data;
      return { status: 'CANCELLED', cancelledBy: by, cancelledAt: occurredAt, cancelReason: reason, noticeHours };
    }
    case 'MeetingHeld':
      return {
        status: 'HELD',
        startedAt: event.data.startedAt,
        durationMinutes: event.data.durationMinutes,
        mentorMinutesLate: event.data.mentorMinutesLate,
        menteeMinutesLate: event.data.menteeMinutesLate,
      };
    case 'MeetingMissed':
      return { status: 'MISSED', absent: [...event.data.absent] };
  }
};

const applyFact = (record: RelationshipView, event: RelationshipEvent): RelationshipView => {
  switch (event.type) {
    case 'RelationshipStarted':
      return record;
    case 'MentorMotivesAssessed': {
      const { occurredAt } = event.data;
      // The latest assessment in time decides, even when an older one is recorded late.
      if (record.motivesAssessedAt !== null && toMillis(occurredAt) < toMillis(record.motivesAssessedAt)) {
        return record;
      }
      // The flag mirrors the trust model: a review is recommended exactly when
      // the assessment earned `motives.self-first` (one rule, trust.judgements.ts).
      return {
        ...record,
        motiveReviewRecommended: !putsMenteeDevelopmentFirst(event.data),
        motivesAssessedAt: occurredAt,
      };
    }
    case 'PromiseMade': {
      if (positionById(record.promises, event.data.promiseId) >= 0) return record;
      return { ...record, promises: appendedById(record.promises, madePromise(event.data)) };
    }
    case 'PromiseRenegotiated':
    case 'PromiseKept':
    case 'PromiseBroken':
      return updatePromise(record, event.data.promiseId, () => promiseChange(event));
    case 'MeetingScheduled': {
      if (positionById(record.meetings, event.data.meetingId) >= 0) return record;
      return { ...record, meetings: appendedById(record.meetings, scheduledMeeting(event.data)) };
    }
    case 'MeetingRescheduled':
    case 'MeetingCancelled':
    case 'MeetingHeld':
    case 'MeetingMissed':
      return updateMeeting(record, event.data.meetingId, () => meetingChange(event));
    case 'TrustCheckInSubmitted':
      return record;
    case 'RelationshipPaused': {
      if (record.status === 'ended') return record;
      const { until, reason, occurredAt } = event.data;
      const pause: RelationshipPause = { pausedAt: occurredAt, until, resumedAt: null, reason };
      return {
        ...record,
        status: 'paused',
        pausedAt: occurredAt,
        pausedUntil: until,
        pauses: [...record.pauses, pause],
      };
    }
    case 'RelationshipResumed': {
      if (record.status !== 'paused') return record;
      const { occurredAt } = event.data;
      const last = record.pauses.length - 1;
      let pauses = record.pauses;
      if (last >= 0 && pauses[last].resumedAt === null) {
        pauses = pauses.slice();
        pauses[last] = { ...pauses[last], resumedAt: occurredAt };
      }
      return { ...record, status: 'active', pausedAt: null, pausedUntil: null, pauses };
    }
    case 'RelationshipEnded': {
      if (record.status === 'ended') return record;
      const { endedBy, reason, planned, occurredAt } = event.data;
      return { ...record, status: 'ended', endedAt: occurredAt, endReason: reason, endedBy, endPlanned: planned };
    }
    default:
      return assertNever(event);
  }
};

export const evolveRelationshipView = (
  view: RelationshipView | null,
  event: RelationshipEvent,
): RelationshipView | null => {
  if (view === null) return event.type === 'RelationshipStarted' ? start(event) : null;
  if (event.type === 'RelationshipStarted') return view;
  const next = applyFact(view, event);
  const { occurredAt } = event.data;
  const lastFactAt = latest(next.lastFactAt, occurredAt);
  const lastActivityAt = isActivity(event) ? latest(next.lastActivityAt, occurredAt) : next.lastActivityAt;
  if (next !== view) {
    // A record applyFact just made: nobody else holds it yet, so it is finished in place (one copy per event;
    // its keys exist already, so their order, and the JSON, are unchanged).
    next.lastFactAt = lastFactAt;
    next.lastActivityAt = lastActivityAt;
    return next;
  }
  return { ...view, lastFactAt, lastActivityAt };
};

// ---------------------------------------------------------------------------
// The same fold, changing the view in place: for a view the caller made
// itself and nobody else holds yet (every object of it, arrays and their
// elements too), as the document writer's views of relationships started in
// the transaction it is folding (a rebuild's, all of them). No copy per
// event. evolveRelationshipView stays the definition: relationship.view.fold.spec.ts
// holds this one to it, fact by fact, JSON included (keys are only ever
// assigned that exist already, so their order is the same).

type MutableView = { -readonly [K in keyof RelationshipRecord]: RelationshipRecord[K] } & {
  status: RelationshipView['status'];
};

const changeInPlace = <T extends { readonly id: string }>(items: T[], id: string, change: () => Partial<T>): void => {
  const position = positionById(items, id);
  if (position >= 0) Object.assign(items[position], change());
};

/** As evolveRelationshipView, but `view` (owned by the caller, see above) is changed and returned, not copied. */
export const evolveOwnedRelationshipView = (view: RelationshipView, event: RelationshipEvent): RelationshipView => {
  const record = view as MutableView;
  if (event.type === 'RelationshipStarted') return view;
  switch (event.type) {
    case 'MentorMotivesAssessed': {
      const { occurredAt } = event.data;
      if (record.motivesAssessedAt === null || toMillis(occurredAt) >= toMillis(record.motivesAssessedAt)) {
        record.motiveReviewRecommended = !putsMenteeDevelopmentFirst(event.data);
        record.motivesAssessedAt = occurredAt;
      }
      break;
    }
    case 'PromiseMade': {
      if (positionById(record.promises, event.data.promiseId) >= 0) break;
      pushById(record.promises, madePromise(event.data));
      break;
    }
    case 'PromiseRenegotiated':
    case 'PromiseKept':
    case 'PromiseBroken':
      changeInPlace(record.promises, event.data.promiseId, () => promiseChange(event));
      break;
    case 'MeetingScheduled': {
      if (positionById(record.meetings, event.data.meetingId) >= 0) break;
      pushById(record.meetings, scheduledMeeting(event.data));
      break;
    }
    case 'MeetingRescheduled':
    case 'MeetingCancelled':
    case 'MeetingHeld':
    case 'MeetingMissed':
      changeInPlace(record.meetings, event.data.meetingId, () => meetingChange(event));
      break;
    case 'TrustCheckInSubmitted':
      break;
    case 'RelationshipPaused': {
      if (record.status === 'ended') break;
      const { until, reason, occurredAt } = event.data;
      record.status = 'paused';
      record.pausedAt = occurredAt;
      record.pausedUntil = until;
      record.pauses.push({ pausedAt: occurredAt, until, resumedAt: null, reason });
      break;
    }
    case 'RelationshipResumed': {
      if (record.status !== 'paused') break;
      const last = record.pauses.length - 1;
      if (last >= 0 && record.pauses[last].resumedAt === null) record.pauses[last].resumedAt = event.data.occurredAt;
      record.status = 'active';
      record.pausedAt = null;
      record.pausedUntil = null;
      break;
    }
    case 'RelationshipEnded': {
      if (record.status === 'ended') break;
      const { endedBy, reason, planned, occurredAt } = event.data;
      record.status = 'ended';
      record.endedAt = occurredAt;
      record.endReason = reason;
      record.endedBy = endedBy;
      record.endPlanned = planned;
      break;
    }
    default:
      return assertNever(event);
  }
  const { occurredAt } = event.data;
  record.lastFactAt = latest(record.lastFactAt, occurredAt);
  if (isActivity(event)) record.lastActivityAt = latest(record.lastActivityAt, occurredAt);
  return view;
};
