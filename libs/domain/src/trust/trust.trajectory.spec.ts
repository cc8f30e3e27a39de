import fc from 'fast-check';
import { fromMillis } from '../shared/instant';
import type { Party } from '../relationship/relationship.events';
import { deriveEvidence, type EvidenceItem } from './trust.evidence';
import { RelationshipHistory, T0, days, hours } from '@trustline/testing';
import { TRUST_DIRECTIONS, TRUST_POLICY_V1 } from './trust.policy';
import { scoreItems, trustScore } from './trust.score';
import { contributionsOf, trustTrajectory } from './trust.trajectory';

const quiet = () => new RelationshipHistory({ cadenceDays: 90 });

describe('a trajectory', () => {
  it('has one point per event that produced evidence for the direction, with its delta and cause', () => {
    // The PromiseMade produces no evidence, so no point. The kept promise:
    // 61.666667, delta = 61.666667 − 55 = +6.666667.
    const history = quiet()
      .promise(T0 + days(1), 'p1', 'MENTOR', T0 + days(10))
      .keep(T0 + days(9), 'p1');
    const evidence = deriveEvidence(history.facts, T0 + days(20));
    const [point, ...others] = trustTrajectory(evidence, 'MENTEE_IN_MENTOR');
    expect(others).toEqual([]);
    expect(point.at).toBe(fromMillis(T0 + days(9)));
    expect(point.score).toBeCloseTo(61.666667, 6);
    expect(point.delta).toBeCloseTo(6.666667, 6);
    expect(point.uncertainty).toBeCloseTo(0.888889, 6);
    expect(point.cause).toBe(history.last);
    expect(point.contributions).toEqual([
      { rule: 'promise.kept-on-time', component: 'INTEGRITY', positive: 1, negative: 0 },
    ]);
  });

  it("leaves out events that said nothing about the direction's party", () => {
    const history = quiet().schedule(T0 + days(1), 'm1', T0 + days(5), 'MENTEE');
    const evidence = deriveEvidence(history.facts, T0 + days(2));
    expect(trustTrajectory(evidence, 'MENTEE_IN_MENTOR')).toEqual([]);
    expect(trustTrajectory(evidence, 'MENTOR_IN_MENTEE')).toHaveLength(1);
  });

  it('orders events at the same instant by position, each point counting only the points before it', () => {
    const at = T0 + days(10);
    const history = quiet()
      .checkIn(at, 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 })
      .checkIn(at, 'MENTEE', { ability: 1, benevolence: 1, integrity: 1 });
    const evidence = deriveEvidence([...history.facts].reverse(), at);
    const [first, second] = trustTrajectory(evidence, 'MENTEE_IN_MENTOR');
    // First: the 5, 5, 5 alone = 77.5 (delta 22.5).
    expect(first.score).toBeCloseTo(77.5, 9);
    expect(first.delta).toBeCloseTo(22.5, 9);
    // Second: r = s = 2 per component: E_I = E_B = 3/6 = 0.5, E_A = 3.4/6.
    // score = 20 + 17.5 + 25·3.4/6 = 51.666667; delta = 51.666667 − 77.5 = −25.833333; u = 2/6.
    expect(second.score).toBeCloseTo(51.666667, 6);
    expect(second.delta).toBeCloseTo(-25.833333, 6);
    expect(second.uncertainty).toBeCloseTo(1 / 3, 12);
    expect(second.cause).toBe(history.last);
  });

  it('puts time-triggered points after the events at their instant: overdue promises, then the cadence gap', () => {
    // C = 14: the gap fires on day 28; both promises fall due on day 21 and are overdue on day 28.
    // The second promise is back-dated: the overdue firings follow the PromiseMade positions.
    const history = new RelationshipHistory({ cadenceDays: 14 })
      .promise(T0 + days(1), 'p-a', 'MENTOR', T0 + days(21))
      .promise(T0 + hours(12), 'p-b', 'MENTOR', T0 + days(21))
      .checkIn(T0 + days(28), 'MENTEE', { ability: 3, benevolence: 3, integrity: 3 });
    const evidence = deriveEvidence(history.facts, T0 + days(28));
    const points = trustTrajectory(evidence, 'MENTEE_IN_MENTOR');
    expect(
      points.map((point) => [point.at, point.cause?.eventId ?? null, point.contributions.map((c) => c.rule)]),
    ).toEqual([
      [
        fromMillis(T0 + days(28)),
        history.last.eventId,
        ['checkin.ability', 'checkin.benevolence', 'checkin.integrity'],
      ],
      [fromMillis(T0 + days(28)), null, ['promise.overdue']],
      [fromMillis(T0 + days(28)), null, ['promise.overdue']],
      [fromMillis(T0 + days(28)), null, ['cadence.gap']],
    ]);
    // After the neutral check-in every component has r = s = 1: E_I = E_B = 2/4, E_A = 2.4/4 = 0.6,
    // score = 20 + 17.5 + 15 = 52.5, u = 2/4.
    // Overdue 1: r_I = 1, s_I = 2.5: E_I = 2/5.5 → score = 40·2/5.5 + 17.5 + 15 = 47.045455 (delta −5.454545)
    // Overdue 2: s_I = 4: E_I = 2/7 → score = 11.428571 + 17.5 + 15 = 43.928571 (delta −3.116883)
    // Gap: r_B = 1, s_B = 2: E_B = 2/5 → score = 11.428571 + 14 + 15 = 40.428571 (delta −3.5)
    const [, overdueA, overdueB, gap] = points;
    expect(overdueA.score).toBeCloseTo(47.045455, 6);
    expect(overdueA.delta).toBeCloseTo(-5.454545, 6);
    expect(overdueB.score).toBeCloseTo(43.928571, 6);
    expect(overdueB.delta).toBeCloseTo(-3.116883, 6);
    expect(gap.score).toBeCloseTo(40.428571, 6);
    expect(gap.delta).toBeCloseTo(-3.5, 9);
    // u = (2/7 + 2/5 + 2/4)/3 = 0.395238
    expect(gap.uncertainty).toBeCloseTo(0.395238, 6);
  });

  it('measures delta against the earlier points decayed to the new point', () => {
    // Check-in 5, 5, 5 on day 10, kept promise on day 100: the check-in weighs 2^(−1) = 0.5 by then.
    const history = quiet()
      .checkIn(T0 + days(10), 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 })
      .promise(T0 + days(50), 'p1', 'MENTOR', T0 + days(120))
      .keep(T0 + days(100), 'p1');
    const [, kept] = trustTrajectory(deriveEvidence(history.facts, T0 + days(100)), 'MENTEE_IN_MENTOR');
    // Without the promise: r = 1 per component → 70 (the worked example). With it: r_I = 2 → E_I = 3/4.
    // score = 30 + 35·2/3 + 25·0.8 = 73.333333, delta = 3.333333
    expect(kept.score).toBeCloseTo(73.333333, 6);
    expect(kept.delta).toBeCloseTo(3.333333, 6);
  });

  it('recomputes every later point when a fact is back-dated before them', () => {
    const history = quiet().checkIn(T0 + days(20), 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 });
    history.held(T0 + days(10), { recordedAt: T0 + days(25) });
    const points = trustTrajectory(deriveEvidence(history.facts, T0 + days(25)), 'MENTEE_IN_MENTOR');
    expect(points.map((point) => point.at)).toEqual([fromMillis(T0 + days(10)), fromMillis(T0 + days(20))]);
    // At day 20 the meeting's punctual (+1 I) and cadence credit (+1 B) weigh w = 2^(−10/90).
    const w = 2 ** (-10 / 90);
    const expected = 100 * (0.4 * ((2 + w + 1) / (2 + w + 2)) + 0.35 * ((2 + w + 1) / (2 + w + 2)) + 0.25 * (3.4 / 4));
    expect(points[1].score).toBeCloseTo(expected, 9);
  });

  it('selects points by from and to (inclusive) without changing their figures', () => {
    const history = quiet();
    for (const day of [1, 2, 3, 4, 5])
      history.checkIn(T0 + days(day), 'MENTEE', { ability: 4, benevolence: 4, integrity: day });
    const evidence = deriveEvidence(history.facts, T0 + days(6));
    const all = trustTrajectory(evidence, 'MENTEE_IN_MENTOR');
    const some = trustTrajectory(evidence, 'MENTEE_IN_MENTOR', { from: T0 + days(2), to: fromMillis(T0 + days(4)) });
    expect(some).toEqual(all.slice(1, 4));
  });

  it('after the end of the relationship, adds points that change nothing', () => {
    const history = quiet()
      .checkIn(T0 + days(10), 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 })
      .end(T0 + days(20))
      .checkIn(T0 + days(30), 'MENTEE', { ability: 1, benevolence: 1, integrity: 1 });
    const evidence = deriveEvidence(history.facts, T0 + days(40));
    const [, afterEnd] = trustTrajectory(evidence, 'MENTEE_IN_MENTOR');
    expect(afterEnd.delta).toBe(0);
    expect(afterEnd.score).toBe(trustScore(evidence, 'MENTEE_IN_MENTOR', T0 + days(20)).score);
  });
});

describe('contributions', () => {
  it('group a point’s items by rule and component', () => {
    const item = (rule: EvidenceItem['rule'], positive: number, negative: number): EvidenceItem => ({
      at: 0,
      direction: 'MENTEE_IN_MENTOR',
      component: 'INTEGRITY',
      positive,
      negative,
      rule,
      cause: null,
      step: 1,
    });
    expect(
      contributionsOf([item('meeting.late', 0.5, 0.5), item('meeting.punctual', 1, 0), item('meeting.late', 0.5, 0.5)]),
    ).toEqual([
      { rule: 'meeting.late', component: 'INTEGRITY', positive: 1, negative: 1 },
      { rule: 'meeting.punctual', component: 'INTEGRITY', positive: 1, negative: 0 },
    ]);
  });

  it('of a held meeting show punctuality and cadence credit separately', () => {
    const history = new RelationshipHistory({ cadenceDays: 14 }).held(T0 + days(14), { mentor: 7 });
    const [point] = trustTrajectory(deriveEvidence(history.facts, T0 + days(14)), 'MENTEE_IN_MENTOR');
    expect(point.contributions).toEqual([
      { rule: 'meeting.late', component: 'INTEGRITY', positive: 0.5, negative: 0.5 },
      { rule: 'cadence.kept', component: 'BENEVOLENCE', positive: 1, negative: 0 },
    ]);
  });
});

// ---- any history ----

type Step =
  | { kind: 'check-in'; day: number; respondent: Party; ratings: [number, number, number] }
  | {
      kind: 'promise';
      day: number;
      promisor: Party;
      dueIn: number;
      outcome: 'keep' | 'break' | 'renegotiate' | 'open';
      after: number;
    }
  | { kind: 'held'; day: number; mentorLate: number; menteeLate: number; backDatedBy: number }
  | { kind: 'missed'; day: number; absent: Party[] }
  | { kind: 'cancelled'; day: number; by: Party; noticeHours: number }
  | { kind: 'pause'; day: number; length: number };

const party = fc.constantFrom<Party>('MENTOR', 'MENTEE');
const rating = fc.integer({ min: 1, max: 5 });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('check-in' as const),
    day: fc.integer({ min: 0, max: 20 }),
    respondent: party,
    ratings: fc.tuple(rating, rating, rating),
  }),
  fc.record({
    kind: fc.constant('promise' as const),
    day: fc.integer({ min: 0, max: 20 }),
    promisor: party,
    dueIn: fc.integer({ min: 1, max: 30 }),
    outcome: fc.constantFrom('keep' as const, 'break' as const, 'renegotiate' as const, 'open' as const),
    after: fc.integer({ min: 0, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('held' as const),
    day: fc.integer({ min: 0, max: 30 }),
    mentorLate: fc.integer({ min: 0, max: 20 }),
    menteeLate: fc.integer({ min: 0, max: 20 }),
    backDatedBy: fc.integer({ min: 0, max: 10 }),
  }),
  fc.record({
    kind: fc.constant('missed' as const),
    day: fc.integer({ min: 0, max: 30 }),
    absent: fc.subarray<Party>(['MENTOR', 'MENTEE'], { minLength: 1 }),
  }),
  fc.record({
    kind: fc.constant('cancelled' as const),
    day: fc.integer({ min: 0, max: 30 }),
    by: party,
    noticeHours: fc.integer({ min: -2, max: 96 }),
  }),
  fc.record({
    kind: fc.constant('pause' as const),
    day: fc.integer({ min: 0, max: 20 }),
    length: fc.integer({ min: 1, max: 30 }),
  }),
);

// Steps advance a clock by their `day`; some facts are back-dated.
const buildHistory = (steps: readonly Step[]): { history: RelationshipHistory; end: number } => {
  const history = new RelationshipHistory({ cadenceDays: 7 });
  let clock = T0;
  steps.forEach((step, index) => {
    clock += days(step.day);
    switch (step.kind) {
      case 'check-in': {
        const [ability, benevolence, integrity] = step.ratings;
        history.checkIn(clock, step.respondent, { ability, benevolence, integrity });
        break;
      }
      case 'promise': {
        const id = `p${index}`;
        history.promise(clock, id, step.promisor, clock + days(step.dueIn));
        const later = clock + days(step.after) + 1;
        if (step.outcome === 'keep') history.keep(later, id);
        if (step.outcome === 'break') history.break(later, id);
        if (step.outcome === 'renegotiate') history.renegotiate(later, id, later + days(step.dueIn));
        break;
      }
      case 'held':
        history.held(clock - days(step.backDatedBy), {
          mentor: step.mentorLate,
          mentee: step.menteeLate,
          recordedAt: clock,
        });
        break;
      case 'missed':
        history.missed(clock, step.absent);
        break;
      case 'cancelled':
        history.schedule(clock - days(5), `m${index}`, clock + hours(step.noticeHours), 'MENTOR');
        history.cancel(clock, `m${index}`, step.by);
        break;
      case 'pause':
        history.pause(clock, clock + days(step.length));
        clock += days(step.length);
        break;
    }
  });
  return { history, end: clock };
};

describe('the trajectory of any history', () => {
  it('gives every point the score of its own and earlier points’ evidence, weighed afresh at its instant', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 25 }), fc.integer({ min: 0, max: 60 }), (steps, extraDays) => {
        const { history, end } = buildHistory(steps);
        const evidence = deriveEvidence(history.facts, end + days(extraDays));
        for (const direction of TRUST_DIRECTIONS) {
          const items = evidence.items.filter((item) => item.direction === direction);
          const points = trustTrajectory(evidence, direction);
          const steps = [...new Set(items.map((item) => item.step))];
          expect(points).toHaveLength(steps.length);
          points.forEach((point, index) => {
            const at = Date.parse(point.at);
            const upTo = items.filter((item) => steps.indexOf(item.step) <= index);
            const before = items.filter((item) => steps.indexOf(item.step) < index);
            const withOwn = scoreItems(upTo, at, TRUST_POLICY_V1);
            const withoutOwn = scoreItems(before, at, TRUST_POLICY_V1);
            expect(point.score).toBeCloseTo(withOwn.score, 9);
            expect(point.uncertainty).toBeCloseTo(withOwn.uncertainty, 12);
            expect(point.delta).toBeCloseTo(withOwn.score - withoutOwn.score, 9);
            if (index > 0) expect(at).toBeGreaterThanOrEqual(Date.parse(points[index - 1].at));
          });
          const last = points[points.length - 1];
          if (last !== undefined) {
            expect(trustScore(evidence, direction, last.at).score).toBeCloseTo(last.score, 9);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the worked example of docs/trust-model.md', () => {
  const history = new RelationshipHistory({ cadenceDays: 14 })
    .motives(T0 + days(1), 'DEVELOP_MENTEE', true)
    .schedule(T0 + days(7), 'm1', T0 + days(14), 'MENTEE')
    .held(T0 + days(14), { mentor: 0, mentee: 8, meetingId: 'm1' })
    .promise(T0 + days(14) + hours(1), 'p1', 'MENTOR', T0 + days(21))
    .keep(T0 + days(20), 'p1')
    .checkIn(T0 + days(28), 'MENTEE', { ability: 4, benevolence: 5, integrity: 4 })
    .schedule(T0 + days(30), 'm2', T0 + days(41), 'MENTOR')
    .cancel(T0 + days(40), 'm2', 'MENTOR');
  const evidence = deriveEvidence(history.facts, T0 + days(45));

  it('has the points, scores and deltas the document shows', () => {
    const points = trustTrajectory(evidence, 'MENTEE_IN_MENTOR');
    const rows = points.map((point) => [
      (Date.parse(point.at) - T0) / days(1),
      point.score,
      point.delta,
      point.uncertainty,
      point.band,
    ]);
    const expected = [
      [1, 60.833333, 5.833333, 0.888889, 'TOO_EARLY'],
      [14, 70.203174, 9.752496, 0.726289, 'TOO_EARLY'],
      [20, 73.220424, 3.42292, 0.676482, 'TOO_EARLY'],
      [28, 76.718011, 4.073879, 0.397614, 'HIGH'],
      [30, 77.103347, 0.503064, 0.391646, 'HIGH'],
      [40, 72.989319, -3.52969, 0.395091, 'HIGH'],
      [42, 68.628682, -4.265946, 0.381675, 'STEADY'],
    ] as const;
    expect(rows).toHaveLength(expected.length);
    rows.forEach(([day, score, delta, uncertainty, band], index) => {
      const [eDay, eScore, eDelta, eUncertainty, eBand] = expected[index];
      expect(day).toBe(eDay);
      expect(score).toBeCloseTo(eScore, 5);
      expect(delta).toBeCloseTo(eDelta, 5);
      expect(uncertainty).toBeCloseTo(eUncertainty, 5);
      expect(band).toBe(eBand);
    });
  });

  it('checks the day-28 figure by hand', () => {
    // Weights as of day 28: 2^(−27/90), 2^(−14/90), 2^(−8/90) for days 1, 14, 20.
    const rI = 2 ** (-14 / 90) + 2 ** (-8 / 90) + 1.5;
    const rB = 2 ** (-27 / 90) + 2 ** (-14 / 90) + 2;
    const integrity = (rI + 1) / (rI + 0.5 + 2);
    const benevolence = (rB + 1) / (rB + 2);
    const ability = (1.5 + 1.4) / 4;
    const score = trustScore(evidence, 'MENTEE_IN_MENTOR', T0 + days(28));
    expect(score.score).toBeCloseTo(40 * integrity + 35 * benevolence + 25 * ability, 9);
    expect(score.score).toBeCloseTo(76.718011, 6);
  });
});
