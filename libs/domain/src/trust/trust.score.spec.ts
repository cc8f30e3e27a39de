import fc from 'fast-check';
import { fromMillis } from '../shared/instant';
import { deriveEvidence, type EvidenceItem } from './trust.evidence';
import { RelationshipHistory, T0, days } from '@trustline/testing';
import { TRUST_COMPONENTS, TRUST_POLICY_V1, type TrustComponent } from './trust.policy';
import { DecayingTally, bandOf, scoreItems, trustScore } from './trust.score';

const policy = TRUST_POLICY_V1;
// Cadence 90 days: no cadence gap fires within 180 days.
const quiet = () => new RelationshipHistory({ cadenceDays: 90 });
const at = T0 + days(10);

describe('a relationship without evidence', () => {
  it('scores 55 with full uncertainty: too early to tell', () => {
    // 100·(0.40·0.5 + 0.35·0.5 + 0.25·0.7) = 20 + 17.5 + 17.5 = 55; u = 2/2 = 1 for each component.
    const evidence = deriveEvidence(quiet().facts, at);
    expect(trustScore(evidence, 'MENTEE_IN_MENTOR', at)).toEqual({
      asOf: fromMillis(at),
      score: 55,
      integrity: 0.5,
      benevolence: 0.5,
      ability: 0.7,
      uncertainty: 1,
      band: 'TOO_EARLY',
    });
  });
});

describe('the worked examples of the policy (MENTEE_IN_MENTOR, cadence 90 days)', () => {
  it('a promise kept on time: 61.666667, uncertainty 0.888889, too early', () => {
    // INTEGRITY r = 1: E = (1 + 2·0.5)/(1 + 2) = 2/3, u = 2/3.
    // score = 100·(0.40·2/3 + 0.35·0.5 + 0.25·0.7) = 26.666667 + 17.5 + 17.5 = 61.666667
    // uncertainty = (2/3 + 1 + 1)/3 = 0.888889
    const history = quiet()
      .promise(T0 + days(1), 'p1', 'MENTOR', at)
      .keep(at, 'p1');
    const score = trustScore(deriveEvidence(history.facts, at), 'MENTEE_IN_MENTOR', at);
    expect(score.score).toBeCloseTo(61.666667, 6);
    expect(score.uncertainty).toBeCloseTo(0.888889, 6);
    expect(score.integrity).toBeCloseTo(2 / 3, 12);
    expect(score.band).toBe('TOO_EARLY');
  });

  it('a check-in of 5, 5, 5 by the mentee: 77.5, uncertainty 0.5, high', () => {
    // Each component r = 2, s = 0: E_I = E_B = (2 + 1)/4 = 0.75, E_A = (2 + 1.4)/4 = 0.85, u = 2/4.
    // score = 100·(0.40·0.75 + 0.35·0.75 + 0.25·0.85) = 30 + 26.25 + 21.25 = 77.5
    const history = quiet().checkIn(at, 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 });
    const score = trustScore(deriveEvidence(history.facts, at), 'MENTEE_IN_MENTOR', at);
    expect(score.score).toBeCloseTo(77.5, 9);
    expect(score.uncertainty).toBe(0.5);
    expect(score.band).toBe('HIGH');
  });

  it('a check-in of 1, 1, 1: 27.5, uncertainty 0.5, at risk', () => {
    // Each component r = 0, s = 2: E_I = E_B = 1/4, E_A = 1.4/4 = 0.35.
    // score = 100·(0.40·0.25 + 0.35·0.25 + 0.25·0.35) = 10 + 8.75 + 8.75 = 27.5
    const history = quiet().checkIn(at, 'MENTEE', { ability: 1, benevolence: 1, integrity: 1 });
    const score = trustScore(deriveEvidence(history.facts, at), 'MENTEE_IN_MENTOR', at);
    expect(score.score).toBeCloseTo(27.5, 9);
    expect(score.uncertainty).toBe(0.5);
    expect(score.band).toBe('AT_RISK');
  });

  it('the 5, 5, 5 check-in 90 days later: 70, uncertainty 0.666667, too early again', () => {
    // One half-life: r = 2·0.5 = 1. E_I = E_B = (1 + 1)/3 = 2/3, E_A = (1 + 1.4)/3 = 0.8, u = 2/3.
    // score = 100·(0.40·2/3 + 0.35·2/3 + 0.25·0.8) = 50 + 20 = 70
    const history = quiet().checkIn(at, 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 });
    const later = at + days(90);
    const score = trustScore(deriveEvidence(history.facts, later), 'MENTEE_IN_MENTOR', later);
    expect(score.score).toBeCloseTo(70, 9);
    expect(score.uncertainty).toBeCloseTo(0.666667, 6);
    expect(score.band).toBe('TOO_EARLY');
  });
});

describe('a score as of an instant', () => {
  const history = quiet().checkIn(at, 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 });

  it('ignores evidence from after that instant', () => {
    const evidence = deriveEvidence(history.facts, at + days(1));
    expect(trustScore(evidence, 'MENTEE_IN_MENTOR', at - 1).score).toBe(55);
  });

  it("reads only its own direction's evidence", () => {
    const evidence = deriveEvidence(history.facts, at);
    expect(trustScore(evidence, 'MENTOR_IN_MENTEE', at).score).toBe(55);
  });

  it('stops at the end of an ended relationship, but echoes the instant asked for', () => {
    const ended = quiet()
      .checkIn(at, 'MENTEE', { ability: 5, benevolence: 5, integrity: 5 })
      .end(at + days(10));
    const evidence = deriveEvidence(ended.facts, at + days(500));
    const late = trustScore(evidence, 'MENTEE_IN_MENTOR', at + days(500));
    const atEnd = trustScore(evidence, 'MENTEE_IN_MENTOR', at + days(10));
    expect(late.asOf).toBe(fromMillis(at + days(500)));
    expect(late.score).toBe(atEnd.score);
    // Ten days of decay: r = 2·2^(−10/90).
    const r = 2 * 2 ** (-10 / 90);
    expect(late.integrity).toBeCloseTo((r + 1) / (r + 2), 12);
  });

  it('defaults to the instant the evidence was derived for', () => {
    const evidence = deriveEvidence(history.facts, at + days(90));
    expect(trustScore(evidence, 'MENTEE_IN_MENTOR').score).toBeCloseTo(70, 9);
  });
});

describe('the bands', () => {
  it.each([
    [90, 0.51, 'TOO_EARLY'],
    [70, 0.5, 'HIGH'],
    [69.999, 0.5, 'STEADY'],
    [55, 0.2, 'STEADY'],
    [54.999, 0.2, 'FRAGILE'],
    [40, 0.2, 'FRAGILE'],
    [39.999, 0.2, 'AT_RISK'],
  ] as const)('score %d with uncertainty %d is %s', (score, uncertainty, band) => {
    expect(bandOf(score, uncertainty, policy)).toBe(band);
  });
});

// ---- properties ----

const itemArbitrary = (maxAt: number) =>
  fc.record({
    at: fc.integer({ min: 0, max: maxAt }),
    component: fc.constantFrom<TrustComponent>(...TRUST_COMPONENTS),
    positive: fc.double({ min: 0, max: 5, noNaN: true }),
    negative: fc.double({ min: 0, max: 5, noNaN: true }),
  });

const horizon = days(720);
const itemsArbitrary = fc.array(itemArbitrary(horizon), { maxLength: 60 });

describe('any set of evidence', () => {
  it('scores within 0..100, with components and uncertainty within 0..1', () => {
    fc.assert(
      fc.property(itemsArbitrary, fc.integer({ min: 0, max: horizon * 2 }), (items, asOf) => {
        const figures = scoreItems(items, asOf, policy);
        expect(figures.score).toBeGreaterThanOrEqual(0);
        expect(figures.score).toBeLessThanOrEqual(100);
        for (const value of [figures.integrity, figures.benevolence, figures.ability, figures.uncertainty]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('never scores lower for an added item of only positive evidence', () => {
    fc.assert(
      fc.property(
        itemsArbitrary,
        itemArbitrary(horizon).map((item) => ({ ...item, negative: 0 })),
        fc.integer({ min: 0, max: horizon }),
        (items, extra, asOf) => {
          const before = scoreItems(items, asOf, policy).score;
          const after = scoreItems([...items, extra], asOf, policy).score;
          expect(after).toBeGreaterThanOrEqual(before - 1e-9);
        },
      ),
    );
  });

  it('drifts toward the base rates, and grows less certain, as time passes without new evidence', () => {
    fc.assert(
      fc.property(itemsArbitrary, fc.integer({ min: 0, max: horizon }), (items, wait) => {
        const first = scoreItems(items, horizon, policy);
        const later = scoreItems(items, horizon + wait, policy);
        const distance = (figures: typeof first, component: TrustComponent) =>
          Math.abs(
            { INTEGRITY: figures.integrity, BENEVOLENCE: figures.benevolence, ABILITY: figures.ability }[component] -
              policy.baseRates[component],
          );
        for (const component of TRUST_COMPONENTS) {
          expect(distance(later, component)).toBeLessThanOrEqual(distance(first, component) + 1e-12);
        }
        expect(later.uncertainty).toBeGreaterThanOrEqual(first.uncertainty - 1e-12);
      }),
    );
  });

  it('scores the same whatever the order of items at the same instant', () => {
    const simultaneous = fc
      .array(
        itemArbitrary(0).map((item) => ({ ...item, at: days(3) })),
        { minLength: 2, maxLength: 12 },
      )
      .chain((items) =>
        fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length })),
      );
    fc.assert(
      fc.property(simultaneous, itemsArbitrary, ([inOneOrder, inAnother], others) => {
        const asOf = days(400);
        const one = scoreItems([...others, ...inOneOrder], asOf, policy);
        const other = scoreItems([...inAnother, ...others], asOf, policy);
        expect(other.score).toBeCloseTo(one.score, 9);
        expect(other.uncertainty).toBeCloseTo(one.uncertainty, 12);
      }),
    );
  });
});

describe('a decaying tally moved forward in steps', () => {
  it('agrees with weighing every item afresh at the final instant', () => {
    fc.assert(
      fc.property(itemsArbitrary, (items) => {
        const ordered = [...items].sort((a, b) => a.at - b.at) as Pick<
          EvidenceItem,
          'at' | 'component' | 'positive' | 'negative'
        >[];
        const tally = new DecayingTally(policy, 0);
        for (const item of ordered) {
          tally.advanceTo(item.at);
          tally.add(item);
        }
        tally.advanceTo(horizon);
        const direct = scoreItems(ordered, horizon, policy);
        const stepped = tally.figures();
        expect(stepped.score).toBeCloseTo(direct.score, 9);
        expect(stepped.uncertainty).toBeCloseTo(direct.uncertainty, 12);
      }),
    );
  });
});
