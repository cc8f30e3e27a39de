import { assertNever } from '../shared/decider';
import { toMillis, type Instant } from '../shared/instant';
import type { Party, RelationshipEvent } from './relationship.events';

// The relationship as the decider judges it: only what `decide` reads. What a
// client is shown (descriptions, reasons, who cancelled, the motive review…)
// is the relationship view's, folded by its own evolve in libs/projections.

export type PromiseStatus = 'OPEN' | 'KEPT' | 'BROKEN';
export type MeetingStatus = 'SCHEDULED' | 'HELD' | 'CANCELLED' | 'MISSED';

export interface PromiseStanding {
  id: string;
  promisor: Party;
  /** The due date in force: renegotiation moves it. */
  dueAt: Instant;
  status: PromiseStatus;
  /** When it was made or last renegotiated: later facts about it cannot be back-dated before. */
  lastChangeAt: Instant;
}

export interface MeetingStanding {
  id: string;
  /** The start in force: rescheduling moves it. */
  startsAt: Instant;
  /** As scheduled: a held meeting without a reported duration lasted this long. */
  durationMinutes: number;
  status: MeetingStatus;
  /** When it was scheduled or last rescheduled. */
  lastChangeAt: Instant;
}

/** A pause lasts from `pausedAt` until the earlier of `resumedAt` and `until`. */
export interface PauseStanding {
  pausedAt: Instant;
  until: Instant | null;
  resumedAt: Instant | null;
}

interface OpenRecord {
  startedAt: Instant;
  /** Every pause, oldest first, so back-dated facts are judged against the pauses of their time. */
  pauses: readonly PauseStanding[];
  // Arrays, in the order made or scheduled, found by id through an index kept beside them (see positionById):
  // a keyed object's spread, or a scan per event, made a long stream's fold quadratic in practice.
  promises: readonly PromiseStanding[];
  meetings: readonly MeetingStanding[];
  /** The latest occurredAt of any fact: an end cannot be back-dated before it. */
  lastFactAt: Instant;
  /** The latest occurredAt of a fact a pause refuses: a pause cannot be back-dated before it. */
  lastActivityAt: Instant;
}

export type ActiveRelationship = OpenRecord & { status: 'active' };
/** A pause was recorded and not resumed; whether it is still in force depends on its `until` (see isPausedAt). */
export type PausedRelationship = OpenRecord & { status: 'paused' };
/** Nothing more can happen to an ended relationship, so there is nothing to judge by. */
export type EndedRelationship = { status: 'ended' };
export type OpenRelationship = ActiveRelationship | PausedRelationship;
export type RelationshipState = { status: 'none' } | OpenRelationship | EndedRelationship;

export const initialRelationshipState = (): RelationshipState => ({ status: 'none' });

const pauseEndMillis = (pause: PauseStanding): number =>
  Math.min(
    pause.resumedAt === null ? Infinity : toMillis(pause.resumedAt),
    pause.until === null ? Infinity : toMillis(pause.until),
  );

export const pauseCovers = (pause: PauseStanding, at: Instant): boolean => {
  const t = toMillis(at);
  return toMillis(pause.pausedAt) <= t && t < pauseEndMillis(pause);
};

/** Paused from RelationshipPaused until the earlier of RelationshipResumed and the pause's `until`. */
export const isPausedAt = (pauses: readonly PauseStanding[], at: Instant): boolean =>
  pauses.some((pause) => pauseCovers(pause, at));

const latest = (a: Instant, b: Instant): Instant => (toMillis(b) > toMillis(a) ? b : a);

// ---- lists by id -------------------------------------------------------------
// Promises and meetings are immutable arrays in the order made (the relationship
// view stores them as JSON arrays, and cached states are shared, so nothing is
// changed in place). Beside each array, a WeakMap keeps a Map from id to
// position, so that finding one by id costs O(1) instead of a scan per event:
// a long stream's fold was quadratic in its promises. Arrays folded from one
// another share one Map: ids are never removed nor moved, so an entry below an
// array's length is right for every array of its lineage. An array appended to
// while its Map already covers a longer sibling (a fork: two folds from one
// cached state) gets a Map of its own on its first lookup.

interface IdIndex {
  readonly positions: Map<string, number>;
  /** Elements covered: every entry is below it, and the arrays sharing it agree below their own lengths. */
  length: number;
}

const idIndexes = new WeakMap<readonly { readonly id: string }[], IdIndex>();

const idIndexOf = (items: readonly { readonly id: string }[]): IdIndex => {
  let index = idIndexes.get(items);
  if (index === undefined) {
    const positions = new Map<string, number>();
    // The first of an id wins, as a scan would find it.
    for (let i = 0; i < items.length; i++) if (!positions.has(items[i].id)) positions.set(items[i].id, i);
    index = { positions, length: items.length };
    idIndexes.set(items, index);
  }
  return index;
};

/**
 * Below this length a scan is faster than the index (a WeakMap look-up and
 * the index's upkeep on every copy): most relationships hold a few dozen.
 */
const INDEXED_FROM = 64;

/** The position of the element of this id (the first, if several), or -1: as findIndex by id, in O(1). */
export const positionById = <T extends { readonly id: string }>(items: readonly T[], id: string): number => {
  if (items.length < INDEXED_FROM) {
    for (let i = 0; i < items.length; i++) if (items[i].id === id) return i;
    return -1;
  }
  const position = idIndexOf(items).positions.get(id);
  return position !== undefined && position < items.length && items[position].id === id ? position : -1;
};

/** The element of this id, if any: as find by id, in O(1). */
export const elementById = <T extends { readonly id: string }>(items: readonly T[], id: string): T | undefined => {
  const position = positionById(items, id);
  return position < 0 ? undefined : items[position];
};

/** A copy of the array with the item appended (the caller checked its id is new), sharing the id index. */
export const appendedById = <T extends { readonly id: string }>(items: readonly T[], item: T): T[] => {
  const next = items.slice();
  next.push(item);
  if (next.length < INDEXED_FROM) return next;
  const index = idIndexOf(items);
  if (index.length === items.length && !index.positions.has(item.id)) {
    index.positions.set(item.id, items.length);
    index.length = next.length;
    idIndexes.set(next, index);
  }
  return next;
};

/**
 * Appends the item to the array itself (the caller checked its id is new and
 * owns the array: nobody else holds it), keeping its id index: as
 * appendedById, without the copy.
 */
export const pushById = <T extends { readonly id: string }>(items: T[], item: T): void => {
  if (items.length + 1 >= INDEXED_FROM) {
    const index = idIndexOf(items);
    if (index.length === items.length && !index.positions.has(item.id)) {
      index.positions.set(item.id, items.length);
      index.length = items.length + 1;
    } else {
      idIndexes.delete(items);
    }
  }
  items.push(item);
};

/** A copy of the array with the element at this position replaced by one of the same id, sharing the id index. */
const replacedAt = <T extends { readonly id: string }>(items: readonly T[], position: number, item: T): T[] => {
  const next = items.slice();
  next[position] = item;
  if (next.length < INDEXED_FROM) return next;
  const index = idIndexes.get(items);
  if (index !== undefined) idIndexes.set(next, index);
  return next;
};

/** The array with the element of this id changed (a copy sharing the id index), or the same array if none has it. */
export function changedById<T extends { readonly id: string }>(
  items: T[],
  id: string,
  change: (item: T) => Partial<T>,
): T[];
export function changedById<T extends { readonly id: string }>(
  items: readonly T[],
  id: string,
  change: (item: T) => Partial<T>,
): readonly T[];
export function changedById<T extends { readonly id: string }>(
  items: readonly T[],
  id: string,
  change: (item: T) => Partial<T>,
): readonly T[] {
  const position = positionById(items, id);
  if (position < 0) return items;
  return replacedAt(items, position, { ...items[position], ...change(items[position]) });
}

/** The promise of this id, if the relationship holds one. */
export const promiseOf = (relationship: OpenRelationship, id: string): PromiseStanding | undefined =>
  elementById(relationship.promises, id);

/** The meeting of this id, if the relationship holds one. */
export const meetingOf = (relationship: OpenRelationship, id: string): MeetingStanding | undefined =>
  elementById(relationship.meetings, id);

// Facts a pause does not stop (check-ins, the pause's own lifecycle, the end) do not count as activity;
// the decision state and the relationship's read view both ask this.
export const isActivity = (event: RelationshipEvent): boolean => {
  switch (event.type) {
    case 'MentorMotivesAssessed':
    case 'PromiseMade':
    case 'PromiseRenegotiated':
    case 'PromiseKept':
    case 'PromiseBroken':
    case 'MeetingScheduled':
    case 'MeetingRescheduled':
    case 'MeetingCancelled':
    case 'MeetingHeld':
    case 'MeetingMissed':
      return true;
    case 'RelationshipStarted':
    case 'TrustCheckInSubmitted':
    case 'RelationshipPaused':
    case 'RelationshipResumed':
    case 'RelationshipEnded':
      return false;
    default:
      return assertNever(event);
  }
};

// Total, like every evolve: a fact this state would have refused, or one about
// a promise or meeting it does not hold, changes what it can and no more.
const applyFact = (record: OpenRelationship, event: RelationshipEvent): RelationshipState => {
  switch (event.type) {
    case 'RelationshipStarted':
    case 'MentorMotivesAssessed':
    case 'TrustCheckInSubmitted':
      return record;
    case 'PromiseMade': {
      const { promiseId, promisor, dueAt, occurredAt } = event.data;
      if (promiseOf(record, promiseId) !== undefined) return record;
      const promise: PromiseStanding = { id: promiseId, promisor, dueAt, status: 'OPEN', lastChangeAt: occurredAt };
      return { ...record, promises: appendedById(record.promises, promise) };
    }
    case 'PromiseRenegotiated':
      return {
        ...record,
        promises: changedById(record.promises, event.data.promiseId, () => ({
          dueAt: event.data.newDueAt,
          lastChangeAt: event.data.occurredAt,
        })),
      };
    case 'PromiseKept':
      return { ...record, promises: changedById(record.promises, event.data.promiseId, () => ({ status: 'KEPT' })) };
    case 'PromiseBroken':
      return { ...record, promises: changedById(record.promises, event.data.promiseId, () => ({ status: 'BROKEN' })) };
    case 'MeetingScheduled': {
      const { meetingId, startsAt, durationMinutes, occurredAt } = event.data;
      if (meetingOf(record, meetingId) !== undefined) return record;
      const meeting: MeetingStanding = {
        id: meetingId,
        startsAt,
        durationMinutes,
        status: 'SCHEDULED',
        lastChangeAt: occurredAt,
      };
      return { ...record, meetings: appendedById(record.meetings, meeting) };
    }
    case 'MeetingRescheduled':
      return {
        ...record,
        meetings: changedById(record.meetings, event.data.meetingId, () => ({
          startsAt: event.data.newStartsAt,
          lastChangeAt: event.data.occurredAt,
        })),
      };
    case 'MeetingCancelled':
      return {
        ...record,
        meetings: changedById(record.meetings, event.data.meetingId, () => ({ status: 'CANCELLED' })),
      };
    case 'MeetingHeld':
      return { ...record, meetings: changedById(record.meetings, event.data.meetingId, () => ({ status: 'HELD' })) };
    case 'MeetingMissed':
      return { ...record, meetings: changedById(record.meetings, event.data.meetingId, () => ({ status: 'MISSED' })) };
    case 'RelationshipPaused': {
      const { until, occurredAt } = event.data;
      return {
        ...record,
        status: 'paused',
        pauses: [...record.pauses, { pausedAt: occurredAt, until, resumedAt: null }],
      };
    }
    case 'RelationshipResumed': {
      if (record.status !== 'paused') return record;
      const { occurredAt } = event.data;
      const last = record.pauses.length - 1;
      let pauses = record.pauses;
      if (last >= 0 && pauses[last].resumedAt === null) {
        const copy = pauses.slice();
        copy[last] = { ...pauses[last], resumedAt: occurredAt };
        pauses = copy;
      }
      return { ...record, status: 'active', pauses };
    }
    case 'RelationshipEnded':
      return { status: 'ended' };
    default:
      return assertNever(event);
  }
};

export const evolveRelationship = (state: RelationshipState, event: RelationshipEvent): RelationshipState => {
  switch (state.status) {
    case 'none':
      return event.type === 'RelationshipStarted'
        ? {
            status: 'active',
            startedAt: event.data.occurredAt,
            pauses: [],
            promises: [],
            meetings: [],
            lastFactAt: event.data.occurredAt,
            lastActivityAt: event.data.occurredAt,
          }
        : state;
    case 'ended':
      return state;
    case 'active':
    case 'paused': {
      if (event.type === 'RelationshipStarted') return state;
      const next = applyFact(state, event);
      if (next.status !== 'active' && next.status !== 'paused') return next;
      const { occurredAt } = event.data;
      const lastFactAt = latest(next.lastFactAt, occurredAt);
      const lastActivityAt = isActivity(event) ? latest(next.lastActivityAt, occurredAt) : next.lastActivityAt;
      if (next !== state) {
        // A record applyFact just made: nobody else holds it yet, so it is finished in place (one copy per event).
        next.lastFactAt = lastFactAt;
        next.lastActivityAt = lastActivityAt;
        return next;
      }
      return { ...state, lastFactAt, lastActivityAt };
    }
    default:
      return assertNever(state);
  }
};
