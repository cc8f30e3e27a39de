import { deriveEvidence } from './trust.evidence';
import { RelationshipHistory, T0, days } from '@trustline/testing';
import { atRisk } from './program.at-risk';

describe('the relationships at risk in a program', () => {
  const asOf = T0 + days(22);
  const lowest = { ability: 1, benevolence: 1, integrity: 1 };
  // Two check-ins, so that uncertainty stays below 0.5 for a while.
  const wary = (relationshipId: string) =>
    new RelationshipHistory({ relationshipId, cadenceDays: 90 })
      .checkIn(T0 + days(1), 'MENTEE', lowest)
      .checkIn(T0 + days(20), 'MENTEE', lowest);
  const histories = [
    wary('b-wary'),
    // C = 14 and no meeting for 22 days: the open gap exceeds 1.5 C = 21 days.
    new RelationshipHistory({ relationshipId: 'overdue-meeting', cadenceDays: 14 }),
    wary('a-wary'),
    new RelationshipHistory({ relationshipId: 'trusting', cadenceDays: 90 }).checkIn(T0 + days(20), 'MENTEE', {
      ability: 5,
      benevolence: 5,
      integrity: 5,
    }),
    wary('ended').end(T0 + days(21)),
    new RelationshipHistory({ relationshipId: 'not-yet', cadenceDays: 90, startedAt: asOf + 1 }),
  ];
  const evidence = histories.map((history) => deriveEvidence(history.facts, asOf));

  it('lists fragile or at-risk bands and overdue check-ins, worst score first, ties by id', () => {
    const found = atRisk(evidence, asOf);
    expect(found.map((entry) => entry.relationshipId)).toEqual(['a-wary', 'b-wary', 'overdue-meeting']);
    // After two 1, 1, 1 check-ins: AT_RISK; the quiet one scores 55 but needs a check-in.
    expect(found[0].trust.band).toBe('AT_RISK');
    expect(found[2].trust.score).toBe(55);
    expect(found[2].cadence.needsCheckIn).toBe(true);
  });

  it('leaves out relationships not yet started or already ended as of the instant asked for', () => {
    const before = atRisk(evidence, T0 + days(20.5)).map((entry) => entry.relationshipId);
    expect(before).toEqual(['a-wary', 'b-wary', 'ended']);
  });
});
