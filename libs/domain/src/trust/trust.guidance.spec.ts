import { deriveEvidence } from './trust.evidence';
import { RelationshipHistory, T0, days } from '@trustline/testing';
import { trustScore } from './trust.score';

// The program's guidance: shorter, more frequent meetings (an hour every other
// week) build trust faster than longer, rarer ones (two hours every four weeks).
describe('over sixteen weeks with a 14-day program cadence', () => {
  const weeks16 = T0 + days(16 * 7);
  const meetingEvery = (intervalDays: number) => {
    const history = new RelationshipHistory({ cadenceDays: 14 });
    for (let day = intervalDays; day <= 16 * 7; day += intervalDays) {
      history.schedule(T0 + days(day - 7), `m${day}`, T0 + days(day), 'MENTOR').held(T0 + days(day));
    }
    return trustScore(deriveEvidence(history.facts, weeks16), 'MENTEE_IN_MENTOR', weeks16);
  };

  it('a mentor meeting every other week ends more trusted, and more surely so, than one meeting every four weeks', () => {
    const everyOtherWeek = meetingEvery(14);
    const everyFourWeeks = meetingEvery(28);
    expect(everyOtherWeek.score).toBeGreaterThan(everyFourWeeks.score);
    expect(everyOtherWeek.uncertainty).toBeLessThan(everyFourWeeks.uncertainty);
  });
});
