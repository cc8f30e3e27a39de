import { deriveEvidence } from './trust.evidence';
import { RelationshipHistory, T0, days } from '@trustline/testing';
import { TRUST_POLICY_V1 } from './trust.policy';
import { cadenceAsOf, cadenceScore } from './trust.cadence';

const fortnightly = () => new RelationshipHistory({ cadenceDays: 14 });
const cadenceOf = (history: RelationshipHistory, asOf: number) =>
  cadenceAsOf(deriveEvidence(history.facts, asOf), asOf);

describe('the cadence of a relationship without meetings', () => {
  it('has no gaps, a score of 0, and an open gap from the start', () => {
    expect(cadenceOf(fortnightly(), T0 + days(10))).toEqual({
      agreedDays: 14,
      meetingsHeld: 0,
      medianGapDays: null,
      currentGapDays: 10,
      score: 0,
      needsCheckIn: false,
      inactive: false,
    });
  });

  it('needs a check-in once the open gap passes 1.5 C, and is inactive past 90 days', () => {
    expect(cadenceOf(fortnightly(), T0 + days(21)).needsCheckIn).toBe(false);
    expect(cadenceOf(fortnightly(), T0 + days(21) + 1).needsCheckIn).toBe(true);
    expect(cadenceOf(fortnightly(), T0 + days(90)).inactive).toBe(false);
    expect(cadenceOf(fortnightly(), T0 + days(90) + 1).inactive).toBe(true);
  });

  it('reports no open gap before the start', () => {
    expect(cadenceOf(fortnightly(), T0 - 1).currentGapDays).toBeNull();
  });
});

describe('the cadence of meetings on days 14, 28 and 49 (C = 14)', () => {
  const history = () =>
    fortnightly()
      .held(T0 + days(14))
      .held(T0 + days(28))
      .held(T0 + days(49));

  it('scores credit, regularity and frequency of the gaps 14, 14, 21', () => {
    // credits 1, 1, (28 − 21)/10.5 = 2/3 → mean 8/9
    // gaps mean 49/3, population variance ((−7/3)²·2 + (14/3)²)/3 = 98/9, std 7√2/3, CV = √2/7
    // median 14 → C/median = 1
    // score = 100·(0.5·8/9 + 0.25·(1 − √2/7) + 0.25·1) = 89.393682
    const cadence = cadenceOf(history(), T0 + days(60));
    expect(cadence.score).toBeCloseTo(100 * (0.5 * (8 / 9) + 0.25 * (1 - Math.SQRT2 / 7) + 0.25), 9);
    expect(cadence.score).toBeCloseTo(89.393682, 6);
    expect(cadence).toEqual(
      expect.objectContaining({ meetingsHeld: 3, medianGapDays: 14, currentGapDays: 11, needsCheckIn: false }),
    );
  });

  it('counts only the meetings started by the instant asked for', () => {
    const cadence = cadenceOf(history(), T0 + days(30));
    // gaps 14, 14: credit 1, CV 0, median 14 → 100
    expect(cadence).toEqual(
      expect.objectContaining({ meetingsHeld: 2, medianGapDays: 14, currentGapDays: 2, score: 100 }),
    );
  });
});

describe('the cadence score', () => {
  const policy = TRUST_POLICY_V1;

  it('reads only the last six gaps', () => {
    // Two early 40-day gaps, then six of 14 days: the window sees six perfect gaps.
    const gaps = [40, 40, 14, 14, 14, 14, 14, 14];
    let history = fortnightly();
    let day = 0;
    for (const gap of gaps) history = history.held(T0 + days((day += gap)));
    expect(cadenceOf(history, T0 + days(day)).score).toBe(100);
    expect(cadenceOf(history, T0 + days(day)).medianGapDays).toBe(14);
  });

  it('penalises a median gap longer than the cadence by C / median', () => {
    // One gap of 21 days: credit 2/3, CV 0 (one gap), C/median = 14/21
    // score = 100·(0.5·2/3 + 0.25 + 0.25·2/3) = 75
    expect(cadenceScore([{ gapDays: 21, credit: 2 / 3 }], 14, policy)).toBeCloseTo(75, 9);
  });

  it('counts C / median as 1 when the median gap is 0, and the CV as 0 when the mean gap is 0', () => {
    expect(
      cadenceScore(
        [
          { gapDays: 0, credit: 1 },
          { gapDays: 0, credit: 1 },
        ],
        14,
        policy,
      ),
    ).toBe(100);
  });

  it('caps the coefficient of variation at 1', () => {
    // gaps 1, 1, 1, 50: mean 13.25, population std √450.1875 = 21.2176, CV 1.6 → capped: regularity 0.
    // credits 1, 1, 1, 0 → 0.75; median 1 → C/median capped at 1.
    const recent = [1, 1, 1, 50].map((gapDays) => ({ gapDays, credit: gapDays <= 17.5 ? 1 : 0 }));
    expect(cadenceScore(recent, 14, policy)).toBeCloseTo(100 * (0.5 * 0.75 + 0 + 0.25), 9);
  });
});

describe('the cadence of a paused relationship', () => {
  it('leaves paused days out of gaps and of the open gap', () => {
    // Held on day 14; paused days 20–30; held on day 40: gaps 14 and 26 − 10 = 16, median 15.
    const history = fortnightly()
      .held(T0 + days(14))
      .pause(T0 + days(20))
      .resume(T0 + days(30))
      .held(T0 + days(40));
    expect(cadenceOf(history, T0 + days(40)).medianGapDays).toBe(15);
    const paused = fortnightly().pause(T0 + days(5));
    const cadence = cadenceOf(paused, T0 + days(50));
    expect(cadence.currentGapDays).toBe(5);
    expect(cadence.needsCheckIn).toBe(false);
  });
});

describe('the cadence of an ended relationship', () => {
  it('stops at the end and needs no check-in', () => {
    const history = fortnightly()
      .held(T0 + days(14))
      .end(T0 + days(40));
    const cadence = cadenceOf(history, T0 + days(200));
    expect(cadence).toEqual(
      expect.objectContaining({ meetingsHeld: 1, currentGapDays: 26, needsCheckIn: false, inactive: false }),
    );
    // Before its end it was still running and overdue for a meeting.
    expect(cadenceOf(history, T0 + days(39)).needsCheckIn).toBe(true);
  });
});
