import {
  at,
  fixtureIds,
  keepPromise,
  makePromise,
  meetingCancelled,
  meetingHeld,
  meetingMissed,
  meetingRescheduled,
  meetingScheduled,
  promiseBroken,
  promiseKept,
  promiseMade,
  promiseRenegotiated,
  relationshipEnded,
  relationshipPaused,
  relationshipResumed,
  relationshipStarted,
  renegotiatePromise,
  rescheduleMeeting,
  scheduleMeeting,
  trustCheckInSubmitted,
} from '@trustline/testing';
import fc from 'fast-check';
import { assertNever } from '../shared/decider';
import { toMillis, type Instant } from '../shared/instant';
import type { RelationshipCommand } from './relationship.commands';
import { decideRelationship } from './relationship.decider';
import type { RelationshipEvent } from './relationship.events';
import {
  evolveRelationship,
  initialRelationshipState,
  type MeetingStanding,
  type OpenRelationship,
  type PromiseStanding,
  type RelationshipState,
} from './relationship.state';

// The decision state's fold before it kept an index beside its arrays, kept as
// it was: the oracle the fold must match, state for state, decision for decision.

const latest = (a: Instant, b: Instant): Instant => (toMillis(b) > toMillis(a) ? b : a);

const changed = <T extends { id: string }>(
  items: readonly T[],
  id: string,
  change: (item: T) => Partial<T>,
): readonly T[] => {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) return items;
  const next = items.slice();
  next[index] = { ...items[index], ...change(items[index]) };
  return next;
};

/** The promise of this id, if the relationship holds one. */
const oldPromiseOf = (relationship: OpenRelationship, id: string): PromiseStanding | undefined =>
  relationship.promises.find((promise) => promise.id === id);

/** The meeting of this id, if the relationship holds one. */
const oldMeetingOf = (relationship: OpenRelationship, id: string): MeetingStanding | undefined =>
  relationship.meetings.find((meeting) => meeting.id === id);

// Facts a pause does not stop (check-ins, the pause's own lifecycle, the end) do not count as activity;
// the decision state and the relationship's read view both ask this.
const oldIsActivity = (event: RelationshipEvent): boolean => {
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
      if (oldPromiseOf(record, promiseId) !== undefined) return record;
      const promise: PromiseStanding = { id: promiseId, promisor, dueAt, status: 'OPEN', lastChangeAt: occurredAt };
      return { ...record, promises: [...record.promises, promise] };
    }
    case 'PromiseRenegotiated':
      return {
        ...record,
        promises: changed(record.promises, event.data.promiseId, () => ({
          dueAt: event.data.newDueAt,
          lastChangeAt: event.data.occurredAt,
        })),
      };
    case 'PromiseKept':
      return { ...record, promises: changed(record.promises, event.data.promiseId, () => ({ status: 'KEPT' })) };
    case 'PromiseBroken':
      return { ...record, promises: changed(record.promises, event.data.promiseId, () => ({ status: 'BROKEN' })) };
    case 'MeetingScheduled': {
      const { meetingId, startsAt, durationMinutes, occurredAt } = event.data;
      if (oldMeetingOf(record, meetingId) !== undefined) return record;
      const meeting: MeetingStanding = {
        id: meetingId,
        startsAt,
        durationMinutes,
        status: 'SCHEDULED',
        lastChangeAt: occurredAt,
      };
      return { ...record, meetings: [...record.meetings, meeting] };
    }
    case 'MeetingRescheduled':
      return {
        ...record,
        meetings: changed(record.meetings, event.data.meetingId, () => ({
          startsAt: event.data.newStartsAt,
          lastChangeAt: event.data.occurredAt,
        })),
      };
    case 'MeetingCancelled':
      return { ...record, meetings: changed(record.meetings, event.data.meetingId, () => ({ status: 'CANCELLED' })) };
    case 'MeetingHeld':
      return { ...record, meetings: changed(record.meetings, event.data.meetingId, () => ({ status: 'HELD' })) };
    case 'MeetingMissed':
      return { ...record, meetings: changed(record.meetings, event.data.meetingId, () => ({ status: 'MISSED' })) };
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
      const pauses = record.pauses.map((pause, index) =>
        index === record.pauses.length - 1 && pause.resumedAt === null ? { ...pause, resumedAt: occurredAt } : pause,
      );
      return { ...record, status: 'active', pauses };
    }
    case 'RelationshipEnded':
      return { status: 'ended' };
    default:
      return assertNever(event);
  }
};

const oracleEvolve = (state: RelationshipState, event: RelationshipEvent): RelationshipState => {
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
      return {
        ...next,
        lastFactAt: latest(next.lastFactAt, occurredAt),
        lastActivityAt: oldIsActivity(event) ? latest(next.lastActivityAt, occurredAt) : next.lastActivityAt,
      };
    }
    default:
      return assertNever(state);
  }
};

const ids = (prefix: string, each: number) =>
  fc.integer({ min: 1, max: each }).map((n) => `${prefix}0000-0000-4000-8000-${String(n).padStart(12, '0')}`);
const instant = fc.integer({ min: -3, max: 40 }).map((day) => at(day));

const arbitraries = (each: number, made: number) => {
  const promiseId = fc.oneof(
    { weight: 1, arbitrary: fc.constant(fixtureIds.promise) },
    { weight: 4, arbitrary: ids('3000', each) },
  );
  const meetingId = fc.oneof(
    { weight: 1, arbitrary: fc.constant(fixtureIds.meeting) },
    { weight: 4, arbitrary: ids('4000', each) },
  );
  type E = fc.Arbitrary<RelationshipEvent>;
  const anyEvent: E = fc.oneof(
    { weight: 1, arbitrary: instant.map((occurredAt) => relationshipStarted({ occurredAt })) as E },
    {
      weight: made,
      arbitrary: fc
        .tuple(instant, instant, promiseId)
        .map(([occurredAt, dueAt, promiseId]) => promiseMade({ occurredAt, dueAt, promiseId })) as E,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, instant, promiseId)
        .map(([occurredAt, newDueAt, promiseId]) => promiseRenegotiated({ occurredAt, newDueAt, promiseId })) as E,
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(instant, promiseId)
        .map(([occurredAt, promiseId]) => promiseKept({ occurredAt, promiseId })) as E,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, promiseId)
        .map(([occurredAt, promiseId]) => promiseBroken({ occurredAt, promiseId })) as E,
    },
    {
      weight: made,
      arbitrary: fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, startsAt, meetingId]) => meetingScheduled({ occurredAt, startsAt, meetingId })) as E,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, newStartsAt, meetingId]) => meetingRescheduled({ occurredAt, newStartsAt, meetingId })) as E,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, startsAt, meetingId]) => meetingCancelled({ occurredAt, startsAt, meetingId })) as E,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, meetingId)
        .map(([occurredAt, meetingId]) => meetingHeld({ occurredAt, meetingId })) as E,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, meetingId)
        .map(([occurredAt, meetingId]) => meetingMissed({ occurredAt, meetingId })) as E,
    },
    { weight: 1, arbitrary: instant.map((occurredAt) => trustCheckInSubmitted({ occurredAt })) as E },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, fc.option(instant))
        .map(([occurredAt, until]) => relationshipPaused({ occurredAt, until })) as E,
    },
    { weight: 1, arbitrary: instant.map((occurredAt) => relationshipResumed({ occurredAt })) as E },
    { weight: 1, arbitrary: instant.map((occurredAt) => relationshipEnded({ occurredAt })) as E },
  );
  type C = fc.Arbitrary<RelationshipCommand>;
  const anyCommand: C = fc.oneof(
    fc
      .tuple(instant, instant, promiseId)
      .map(([occurredAt, dueAt, promiseId]) => makePromise({ occurredAt, dueAt, promiseId })) as C,
    fc.tuple(instant, promiseId).map(([occurredAt, promiseId]) => keepPromise({ occurredAt, promiseId })) as C,
    fc
      .tuple(instant, instant, promiseId)
      .map(([occurredAt, newDueAt, promiseId]) => renegotiatePromise({ occurredAt, newDueAt, promiseId })) as C,
    fc
      .tuple(instant, instant, meetingId)
      .map(([occurredAt, startsAt, meetingId]) => scheduleMeeting({ occurredAt, startsAt, meetingId })) as C,
    fc
      .tuple(instant, instant, meetingId)
      .map(([occurredAt, newStartsAt, meetingId]) => rescheduleMeeting({ occurredAt, newStartsAt, meetingId })) as C,
  );
  return { anyEvent, anyCommand };
};

/** The events a decision made, or the error it threw, as comparable text. */
const outcome = (command: RelationshipCommand, state: RelationshipState): string => {
  try {
    return JSON.stringify(decideRelationship(command, state));
  } catch (error) {
    return `${String(error)} ${JSON.stringify(error)}`;
  }
};

describe.each([
  { each: 5, maxLength: 60, made: 3, numRuns: 100 },
  { each: 300, maxLength: 300, made: 40, numRuns: 15 },
])('the decision state fold, against the fold it replaced ($each ids each)', ({ each, maxLength, made, numRuns }) => {
  const { anyEvent, anyCommand } = arbitraries(each, made);
  const history = fc
    .tuple(instant, fc.array(anyEvent, { minLength: maxLength / 2, maxLength, size: 'max' }))
    // An ended relationship holds nothing: the long case stays open, to reach the indexed lengths.
    .map(([startAt, events]) => [
      relationshipStarted({ occurredAt: startAt }),
      ...(each > 64 ? events.filter((event) => event.type !== 'RelationshipEnded') : events),
    ]);

  it('folds every prefix to the same state, and decides every command on it alike', () => {
    fc.assert(
      fc.property(history, fc.array(anyCommand, { minLength: 1, maxLength: 5 }), (events, commands) => {
        let state = initialRelationshipState();
        let expected = initialRelationshipState();
        const seen: { state: RelationshipState; text: string }[] = [];
        for (const event of events) {
          state = evolveRelationship(state, event);
          expected = oracleEvolve(expected, event);
          const text = JSON.stringify(expected);
          expect(JSON.stringify(state)).toBe(text);
          seen.push({ state, text });
          for (const command of commands) expect(outcome(command, state)).toBe(outcome(command, expected));
        }
        for (const earlier of seen) expect(JSON.stringify(earlier.state)).toBe(earlier.text);
      }),
      { numRuns },
    );
  });

  it('folds two histories on from one state (two commands from one cached state) to what each would alone', () => {
    fc.assert(
      fc.property(
        history,
        fc.array(anyEvent, { maxLength: maxLength / 2, size: 'max' }),
        fc.array(anyEvent, { maxLength: maxLength / 2, size: 'max' }),
        fc.array(anyCommand, { minLength: 1, maxLength: 3 }),
        (common, left, right, commands) => {
          const base = common.reduce(evolveRelationship, initialRelationshipState());
          const expectedBase = common.reduce(oracleEvolve, initialRelationshipState());
          let a = base;
          let b = base;
          let expectedA = expectedBase;
          let expectedB = expectedBase;
          for (let i = 0; i < Math.max(left.length, right.length); i++) {
            if (i < left.length) {
              a = evolveRelationship(a, left[i]);
              expectedA = oracleEvolve(expectedA, left[i]);
            }
            if (i < right.length) {
              b = evolveRelationship(b, right[i]);
              expectedB = oracleEvolve(expectedB, right[i]);
            }
            expect(JSON.stringify(a)).toBe(JSON.stringify(expectedA));
            expect(JSON.stringify(b)).toBe(JSON.stringify(expectedB));
          }
          for (const command of commands) {
            expect(outcome(command, a)).toBe(outcome(command, expectedA));
            expect(outcome(command, b)).toBe(outcome(command, expectedB));
          }
          expect(JSON.stringify(base)).toBe(JSON.stringify(expectedBase));
        },
      ),
      { numRuns },
    );
  });
});
