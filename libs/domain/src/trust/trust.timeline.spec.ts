import { RelationshipHistory, T0, days } from '@trustline/testing';
import {
  activeWithin,
  factsAsOf,
  instantAfterActive,
  orderFacts,
  pauseIntervals,
  pausedWithin,
} from './trust.timeline';

describe('the time line of a relationship', () => {
  it('places a held or missed meeting at its start, and ties at the same instant by position', () => {
    const history = new RelationshipHistory()
      .held(T0 + days(3), { recordedAt: T0 + days(9) })
      .missed(T0 + days(2), ['MENTEE'])
      .checkIn(T0 + days(3), 'MENTEE', { ability: 3, benevolence: 3, integrity: 3 });
    const ordered = orderFacts([...history.facts].reverse());
    expect(ordered.map(({ at, fact }) => [at - T0, fact.event.type])).toEqual([
      [0, 'RelationshipStarted'],
      [days(2), 'MeetingMissed'],
      [days(3), 'MeetingHeld'],
      [days(3), 'TrustCheckInSubmitted'],
    ]);
  });
});

describe('the facts as of an instant', () => {
  const history = new RelationshipHistory()
    .checkIn(T0 + days(1), 'MENTEE', { ability: 3, benevolence: 3, integrity: 3 })
    .held(T0 + days(2), { recordedAt: T0 + days(6) })
    .checkIn(T0 + days(5), 'MENTEE', { ability: 3, benevolence: 3, integrity: 3 });
  const types = (at: number, knownAt?: number) => factsAsOf(history.facts, at, knownAt).map((fact) => fact.event.type);

  it('keeps the facts effective by then, a held meeting from its start', () => {
    expect(types(T0 + days(2))).toEqual(['RelationshipStarted', 'TrustCheckInSubmitted', 'MeetingHeld']);
  });

  it('as known at an earlier moment, leaves out what was recorded later', () => {
    expect(types(T0 + days(5), T0 + days(5))).toEqual([
      'RelationshipStarted',
      'TrustCheckInSubmitted',
      'TrustCheckInSubmitted',
    ]);
  });
});

describe('pauses', () => {
  const intervalsOf = (history: RelationshipHistory) =>
    pauseIntervals(orderFacts(history.facts)).map(({ start, end }) => [start - T0, end - T0]);

  it('last until the resume, or until their own end when that comes first', () => {
    const history = new RelationshipHistory()
      .pause(T0 + days(1))
      .resume(T0 + days(3))
      .pause(T0 + days(5), T0 + days(6))
      .resume(T0 + days(8))
      .pause(T0 + days(10), T0 + days(20))
      .resume(T0 + days(12));
    expect(intervalsOf(history)).toEqual([
      [days(1), days(3)],
      [days(5), days(6)],
      [days(10), days(12)],
    ]);
  });

  it('without an end or a resume last for ever', () => {
    expect(intervalsOf(new RelationshipHistory().pause(T0 + days(1)))).toEqual([[days(1), Infinity]]);
  });
});

describe('the cadence clock', () => {
  const pauses = [
    { start: 10, end: 20 },
    { start: 30, end: 35 },
  ];

  it('leaves paused time out of an interval', () => {
    expect(pausedWithin(pauses, 0, 40)).toBe(15);
    expect(pausedWithin(pauses, 15, 32)).toBe(7);
    expect(activeWithin(pauses, 15, 32)).toBe(10);
  });

  it('finds the first instant at which it has run for a duration', () => {
    expect(instantAfterActive(pauses, 0, 10)).toBe(10);
    expect(instantAfterActive(pauses, 0, 11)).toBe(21);
    expect(instantAfterActive(pauses, 12, 5)).toBe(25);
    expect(instantAfterActive(pauses, 0, 25)).toBe(40);
    expect(instantAfterActive([{ start: 5, end: Infinity }], 0, 10)).toBe(Infinity);
  });
});
