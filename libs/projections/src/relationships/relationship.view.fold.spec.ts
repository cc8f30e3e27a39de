import {
  assertNever,
  isActivity,
  putsMenteeDevelopmentFirst,
  type Instant,
  type RelationshipEvent,
  toMillis,
} from '@trustline/domain';
import {
  at,
  fixtureIds,
  meetingCancelled,
  meetingHeld,
  meetingMissed,
  meetingRescheduled,
  meetingScheduled,
  mentorMotivesAssessed,
  promiseBroken,
  promiseKept,
  promiseMade,
  promiseRenegotiated,
  relationshipEnded,
  relationshipPaused,
  relationshipResumed,
  relationshipStarted,
  trustCheckInSubmitted,
} from '@trustline/testing';
import fc from 'fast-check';
import { DocumentJson } from '../runner/document.json';
import {
  type ActiveRelationshipView,
  evolveOwnedRelationshipView,
  evolveRelationshipView,
  type RelationshipMeeting,
  type RelationshipPause,
  type RelationshipPromise,
  type RelationshipView,
} from './relationship.view';

// The fold before it kept an index beside its arrays (a scan and a copy of the
// promise list per event), kept as it was: the oracle the fold must match,
// document for document, character for character of its JSON.

const latest = (a: Instant, b: Instant): Instant => (toMillis(b) > toMillis(a) ? b : a);

const updatePromise = (
  record: RelationshipView,
  promiseId: string,
  change: (promise: RelationshipPromise) => Partial<RelationshipPromise>,
): RelationshipView => ({
  ...record,
  promises: record.promises.map((promise) => (promise.id === promiseId ? { ...promise, ...change(promise) } : promise)),
});

const updateMeeting = (
  record: RelationshipView,
  meetingId: string,
  change: (meeting: RelationshipMeeting) => Partial<RelationshipMeeting>,
): RelationshipView => ({
  ...record,
  meetings: record.meetings.map((meeting) => (meeting.id === meetingId ? { ...meeting, ...change(meeting) } : meeting)),
});

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
      const { promiseId, promisor, description, dueAt, occurredAt } = event.data;
      if (record.promises.some((promise) => promise.id === promiseId)) return record;
      const promise: RelationshipPromise = {
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
      };
      return { ...record, promises: [...record.promises, promise] };
    }
    case 'PromiseRenegotiated':
      return updatePromise(record, event.data.promiseId, () => ({
        dueAt: event.data.newDueAt,
        renegotiatedAt: event.data.occurredAt,
      }));
    case 'PromiseKept':
      return updatePromise(record, event.data.promiseId, () => ({ status: 'KEPT', keptAt: event.data.occurredAt }));
    case 'PromiseBroken':
      return updatePromise(record, event.data.promiseId, () => ({
        status: 'BROKEN',
        brokenAt: event.data.occurredAt,
        brokenReason: event.data.reason,
      }));
    case 'MeetingScheduled': {
      const { meetingId, startsAt, durationMinutes, mode, scheduledBy, occurredAt } = event.data;
      if (record.meetings.some((meeting) => meeting.id === meetingId)) return record;
      const meeting: RelationshipMeeting = {
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
      };
      return { ...record, meetings: [...record.meetings, meeting] };
    }
    case 'MeetingRescheduled':
      return updateMeeting(record, event.data.meetingId, () => ({
        startsAt: event.data.newStartsAt,
        rescheduledAt: event.data.occurredAt,
      }));
    case 'MeetingCancelled': {
      const { by, reason, noticeHours, occurredAt } = event.data;
      return updateMeeting(record, event.data.meetingId, () => ({
        status: 'CANCELLED',
        cancelledBy: by,
        cancelledAt: occurredAt,
        cancelReason: reason,
        noticeHours,
      }));
    }
    case 'MeetingHeld':
      return updateMeeting(record, event.data.meetingId, () => ({
        status: 'HELD',
        startedAt: event.data.startedAt,
        durationMinutes: event.data.durationMinutes,
        mentorMinutesLate: event.data.mentorMinutesLate,
        menteeMinutesLate: event.data.menteeMinutesLate,
      }));
    case 'MeetingMissed':
      return updateMeeting(record, event.data.meetingId, () => ({
        status: 'MISSED',
        absent: [...event.data.absent],
      }));
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
      const pauses = record.pauses.map((pause, index) =>
        index === record.pauses.length - 1 && pause.resumedAt === null ? { ...pause, resumedAt: occurredAt } : pause,
      );
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

const oracleEvolve = (view: RelationshipView | null, event: RelationshipEvent): RelationshipView | null => {
  if (view === null) return event.type === 'RelationshipStarted' ? start(event) : null;
  if (event.type === 'RelationshipStarted') return view;
  const next = applyFact(view, event);
  const { occurredAt } = event.data;
  return {
    ...next,
    lastFactAt: latest(next.lastFactAt, occurredAt),
    lastActivityAt: isActivity(event) ? latest(next.lastActivityAt, occurredAt) : next.lastActivityAt,
  };
};

// ---- the property ------------------------------------------------------------

const arbitraries = (idsEach: number, maxLength: number, made: number) => {
  const ids = (prefix: string) =>
    fc.integer({ min: 1, max: idsEach }).map((n) => `${prefix}0000-0000-4000-8000-${String(n).padStart(12, '0')}`);
  // Repeated ids: a promise made twice, kept twice, kept before it is made, never made.
  const promiseId = fc.oneof(
    { weight: 1, arbitrary: fc.constant(fixtureIds.promise) },
    { weight: 4, arbitrary: ids('3000') },
  );
  const meetingId = fc.oneof(
    { weight: 1, arbitrary: fc.constant(fixtureIds.meeting) },
    { weight: 4, arbitrary: ids('4000') },
  );
  // Days before the start too: back-dated and out-of-order facts.
  const instant = fc.integer({ min: -3, max: 40 }).map((day) => at(day));

  type Event = fc.Arbitrary<RelationshipEvent>;
  const party = fc.constantFrom<'MENTOR' | 'MENTEE'>('MENTOR', 'MENTEE');
  const text = fc.string({ maxLength: 4 });
  const anyEvent: Event = fc.oneof(
    { weight: 1, arbitrary: instant.map((occurredAt) => relationshipStarted({ occurredAt })) as Event },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, fc.boolean())
        .map(([occurredAt, menteeDevelopmentFirst]) =>
          mentorMotivesAssessed({ occurredAt, menteeDevelopmentFirst }),
        ) as Event,
    },
    {
      weight: made,
      arbitrary: fc
        .tuple(instant, instant, promiseId, party, text)
        .map(([occurredAt, dueAt, id, promisor, description]) =>
          promiseMade({ occurredAt, dueAt, promiseId: id, promisor, description }),
        ) as Event,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, instant, promiseId)
        .map(([occurredAt, newDueAt, id]) => promiseRenegotiated({ occurredAt, newDueAt, promiseId: id })) as Event,
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(instant, promiseId)
        .map(([occurredAt, id]) => promiseKept({ occurredAt, promiseId: id })) as Event,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, promiseId, text)
        .map(([occurredAt, id, reason]) => promiseBroken({ occurredAt, promiseId: id, reason })) as Event,
    },
    {
      weight: made,
      arbitrary: fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, startsAt, id]) => meetingScheduled({ occurredAt, startsAt, meetingId: id })) as Event,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, newStartsAt, id]) =>
          meetingRescheduled({ occurredAt, newStartsAt, meetingId: id }),
        ) as Event,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, startsAt, id]) => meetingCancelled({ occurredAt, startsAt, meetingId: id })) as Event,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, meetingId)
        .map(([occurredAt, id]) => meetingHeld({ occurredAt, meetingId: id })) as Event,
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, meetingId)
        .map(([occurredAt, id]) => meetingMissed({ occurredAt, meetingId: id })) as Event,
    },
    { weight: 1, arbitrary: instant.map((occurredAt) => trustCheckInSubmitted({ occurredAt })) as Event },
    {
      weight: 1,
      arbitrary: fc
        .tuple(instant, fc.option(instant))
        .map(([occurredAt, until]) => relationshipPaused({ occurredAt, until })) as Event,
    },
    { weight: 1, arbitrary: instant.map((occurredAt) => relationshipResumed({ occurredAt })) as Event },
    { weight: 1, arbitrary: instant.map((occurredAt) => relationshipEnded({ occurredAt })) as Event },
  );

  /** Mostly a started relationship (the events before a start fold to nothing). */
  const history = fc
    .tuple(fc.nat({ max: 4 }), instant, fc.array(anyEvent, { minLength: maxLength / 2, maxLength, size: 'max' }))
    .map(([n, startAt, events]) => (n === 0 ? events : [relationshipStarted({ occurredAt: startAt }), ...events]));
  return { anyEvent, history };
};

const json = (view: RelationshipView | null): string => JSON.stringify(view);

// Few ids, so that facts about one promise collide; and many, past the length from which arrays are indexed.
describe.each([
  { idsEach: 5, maxLength: 60, made: 3, numRuns: 200 },
  { idsEach: 150, maxLength: 300, made: 20, numRuns: 20 },
])(
  'the relationship view fold, against the fold it replaced ($idsEach ids each, $maxLength events)',
  ({ idsEach, maxLength, made, numRuns }) => {
    const { anyEvent, history } = arbitraries(idsEach, maxLength, made);
    let longest = 0;
    afterAll(() => {
      // The histories reach the lengths they are meant to (the index kept beside arrays of 64 and more).
      expect(longest).toBeGreaterThanOrEqual(idsEach > 64 ? 64 : idsEach);
    });

    it('folds every prefix of any history to the same document, and leaves the documents before it as they were', () => {
      fc.assert(
        fc.property(history, (events) => {
          // One DocumentJson across the fold, as the document writer keeps one: it reuses the JSON of unchanged arrays.
          const writer = new DocumentJson();
          let view: RelationshipView | null = null;
          let expected: RelationshipView | null = null;
          const seen: { view: RelationshipView | null; text: string }[] = [];
          for (const event of events) {
            view = evolveRelationshipView(view, event);
            expected = oracleEvolve(expected, event);
            const text = json(expected);
            expect(json(view)).toBe(text);
            expect(writer.stringify(view)).toBe(text);
            seen.push({ view, text });
          }
          longest = Math.max(longest, view?.promises.length ?? 0, view?.meetings.length ?? 0);
          for (const { view: earlier, text } of seen) {
            expect(json(earlier)).toBe(text);
            expect(writer.stringify(earlier)).toBe(text);
          }
        }),
        { numRuns },
      );
    });

    it('folds two histories on from one document (two writers, a retried batch) to what each would alone', () => {
      fc.assert(
        fc.property(
          history,
          fc.array(anyEvent, { maxLength: maxLength / 2, size: 'max' }),
          fc.array(anyEvent, { maxLength: maxLength / 2, size: 'max' }),
          fc.array(fc.boolean(), { maxLength, size: 'max' }),
          (common, left, right, turns) => {
            const base = common.reduce(evolveRelationshipView, null);
            const expectedBase = common.reduce(oracleEvolve, null);
            let a = base;
            let b = base;
            let expectedA = expectedBase;
            let expectedB = expectedBase;
            let i = 0;
            let j = 0;
            for (let turn = 0; i < left.length || j < right.length; turn++) {
              if (j >= right.length || (i < left.length && (turns[turn] ?? true))) {
                a = evolveRelationshipView(a, left[i]);
                expectedA = oracleEvolve(expectedA, left[i++]);
                expect(json(a)).toBe(json(expectedA));
              } else {
                b = evolveRelationshipView(b, right[j]);
                expectedB = oracleEvolve(expectedB, right[j++]);
                expect(json(b)).toBe(json(expectedB));
              }
            }
            expect(json(base)).toBe(json(expectedBase));
          },
        ),
        { numRuns },
      );
    });

    it('folds in place (a document the writer created in the transaction) to the same document, then on by copying', () => {
      fc.assert(
        fc.property(history, fc.array(anyEvent, { maxLength: maxLength / 2, size: 'max' }), (events, after) => {
          // As the document writer: the copying fold creates the view, the owned fold changes it from then on.
          let view: RelationshipView | null = null;
          let expected: RelationshipView | null = null;
          for (const event of events) {
            view = view === null ? evolveRelationshipView(view, event) : evolveOwnedRelationshipView(view, event);
            expected = oracleEvolve(expected, event);
            expect(json(view)).toBe(json(expected));
          }
          longest = Math.max(longest, view?.promises.length ?? 0, view?.meetings.length ?? 0);
          // Written (and cached) now: the copying fold goes on from it and leaves it as it was.
          const written = view;
          const text = json(written);
          expect(json(after.reduce(evolveRelationshipView, view))).toBe(json(after.reduce(oracleEvolve, expected)));
          expect(json(written)).toBe(text);
        }),
        { numRuns },
      );
    });

    it('folds on from a document read back from its JSON as from the one folded', () => {
      fc.assert(
        fc.property(history, fc.array(anyEvent, { maxLength: maxLength / 2, size: 'max' }), (before, after) => {
          const folded = before.reduce(evolveRelationshipView, null);
          const parsed = JSON.parse(json(folded)) as RelationshipView | null;
          const expected = after.reduce(oracleEvolve, before.reduce(oracleEvolve, null));
          expect(json(after.reduce(evolveRelationshipView, parsed))).toBe(json(expected));
          expect(json(after.reduce(evolveRelationshipView, folded))).toBe(json(expected));
        }),
        { numRuns },
      );
    });
  },
);

describe('the index kept beside a long promise list', () => {
  it('is not misled by a sibling fold: a promise made on one branch is unknown on the other', () => {
    const common = [
      relationshipStarted({ occurredAt: at(0) }),
      ...Array.from({ length: 70 }, (_, i) => promiseMade({ promiseId: `p${i}`, occurredAt: at(1) })),
    ];
    const base = common.reduce(evolveRelationshipView, null);
    const left = evolveRelationshipView(base, promiseMade({ promiseId: 'x', occurredAt: at(2) }));
    let right = evolveRelationshipView(base, promiseMade({ promiseId: 'y', occurredAt: at(2) }));
    right = evolveRelationshipView(right, promiseKept({ promiseId: 'x', occurredAt: at(3) }));
    right = evolveRelationshipView(right, promiseMade({ promiseId: 'x', occurredAt: at(4) }));
    const expected = [
      promiseMade({ promiseId: 'y', occurredAt: at(2) }),
      promiseKept({ promiseId: 'x', occurredAt: at(3) }),
      promiseMade({ promiseId: 'x', occurredAt: at(4) }),
    ].reduce(oracleEvolve, common.reduce(oracleEvolve, null));
    expect(json(right)).toBe(json(expected));
    expect(json(left)).toBe(
      json(oracleEvolve(common.reduce(oracleEvolve, null), promiseMade({ promiseId: 'x', occurredAt: at(2) }))),
    );
  });
});
