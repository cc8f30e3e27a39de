import { deriveEvidence, type EvidenceItem } from './trust.evidence';
import { RelationshipHistory, T0, days, hours, minutes } from '@trustline/testing';

// A compact view of an item for comparisons: when, which rule, for whom, what.
const summary = ({ at, rule, direction, component, positive, negative }: EvidenceItem) => ({
  at: at - T0,
  rule,
  direction,
  component,
  positive,
  negative,
});

// Cadence 90 days: no cadence gap fires within 180 days, so only the rule
// under test produces evidence.
const quiet = () => new RelationshipHistory({ cadenceDays: 90 });

const evidenceOf = (history: RelationshipHistory, now: number) => deriveEvidence(history.facts, now).items.map(summary);

describe('a relationship with no facts besides its start', () => {
  it('has no evidence, and nothing before the start counts', () => {
    const history = quiet();
    history.checkIn(T0 - days(1), 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 });
    expect(evidenceOf(history, T0 + days(100))).toEqual([]);
  });

  it('has no evidence at all without a RelationshipStarted fact', () => {
    const facts = quiet()
      .checkIn(T0 + days(1), 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 })
      .facts.slice(1);
    const evidence = deriveEvidence(facts, T0 + days(10));
    expect(evidence.items).toEqual([]);
    expect(evidence.startedAt).toBeNull();
  });
});

describe('a promise', () => {
  const due = T0 + days(10);
  const made = (promisor: 'MENTOR' | 'MENTEE' = 'MENTOR') => quiet().promise(T0 + days(1), 'p1', promisor, due);

  it('kept on its due date counts fully for the promisor (kept-on-time)', () => {
    const history = made().keep(due, 'p1');
    expect(evidenceOf(history, due)).toEqual([
      {
        at: days(10),
        rule: 'promise.kept-on-time',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 1,
        negative: 0,
      },
    ]);
  });

  it("kept by the mentee is evidence about the mentee, in the mentor's trust", () => {
    const history = made('MENTEE').keep(due - hours(1), 'p1');
    expect(evidenceOf(history, due)).toEqual([
      expect.objectContaining({ rule: 'promise.kept-on-time', direction: 'MENTOR_IN_MENTEE' }),
    ]);
  });

  it('kept one millisecond late, or exactly seven days late, is kept-late (half and half)', () => {
    const slightly = made().keep(due + 1, 'p1');
    const lastDay = made().keep(due + days(7), 'p1');
    for (const [history, keptAt] of [
      [slightly, due + 1],
      [lastDay, due + days(7)],
    ] as const) {
      expect(evidenceOf(history, keptAt)).toEqual([
        {
          at: keptAt - T0,
          rule: 'promise.kept-late',
          direction: 'MENTEE_IN_MENTOR',
          component: 'INTEGRITY',
          positive: 0.5,
          negative: 0.5,
        },
      ]);
    }
  });

  it('kept more than seven days late is kept-very-late, after the overdue rule fired at due + 7 d', () => {
    const keptAt = due + days(7) + 1;
    expect(evidenceOf(made().keep(keptAt, 'p1'), keptAt)).toEqual([
      {
        at: days(17),
        rule: 'promise.overdue',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 1.5,
      },
      {
        at: days(17) + 1,
        rule: 'promise.kept-very-late',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0.5,
        negative: 0,
      },
    ]);
  });

  it('still open is overdue exactly once, at due + 7 d, with no cause', () => {
    const evidence = deriveEvidence(made().facts, due + days(60));
    expect(evidence.items.map(summary)).toEqual([
      {
        at: days(17),
        rule: 'promise.overdue',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 1.5,
      },
    ]);
    expect(evidence.items[0].cause).toBeNull();
  });

  it('is not overdue before due + 7 d has been reached by now', () => {
    expect(evidenceOf(made(), due + days(7) - 1)).toEqual([]);
    expect(evidenceOf(made(), due + days(7))).toHaveLength(1);
  });

  it('is not overdue when the relationship ended at or before due + 7 d', () => {
    expect(evidenceOf(made().end(due + days(7)), due + days(30))).toEqual([]);
    expect(evidenceOf(made().end(due + days(7) + 1), due + days(30))).toHaveLength(1);
  });

  it('broken while not overdue is promise.broken', () => {
    const history = made().break(due + days(2), 'p1');
    expect(evidenceOf(history, due + days(30))).toEqual([
      {
        at: days(12),
        rule: 'promise.broken',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 1.5,
      },
    ]);
  });

  it('broken after it was overdue adds nothing: the overdue evidence already counted', () => {
    const history = made().break(due + days(20), 'p1');
    const evidence = deriveEvidence(history.facts, due + days(30));
    expect(evidence.items.map((item) => item.rule)).toEqual(['promise.overdue']);
  });

  it('broken at the very instant it would become overdue is broken, not overdue (facts come first)', () => {
    const history = made().break(due + days(7), 'p1');
    expect(evidenceOf(history, due + days(30)).map((item) => item.rule)).toEqual(['promise.broken']);
  });

  it('renegotiated by its due date costs a little; afterwards, more', () => {
    const onTime = made().renegotiate(due, 'p1', due + days(5));
    const late = made().renegotiate(due + 1, 'p1', due + days(5));
    expect(evidenceOf(onTime, due)).toEqual([
      {
        at: days(10),
        rule: 'promise.renegotiated',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 0.25,
      },
    ]);
    expect(evidenceOf(late, due + 1)).toEqual([
      {
        at: days(10) + 1,
        rule: 'promise.renegotiated-late',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 0.75,
      },
    ]);
  });

  it('renegotiated becomes overdue seven days after its new due date', () => {
    const history = made().renegotiate(T0 + days(5), 'p1', due + days(20));
    const items = evidenceOf(history, due + days(60));
    expect(items.map((item) => [item.rule, item.at])).toEqual([
      ['promise.renegotiated', days(5)],
      ['promise.overdue', days(37)],
    ]);
  });

  it('renegotiated after it was overdue keeps that evidence and is never overdue again', () => {
    const history = made().renegotiate(due + days(8), 'p1', due + days(20));
    const rules = evidenceOf(history, due + days(90)).map((item) => item.rule);
    expect(rules).toEqual(['promise.overdue', 'promise.renegotiated-late']);
  });

  it('made with a due date more than seven days past is never judged overdue: it was not open then', () => {
    const history = quiet().promise(T0 + days(20), 'p1', 'MENTOR', T0 + days(5));
    expect(evidenceOf(history, T0 + days(60))).toEqual([]);
  });
});

describe('a meeting', () => {
  const start = T0 + days(20);
  const scheduled = () => quiet().schedule(T0 + days(1), 'm1', start, 'MENTOR');

  it('scheduled shows initiative (benevolence) by whoever scheduled it', () => {
    const history = quiet().schedule(T0 + days(1), 'm1', start, 'MENTEE');
    expect(evidenceOf(history, T0 + days(2))).toEqual([
      {
        at: days(1),
        rule: 'meeting.initiative',
        direction: 'MENTOR_IN_MENTEE',
        component: 'BENEVOLENCE',
        positive: 0.5,
        negative: 0,
      },
    ]);
  });

  it.each([
    [0, 'meeting.punctual', 1, 0],
    [5, 'meeting.punctual', 1, 0],
    [6, 'meeting.late', 0.5, 0.5],
    [10, 'meeting.late', 0.5, 0.5],
    [11, 'meeting.very-late', 0, 1],
  ])('held with the mentor %i minutes late is %s for the mentor', (late, rule, positive, negative) => {
    const history = quiet().held(start, { mentor: late, mentee: 0 });
    const items = evidenceOf(history, start).filter((item) => item.rule.startsWith('meeting.'));
    expect(items).toEqual([
      { at: days(20), rule, direction: 'MENTEE_IN_MENTOR', component: 'INTEGRITY', positive, negative },
      {
        at: days(20),
        rule: 'meeting.punctual',
        direction: 'MENTOR_IN_MENTEE',
        component: 'INTEGRITY',
        positive: 1,
        negative: 0,
      },
    ]);
  });

  it('held counts from its start, not from when it was recorded', () => {
    const history = quiet().held(start, { recordedAt: start + days(3) });
    expect(new Set(evidenceOf(history, start + days(3)).map((item) => item.at))).toEqual(new Set([days(20)]));
  });

  it.each([
    [hours(48), 'meeting.cancelled', 0.25],
    [hours(48) - 1, 'meeting.cancelled-late', 0.75],
    [hours(2), 'meeting.cancelled-late', 0.75],
    [hours(2) - 1, 'meeting.cancelled-last-minute', 1.5],
    [-minutes(10), 'meeting.cancelled-last-minute', 1.5],
  ])('cancelled %i ms before its start is %s', (notice, rule, negative) => {
    const history = scheduled().cancel(start - notice, 'm1', 'MENTEE');
    const items = evidenceOf(history, start + days(1)).filter((item) => item.rule !== 'meeting.initiative');
    expect(items).toEqual([
      { at: start - notice - T0, rule, direction: 'MENTOR_IN_MENTEE', component: 'INTEGRITY', positive: 0, negative },
    ]);
  });

  it('cancelled judges the notice against the start in force, after a reschedule', () => {
    // Moved from day 20 to day 30 on day 2 (18 days' notice: no evidence),
    // then cancelled on day 29: 24 h before the new start.
    const history = scheduled()
      .reschedule(T0 + days(2), 'm1', T0 + days(30), 'MENTOR')
      .cancel(T0 + days(29), 'm1', 'MENTOR');
    expect(evidenceOf(history, T0 + days(31)).map((item) => item.rule)).toEqual([
      'meeting.initiative',
      'meeting.cancelled-late',
    ]);
  });

  it('rescheduled with less than 48 hours of notice costs the one who moved it; with 48 h, nothing', () => {
    const late = scheduled().reschedule(start - hours(48) + 1, 'm1', start + days(2), 'MENTOR');
    const courteous = scheduled().reschedule(start - hours(48), 'm1', start + days(2), 'MENTOR');
    expect(evidenceOf(late, start).slice(1)).toEqual([
      {
        at: start - hours(48) + 1 - T0,
        rule: 'meeting.rescheduled-late',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 0.5,
      },
    ]);
    expect(evidenceOf(courteous, start).slice(1)).toEqual([]);
  });

  it('missed costs each absent party a no-show, at the meeting start', () => {
    const history = quiet().missed(start, ['MENTOR', 'MENTEE']);
    expect(evidenceOf(history, start + days(1))).toEqual([
      {
        at: days(20),
        rule: 'meeting.no-show',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 2,
      },
      {
        at: days(20),
        rule: 'meeting.no-show',
        direction: 'MENTOR_IN_MENTEE',
        component: 'INTEGRITY',
        positive: 0,
        negative: 2,
      },
    ]);
  });
});

describe("the mentor's motives", () => {
  it.each([
    ['DEVELOP_MENTEE', true, 'motives.development-first', 1, 0],
    ['GIVE_BACK', true, 'motives.development-first', 1, 0],
    ['PASS_THE_TORCH', true, 'motives.development-first', 1, 0],
    ['DEVELOP_MENTEE', false, 'motives.self-first', 0, 1],
    ['CAREER_VISIBILITY', true, 'motives.self-first', 0, 1],
    ['SHARE_OWN_IDEAS', true, 'motives.self-first', 0, 1],
  ] as const)('assessed as %s (development first: %s) is %s', (motive, first, rule, positive, negative) => {
    const history = quiet().motives(T0 + days(1), motive, first);
    expect(evidenceOf(history, T0 + days(1))).toEqual([
      { at: days(1), rule, direction: 'MENTEE_IN_MENTOR', component: 'BENEVOLENCE', positive, negative },
    ]);
  });
});

describe('a trust check-in', () => {
  it('turns each rating x into 1 + v positive and 1 − v negative, v = (x − 3) / 2', () => {
    // ability 5: v = 1 → 2 / 0; benevolence 4: v = 0.5 → 1.5 / 0.5; integrity 1: v = −1 → 0 / 2.
    const history = quiet().checkIn(T0 + days(3), 'MENTEE', { ability: 5, benevolence: 4, integrity: 1 });
    expect(evidenceOf(history, T0 + days(3))).toEqual([
      {
        at: days(3),
        rule: 'checkin.ability',
        direction: 'MENTEE_IN_MENTOR',
        component: 'ABILITY',
        positive: 2,
        negative: 0,
      },
      {
        at: days(3),
        rule: 'checkin.benevolence',
        direction: 'MENTEE_IN_MENTOR',
        component: 'BENEVOLENCE',
        positive: 1.5,
        negative: 0.5,
      },
      {
        at: days(3),
        rule: 'checkin.integrity',
        direction: 'MENTEE_IN_MENTOR',
        component: 'INTEGRITY',
        positive: 0,
        negative: 2,
      },
    ]);
  });

  it("answered by the mentor goes to the mentor's trust in the mentee, and keeps the organization answer aside", () => {
    const history = quiet().checkIn(T0 + days(3), 'MENTOR', {
      ability: 3,
      benevolence: 3,
      integrity: 3,
      organization: 4,
    });
    const evidence = deriveEvidence(history.facts, T0 + days(3));
    expect(new Set(evidence.items.map((item) => item.direction))).toEqual(new Set(['MENTOR_IN_MENTEE']));
    expect(evidence.items.map((item) => [item.positive, item.negative])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(evidence.organizationAnswers).toEqual([{ at: T0 + days(3), rating: 4 }]);
  });
});

describe('the cadence', () => {
  // C = 14 days: full credit up to 17.5 days, none from 28 days; gaps fire at 28, 42, 56 … days.
  const fortnightly = () => new RelationshipHistory({ cadenceDays: 14 });
  const cadenceItems = (history: RelationshipHistory, now: number) =>
    evidenceOf(history, now).filter((item) => item.rule.startsWith('cadence.'));

  it('credits a meeting within 1.25 C fully, in each direction', () => {
    const history = fortnightly().held(T0 + days(17.5));
    expect(cadenceItems(history, T0 + days(18))).toEqual([
      {
        at: days(17.5),
        rule: 'cadence.kept',
        direction: 'MENTEE_IN_MENTOR',
        component: 'BENEVOLENCE',
        positive: 1,
        negative: 0,
      },
      {
        at: days(17.5),
        rule: 'cadence.kept',
        direction: 'MENTOR_IN_MENTEE',
        component: 'BENEVOLENCE',
        positive: 1,
        negative: 0,
      },
    ]);
  });

  it('credits a meeting between 1.25 C and 2 C in proportion: (2C − gap) / 0.75C', () => {
    // gap 21 days: (28 − 21) / 10.5 = 0.666667
    const history = fortnightly().held(T0 + days(21));
    const [item] = cadenceItems(history, T0 + days(22));
    expect(item.positive).toBeCloseTo(2 / 3, 12);
  });

  it('gives no credit, and no gap, to a meeting held exactly 2 C after the last', () => {
    const history = fortnightly().held(T0 + days(28));
    expect(cadenceItems(history, T0 + days(29))).toEqual([]);
  });

  it('measures each gap from the previous held meeting', () => {
    const history = fortnightly()
      .held(T0 + days(14))
      .held(T0 + days(35));
    const items = cadenceItems(history, T0 + days(36)).filter((item) => item.direction === 'MENTEE_IN_MENTOR');
    expect(items.map((item) => [item.at, item.positive])).toEqual([
      [days(14), 1],
      [days(35), (28 - 21) / 10.5],
    ]);
  });

  it('fires a gap at 2 C, 3 C, 4 C … without a meeting, charged to both parties when nobody is to blame', () => {
    const items = cadenceItems(fortnightly(), T0 + days(56));
    expect(items).toEqual(
      [28, 42, 56].flatMap((day) => [
        {
          at: days(day),
          rule: 'cadence.gap',
          direction: 'MENTEE_IN_MENTOR',
          component: 'BENEVOLENCE',
          positive: 0,
          negative: 1,
        },
        {
          at: days(day),
          rule: 'cadence.gap',
          direction: 'MENTOR_IN_MENTEE',
          component: 'BENEVOLENCE',
          positive: 0,
          negative: 1,
        },
      ]),
    );
  });

  it('counts the open gap from the last held meeting', () => {
    const history = fortnightly().held(T0 + days(10));
    expect(
      cadenceItems(history, T0 + days(60))
        .filter((item) => item.rule === 'cadence.gap')
        .map((item) => item.at),
    ).toEqual([days(38), days(38), days(52), days(52)]);
  });

  it('charges the gap to the party who most recently cancelled within it', () => {
    const history = fortnightly()
      .schedule(T0 + days(1), 'm1', T0 + days(14), 'MENTOR')
      .cancel(T0 + days(10), 'm1', 'MENTEE')
      .schedule(T0 + days(11), 'm2', T0 + days(20), 'MENTEE')
      .cancel(T0 + days(19), 'm2', 'MENTOR');
    const gaps = cadenceItems(history, T0 + days(28)).filter((item) => item.rule === 'cadence.gap');
    expect(gaps.map((item) => item.direction)).toEqual(['MENTEE_IN_MENTOR']);
  });

  it('charges the gap to the only absent party of a missed meeting, and to both when both were absent', () => {
    const menteeAbsent = fortnightly().missed(T0 + days(14), ['MENTEE']);
    const bothAbsent = fortnightly().missed(T0 + days(14), ['MENTOR', 'MENTEE']);
    const directions = (history: RelationshipHistory) =>
      cadenceItems(history, T0 + days(28)).map((item) => item.direction);
    expect(directions(menteeAbsent)).toEqual(['MENTOR_IN_MENTEE']);
    expect(directions(bothAbsent)).toEqual(['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE']);
  });

  it('counts a cancellation at the very instant the gap fires, but none from before the open gap', () => {
    const atFiring = fortnightly()
      .schedule(T0 + days(1), 'm1', T0 + days(30), 'MENTOR')
      .cancel(T0 + days(28), 'm1', 'MENTOR');
    expect(cadenceItems(atFiring, T0 + days(28)).map((item) => item.direction)).toEqual(['MENTEE_IN_MENTOR']);

    const before = fortnightly()
      .schedule(T0 + days(1), 'm1', T0 + days(5), 'MENTOR')
      .cancel(T0 + days(4), 'm1', 'MENTOR')
      .held(T0 + days(6));
    const gaps = cadenceItems(before, T0 + days(34)).filter((item) => item.rule === 'cadence.gap');
    expect(gaps.map((item) => [item.at, item.direction])).toEqual([
      [days(34), 'MENTEE_IN_MENTOR'],
      [days(34), 'MENTOR_IN_MENTEE'],
    ]);
  });

  it('stops the clock while paused, so the gap fires later by the paused time', () => {
    // Paused on day 10, resumed on day 20: the 28 days of open gap are reached on day 38.
    const history = fortnightly()
      .pause(T0 + days(10))
      .resume(T0 + days(20));
    expect(cadenceItems(history, T0 + days(40)).map((item) => item.at)).toEqual([days(38), days(38)]);
  });

  it("stops the clock until the pause's own end when nobody resumes it", () => {
    const history = fortnightly().pause(T0 + days(10), T0 + days(15));
    expect(cadenceItems(history, T0 + days(40)).map((item) => item.at)).toEqual([days(33), days(33)]);
  });

  it('never fires during an open-ended pause', () => {
    expect(cadenceItems(fortnightly().pause(T0 + days(10)), T0 + days(400))).toEqual([]);
  });

  it('excludes paused time from the gap a held meeting is credited for', () => {
    // 30 days between start and meeting, 12 of them paused: gap 18 days → (28 − 18) / 10.5.
    const history = fortnightly()
      .pause(T0 + days(5))
      .resume(T0 + days(17))
      .held(T0 + days(30));
    const [kept] = cadenceItems(history, T0 + days(30));
    expect(kept.positive).toBeCloseTo(10 / 10.5, 12);
  });

  it('fires nothing at or after the end, nor after now', () => {
    expect(cadenceItems(fortnightly().end(T0 + days(28)), T0 + days(100))).toEqual([]);
    expect(cadenceItems(fortnightly(), T0 + days(28) - 1)).toEqual([]);
  });
});

describe('a back-dated fact', () => {
  it('takes its place in time: a meeting recorded late prevents the gap it falls in', () => {
    const history = new RelationshipHistory({ cadenceDays: 14 });
    const before = deriveEvidence(history.facts, T0 + days(30)).items.map((item) => item.rule);
    history.held(T0 + days(14), { recordedAt: T0 + days(30) });
    const after = deriveEvidence(history.facts, T0 + days(30)).items.map((item) => item.rule);
    expect(before).toEqual(['cadence.gap', 'cadence.gap']);
    expect(after).toEqual(['meeting.punctual', 'meeting.punctual', 'cadence.kept', 'cadence.kept']);
  });

  it('keeps a promise in time even when recorded after it would have been overdue', () => {
    const history = new RelationshipHistory({ cadenceDays: 90 })
      .promise(T0 + days(1), 'p1', 'MENTOR', T0 + days(5))
      .checkIn(T0 + days(40), 'MENTEE', { ability: 3, benevolence: 3, integrity: 3 })
      .keep(T0 + days(4), 'p1');
    const rules = deriveEvidence(history.facts, T0 + days(41)).items.map((item) => item.rule);
    expect(rules).toEqual(['promise.kept-on-time', 'checkin.ability', 'checkin.benevolence', 'checkin.integrity']);
  });
});

describe('the activity counted by program trends', () => {
  it('counts kept promises, failed ones (overdue, or broken before overdue) and meetings by kind', () => {
    const history = new RelationshipHistory({ cadenceDays: 90 })
      .promise(T0, 'kept', 'MENTOR', T0 + days(2))
      .promise(T0, 'broken', 'MENTOR', T0 + days(2))
      .promise(T0, 'overdue-then-broken', 'MENTEE', T0 + days(2))
      .keep(T0 + days(1), 'kept')
      .break(T0 + days(3), 'broken')
      .break(T0 + days(20), 'overdue-then-broken')
      .held(T0 + days(4))
      .missed(T0 + days(5), ['MENTOR'])
      .schedule(T0 + days(5), 'm', T0 + days(6), 'MENTOR')
      .cancel(T0 + days(5), 'm', 'MENTOR');
    const activity = deriveEvidence(history.facts, T0 + days(30)).activity;
    expect(activity.map((mark) => [mark.at - T0, mark.kind])).toEqual([
      [days(1), 'promise-kept'],
      [days(3), 'promise-failed'],
      [days(4), 'meeting-held'],
      [days(5), 'meeting-missed'],
      [days(5), 'meeting-cancelled'],
      [days(9), 'promise-failed'],
    ]);
  });
});
