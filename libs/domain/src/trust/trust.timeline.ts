import { assertNever } from '../shared/decider';
import { toMillis, type Instant } from '../shared/instant';
import type { Recorded } from '../shared/recorded';
import type { RelationshipEvent } from '../relationship/relationship.events';

export type RelationshipFact = Recorded<RelationshipEvent>;

/** A stored fact placed on the relationship's time line. */
export interface TimedFact {
  /** Effective instant in ms. */
  readonly at: number;
  readonly fact: RelationshipFact;
}

/** [start, end) in ms; `end` is Infinity while a pause has no known end. */
export interface PauseInterval {
  readonly start: number;
  readonly end: number;
}

export type InstantInput = number | Instant;

export const instantToMs = (value: InstantInput): number => (typeof value === 'number' ? value : toMillis(value));

// A meeting counts from when it started, not from when someone got round to
// recording it; every other fact counts from when it happened.
export const effectiveInstant = (event: RelationshipEvent): Instant => {
  switch (event.type) {
    case 'MeetingHeld':
      return event.data.startedAt;
    case 'MeetingMissed':
      return event.data.startsAt;
    case 'RelationshipStarted':
    case 'MentorMotivesAssessed':
    case 'PromiseMade':
    case 'PromiseRenegotiated':
    case 'PromiseKept':
    case 'PromiseBroken':
    case 'MeetingScheduled':
    case 'MeetingRescheduled':
    case 'MeetingCancelled':
    case 'TrustCheckInSubmitted':
    case 'RelationshipPaused':
    case 'RelationshipResumed':
    case 'RelationshipEnded':
      return event.data.occurredAt;
    default:
      return assertNever(event);
  }
};

const byPosition = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Facts in replay order: effective instant, then global position. */
export const orderFacts = (facts: readonly RelationshipFact[]): TimedFact[] =>
  facts
    .map((fact) => ({ at: toMillis(effectiveInstant(fact.event)), fact }))
    .sort((a, b) => a.at - b.at || byPosition(a.fact.position, b.fact.position));

/**
 * The facts of a relationship as it stood at `at`: those whose effective
 * instant is at or before it and, with `knownAt`, recorded by then.
 */
export const factsAsOf = (
  facts: readonly RelationshipFact[],
  at: InstantInput,
  knownAt?: InstantInput,
): RelationshipFact[] => {
  const atMs = instantToMs(at);
  const knownAtMs = knownAt === undefined ? Infinity : instantToMs(knownAt);
  return facts.filter(
    (fact) => toMillis(effectiveInstant(fact.event)) <= atMs && toMillis(fact.recordedAt) <= knownAtMs,
  );
};

// A pause lasts until the earlier of its resume and its own `until`. A resume
// that arrives after `until` has passed finds nothing to end.
export const pauseIntervals = (ordered: readonly TimedFact[]): PauseInterval[] => {
  const intervals: PauseInterval[] = [];
  const record = (start: number, end: number): void => {
    if (end > start) intervals.push({ start, end });
  };
  let open: { start: number; until: number } | null = null;
  for (const { at, fact } of ordered) {
    const event = fact.event;
    if (open !== null && at >= open.until) {
      record(open.start, open.until);
      open = null;
    }
    if (event.type === 'RelationshipPaused') {
      if (open !== null) record(open.start, at);
      const until = event.data.until === null ? Infinity : toMillis(event.data.until);
      open = { start: at, until };
    } else if (event.type === 'RelationshipResumed' && open !== null) {
      record(open.start, at);
      open = null;
    }
  }
  if (open !== null) record(open.start, open.until);
  return intervals;
};

/** Milliseconds of [from, to] spent paused. */
export const pausedWithin = (pauses: readonly PauseInterval[], from: number, to: number): number => {
  let paused = 0;
  for (const pause of pauses) {
    if (pause.start >= to) break;
    const overlap = Math.min(pause.end, to) - Math.max(pause.start, from);
    if (overlap > 0) paused += overlap;
  }
  return paused;
};

/** Milliseconds of the cadence clock (paused time excluded) between two instants. */
export const activeWithin = (pauses: readonly PauseInterval[], from: number, to: number): number =>
  to - from - pausedWithin(pauses, from, to);

/**
 * The earliest instant at which the cadence clock, started at `from`, has run
 * for `duration` ms; Infinity when a pause without end stops it before then.
 */
export const instantAfterActive = (pauses: readonly PauseInterval[], from: number, duration: number): number => {
  let cursor = from;
  let remaining = duration;
  for (const pause of pauses) {
    if (pause.end <= cursor) continue;
    if (pause.start > cursor) {
      const running = pause.start - cursor;
      if (running >= remaining) return cursor + remaining;
      remaining -= running;
    }
    cursor = pause.end;
    if (cursor === Infinity) return Infinity;
  }
  return cursor + remaining;
};
