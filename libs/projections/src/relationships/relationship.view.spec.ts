import {
  at,
  fixtureIds,
  meetingCancelled,
  meetingHeld,
  meetingMissed,
  meetingRescheduled,
  meetingScheduled,
  mentorMotivesAssessed,
  ProjectionSpecification,
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
import type { RelationshipEvent } from '@trustline/domain';
import { evolveRelationshipView, isPausedAt, relationshipStatusAt, type RelationshipView } from './relationship.view';

const view = ProjectionSpecification.for<RelationshipView | null, RelationshipEvent>({
  initialState: () => null,
  evolve: evolveRelationshipView,
});
const fold = (events: RelationshipEvent[]): RelationshipView | null =>
  events.reduce<RelationshipView | null>(evolveRelationshipView, null);

const started = relationshipStarted({ occurredAt: at(1), cadenceDays: 21 });

describe('a started relationship', () => {
  it('shows its pair, program, start and cadence, with nothing else yet', () => {
    view.given([started]).then({
      status: 'active',
      relationshipId: fixtureIds.relationship,
      programId: fixtureIds.program,
      mentorId: fixtureIds.mentor,
      menteeId: fixtureIds.mentee,
      startedAt: at(1),
      cadenceDays: 21,
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
      lastFactAt: at(1),
      lastActivityAt: at(1),
    });
  });
});

describe('the motive review recommendation', () => {
  it.each([
    ['development first with a mentee-centred motive', 'DEVELOP_MENTEE', true, false],
    ['giving back, development first', 'GIVE_BACK', true, false],
    ['passing the torch, development first', 'PASS_THE_TORCH', true, false],
    ['a mentee-centred motive without development first', 'DEVELOP_MENTEE', false, true],
    ['development first but a self-centred motive', 'CAREER_VISIBILITY', true, true],
    ['another motive', 'OTHER', true, true],
  ] as const)('after %s is %p', (_case, primaryMotive, menteeDevelopmentFirst, recommended) => {
    view
      .given([started, mentorMotivesAssessed({ primaryMotive, menteeDevelopmentFirst })])
      .thenMatches({ motiveReviewRecommended: recommended });
  });

  it('follows the latest assessment', () => {
    view
      .given([
        started,
        mentorMotivesAssessed({ occurredAt: at(2), primaryMotive: 'EXPAND_NETWORK' }),
        mentorMotivesAssessed({ occurredAt: at(5), primaryMotive: 'DEVELOP_MENTEE' }),
      ])
      .thenMatches({ motiveReviewRecommended: false, motivesAssessedAt: at(5) });
  });

  it('is not overturned by an older assessment recorded late', () => {
    view
      .given([
        started,
        mentorMotivesAssessed({ occurredAt: at(5), primaryMotive: 'DEVELOP_MENTEE' }),
        mentorMotivesAssessed({ occurredAt: at(2), primaryMotive: 'EXPAND_NETWORK' }),
      ])
      .thenMatches({ motiveReviewRecommended: false, motivesAssessedAt: at(5) });
  });
});

describe('the promises of a relationship', () => {
  it('are listed in the order they were made, each with its outcome', () => {
    const first = fixtureIds.promise;
    const second = fixtureIds.otherPromise;
    view
      .given([
        started,
        promiseMade({
          promiseId: second,
          occurredAt: at(2),
          dueAt: at(9),
          promisor: 'MENTEE',
          description: 'Draft a plan',
        }),
        promiseMade({ promiseId: first, occurredAt: at(3), dueAt: at(10), description: 'Review the plan' }),
        promiseRenegotiated({ promiseId: first, occurredAt: at(4), previousDueAt: at(10), newDueAt: at(12) }),
        promiseKept({ promiseId: first, occurredAt: at(11), dueAt: at(12) }),
        promiseBroken({
          promiseId: second,
          occurredAt: at(13),
          dueAt: at(9),
          promisor: 'MENTEE',
          reason: 'Overloaded',
        }),
      ])
      .thenMatches({
        promises: [
          {
            id: second,
            promisor: 'MENTEE',
            description: 'Draft a plan',
            dueAt: at(9),
            status: 'BROKEN',
            madeAt: at(2),
            renegotiatedAt: null,
            keptAt: null,
            brokenAt: at(13),
            brokenReason: 'Overloaded',
          },
          {
            id: first,
            promisor: 'MENTOR',
            description: 'Review the plan',
            dueAt: at(12),
            status: 'KEPT',
            madeAt: at(3),
            renegotiatedAt: at(4),
            keptAt: at(11),
            brokenAt: null,
            brokenReason: null,
          },
        ],
      });
  });

  it('show an open promise as open', () => {
    view.given([started, promiseMade()]).thenState((state) => {
      expect(state !== null && state.promises.map((promise) => promise.status)).toEqual(['OPEN']);
    });
  });
});

describe('the meetings of a relationship', () => {
  const scheduled = meetingScheduled({ occurredAt: at(2), startsAt: at(8, 10), durationMinutes: 90 });

  it('show a scheduled meeting as scheduled', () => {
    view.given([started, scheduled]).thenMatches({
      meetings: [
        {
          id: fixtureIds.meeting,
          startsAt: at(8, 10),
          durationMinutes: 90,
          mode: 'VIRTUAL',
          status: 'SCHEDULED',
          scheduledBy: 'MENTEE',
          scheduledAt: at(2),
          rescheduledAt: null,
          cancelledBy: null,
          cancelledAt: null,
          cancelReason: null,
          noticeHours: null,
          startedAt: null,
          mentorMinutesLate: null,
          menteeMinutesLate: null,
          absent: null,
        },
      ],
    });
  });

  it('show a cancelled meeting with the hours of notice given', () => {
    view
      .given([
        started,
        scheduled,
        meetingCancelled({ occurredAt: at(7, 8, 30), startsAt: at(8, 10), by: 'MENTEE', reason: 'Ill' }),
      ])
      .thenMatches({
        meetings: [
          {
            status: 'CANCELLED',
            cancelledBy: 'MENTEE',
            cancelledAt: at(7, 8, 30),
            cancelReason: 'Ill',
            noticeHours: 25.5,
          },
        ],
      });
  });

  it('measure notice from the start as it stood when cancelled', () => {
    view
      .given([
        started,
        scheduled,
        meetingRescheduled({ occurredAt: at(3), previousStartsAt: at(8, 10), newStartsAt: at(10, 10) }),
        meetingCancelled({ occurredAt: at(8, 10), startsAt: at(10, 10) }),
      ])
      .thenMatches({ meetings: [{ startsAt: at(10, 10), rescheduledAt: at(3), noticeHours: 48 }] });
  });

  it('show negative notice for a cancellation after the start', () => {
    view
      .given([started, scheduled, meetingCancelled({ occurredAt: at(8, 10, 30), startsAt: at(8, 10) })])
      .thenMatches({ meetings: [{ noticeHours: -0.5 }] });
  });

  it('show a held meeting with its real start, duration and lateness', () => {
    view
      .given([
        started,
        scheduled,
        meetingHeld({ startedAt: at(8, 10, 5), durationMinutes: 50, mentorMinutesLate: 5, menteeMinutesLate: 12 }),
      ])
      .thenMatches({
        meetings: [
          {
            status: 'HELD',
            startedAt: at(8, 10, 5),
            durationMinutes: 50,
            mentorMinutesLate: 5,
            menteeMinutesLate: 12,
            absent: null,
          },
        ],
      });
  });

  it('show a missed meeting with who was absent', () => {
    view
      .given([started, scheduled, meetingMissed({ absent: ['MENTOR', 'MENTEE'] })])
      .thenMatches({ meetings: [{ status: 'MISSED', absent: ['MENTOR', 'MENTEE'], startedAt: null }] });
  });

  it('are listed in the order they were scheduled', () => {
    view
      .given([
        started,
        meetingScheduled({ meetingId: fixtureIds.otherMeeting, startsAt: at(20) }),
        meetingScheduled({ meetingId: fixtureIds.meeting, startsAt: at(10) }),
      ])
      .thenState((state) => {
        expect(state !== null && state.meetings.map((meeting) => meeting.id)).toEqual([
          fixtureIds.otherMeeting,
          fixtureIds.meeting,
        ]);
      });
  });
});

describe('a paused relationship', () => {
  const paused = [started, relationshipPaused({ occurredAt: at(12), until: at(19), reason: 'Travel' })];

  it('shows the pause in force', () => {
    view.given(paused).thenMatches({
      status: 'paused',
      pausedAt: at(12),
      pausedUntil: at(19),
      pauses: [{ pausedAt: at(12), until: at(19), resumedAt: null, reason: 'Travel' }],
    });
  });

  it('is paused from its pause until the pause runs out', () => {
    const state = fold(paused);
    const asked = [at(11), at(12), at(18, 23), at(19), at(30)];
    expect(asked.map((instant) => relationshipStatusAt(state, instant))).toEqual([
      'ACTIVE',
      'PAUSED',
      'PAUSED',
      'ACTIVE',
      'ACTIVE',
    ]);
  });

  it('shows no pause in force once resumed, and keeps its history', () => {
    view.given([...paused, relationshipResumed({ occurredAt: at(15) })]).thenMatches({
      status: 'active',
      pausedAt: null,
      pausedUntil: null,
      pauses: [{ pausedAt: at(12), until: at(19), resumedAt: at(15), reason: 'Travel' }],
    });
  });

  it('is paused until the earlier of its resume and its until', () => {
    const state = fold([...paused, relationshipResumed({ occurredAt: at(15) })]);
    expect([at(14), at(15), at(16)].map((instant) => isPausedAt(state, instant))).toEqual([true, false, false]);
  });

  it('stays paused without an until until it is resumed', () => {
    const state = fold([started, relationshipPaused({ occurredAt: at(12), until: null })]);
    expect(isPausedAt(state, at(1000))).toBe(true);
  });

  it('remembers every pause', () => {
    const state = fold([
      ...paused,
      relationshipResumed({ occurredAt: at(15) }),
      relationshipPaused({ occurredAt: at(30), until: null }),
    ]);
    expect([at(13), at(20), at(31)].map((instant) => isPausedAt(state, instant))).toEqual([true, false, true]);
  });
});

describe('an ended relationship', () => {
  it('shows when, why and by whom it ended', () => {
    view
      .given([
        started,
        relationshipEnded({ occurredAt: at(40), endedBy: 'MENTOR', reason: 'TRUST_BREAKDOWN', planned: false }),
      ])
      .thenMatches({
        status: 'ended',
        endedAt: at(40),
        endReason: 'TRUST_BREAKDOWN',
        endedBy: 'MENTOR',
        endPlanned: false,
      });
  });

  it('reports ENDED whatever the instant asked', () => {
    const state = fold([
      started,
      relationshipPaused({ occurredAt: at(12) }),
      relationshipEnded({ occurredAt: at(14) }),
    ]);
    expect(relationshipStatusAt(state, at(50))).toBe('ENDED');
  });

  it('keeps its first end', () => {
    view
      .given([
        started,
        relationshipEnded({ occurredAt: at(40) }),
        relationshipEnded({ occurredAt: at(50), reason: 'OTHER' }),
      ])
      .thenMatches({ endedAt: at(40), endReason: 'COMPLETED' });
  });
});

describe('a relationship that does not exist', () => {
  it('has no status', () => {
    expect(relationshipStatusAt(null, at(1))).toBeNull();
    expect(isPausedAt(null, at(1))).toBe(false);
  });
});

describe('folding a subset of a stream, as an auditor does', () => {
  it('ignores facts that come before the start in the subset', () => {
    view.given([promiseMade(), meetingHeld(), relationshipEnded()]).then(null);
  });

  it('ignores facts about promises and meetings the subset does not contain', () => {
    const state = fold([started, promiseKept(), meetingCancelled(), meetingHeld(), promiseRenegotiated()]);
    expect(state).toMatchObject({ promises: [], meetings: [] });
  });

  it('applies, without throwing, facts the decider would have refused', () => {
    view
      .given([
        started,
        promiseMade(),
        promiseBroken({ occurredAt: at(10) }),
        promiseKept({ occurredAt: at(11) }),
        relationshipResumed({ occurredAt: at(12) }),
        relationshipEnded({ occurredAt: at(13) }),
        relationshipPaused({ occurredAt: at(14) }),
        trustCheckInSubmitted({ occurredAt: at(15) }),
      ])
      .thenMatches({ status: 'ended', promises: [{ status: 'KEPT', keptAt: at(11) }], pauses: [], lastFactAt: at(15) });
  });

  it('ignores a second start', () => {
    view
      .given([started, relationshipStarted({ mentorId: fixtureIds.mentee })])
      .thenMatches({ mentorId: fixtureIds.mentor });
  });

  it('never throws, whatever events it is given in whatever order', () => {
    const instant = fc.integer({ min: -3, max: 60 }).map((day) => at(day));
    const promiseId = fc.constantFrom(fixtureIds.promise, fixtureIds.otherPromise);
    const meetingId = fc.constantFrom(fixtureIds.meeting, fixtureIds.otherMeeting);
    const anyEvent: fc.Arbitrary<RelationshipEvent> = fc.oneof(
      instant.map((occurredAt) => relationshipStarted({ occurredAt })),
      fc
        .tuple(instant, fc.boolean())
        .map(([occurredAt, menteeDevelopmentFirst]) => mentorMotivesAssessed({ occurredAt, menteeDevelopmentFirst })),
      fc
        .tuple(instant, instant, promiseId)
        .map(([occurredAt, dueAt, id]) => promiseMade({ occurredAt, dueAt, promiseId: id })),
      fc
        .tuple(instant, instant, promiseId)
        .map(([occurredAt, newDueAt, id]) => promiseRenegotiated({ occurredAt, newDueAt, promiseId: id })),
      fc.tuple(instant, promiseId).map(([occurredAt, id]) => promiseKept({ occurredAt, promiseId: id })),
      fc.tuple(instant, promiseId).map(([occurredAt, id]) => promiseBroken({ occurredAt, promiseId: id })),
      fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, startsAt, id]) => meetingScheduled({ occurredAt, startsAt, meetingId: id })),
      fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, newStartsAt, id]) => meetingRescheduled({ occurredAt, newStartsAt, meetingId: id })),
      fc
        .tuple(instant, instant, meetingId)
        .map(([occurredAt, startsAt, id]) => meetingCancelled({ occurredAt, startsAt, meetingId: id })),
      fc.tuple(instant, meetingId).map(([occurredAt, id]) => meetingHeld({ occurredAt, meetingId: id })),
      fc.tuple(instant, meetingId).map(([occurredAt, id]) => meetingMissed({ occurredAt, meetingId: id })),
      instant.map((occurredAt) => trustCheckInSubmitted({ occurredAt })),
      fc.tuple(instant, fc.option(instant)).map(([occurredAt, until]) => relationshipPaused({ occurredAt, until })),
      instant.map((occurredAt) => relationshipResumed({ occurredAt })),
      instant.map((occurredAt) => relationshipEnded({ occurredAt })),
    );

    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), instant, (events, asked) => {
        const state = fold(events);
        expect([undefined, 'active', 'paused', 'ended']).toContain(state?.status);
        expect(() => relationshipStatusAt(state, asked)).not.toThrow();
      }),
    );
  });
});
