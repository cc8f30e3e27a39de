import { fromMillis } from '../shared/instant';
import type { ProgramEvent } from '../program/program.events';
import { deriveEvidence } from './trust.evidence';
import { RelationshipHistory, T0, days, hours } from '@trustline/testing';
import { bucketBounds, bucketStart, programActivity, programTrend } from './program.trend';
import { trustScore } from './trust.score';

const utc = (iso: string) => Date.parse(iso);
const isoBounds = (bounds: { start: number; end: number }[]) =>
  bounds.map(({ start, end }) => [fromMillis(start), fromMillis(end)]);

describe('weekly buckets', () => {
  it('start on Monday 00:00 UTC, from the week containing `from` through every week starting before `to`', () => {
    const bounds = bucketBounds('WEEK', utc('2025-01-08T15:00:00.000Z'), utc('2025-01-20T00:00:00.000Z'));
    expect(isoBounds(bounds)).toEqual([
      ['2025-01-06T00:00:00.000Z', '2025-01-13T00:00:00.000Z'],
      ['2025-01-13T00:00:00.000Z', '2025-01-20T00:00:00.000Z'],
    ]);
    expect(bucketBounds('WEEK', utc('2025-01-08T15:00:00.000Z'), utc('2025-01-20T00:00:00.001Z'))).toHaveLength(3);
  });

  it('put Sunday 23:59:59.999 in the week before, also before 1970', () => {
    expect(fromMillis(bucketStart('WEEK', utc('2025-01-12T23:59:59.999Z')))).toBe('2025-01-06T00:00:00.000Z');
    expect(fromMillis(bucketStart('WEEK', utc('2025-01-13T00:00:00.000Z')))).toBe('2025-01-13T00:00:00.000Z');
    expect(fromMillis(bucketStart('WEEK', utc('1969-12-31T12:00:00.000Z')))).toBe('1969-12-29T00:00:00.000Z');
  });
});

describe('monthly buckets', () => {
  it('start on the 1st 00:00 UTC and follow the calendar, leap years included', () => {
    const bounds = bucketBounds('MONTH', utc('2024-01-31T12:00:00.000Z'), utc('2024-03-01T00:00:00.001Z'));
    expect(isoBounds(bounds)).toEqual([
      ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
      ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
    ]);
  });
});

describe('the trend of a program', () => {
  // T0 is Monday 6 January 2025 09:00; week 1 = [6 Jan, 13 Jan), week 2 = [13 Jan, 20 Jan); now is 15 Jan 09:00.
  const now = T0 + days(9);
  const weekOneEnd = utc('2025-01-13T00:00:00.000Z');
  const launched: ProgramEvent = {
    type: 'ProgramLaunched',
    data: {
      programId: 'program-1',
      name: 'Pilot',
      cadenceDays: 90,
      sessionMinutes: 60,
      occurredAt: fromMillis(T0 - hours(1)),
    },
  };
  const communication = (at: number, id: string): ProgramEvent => ({
    type: 'ProgramCommunicationRecorded',
    data: {
      programId: 'program-1',
      communicationId: id,
      channel: 'email',
      summary: 'news',
      occurredAt: fromMillis(at),
    },
  });
  const program = programActivity([launched, communication(T0 + days(1), 'c1'), communication(T0 + days(2), 'c2')]);

  const trusting = new RelationshipHistory({ relationshipId: 'trusting', cadenceDays: 90 }).checkIn(
    T0 + days(1),
    'MENTEE',
    {
      ability: 5,
      benevolence: 5,
      integrity: 5,
      organization: 4,
    },
  );
  const wary = new RelationshipHistory({ relationshipId: 'wary', cadenceDays: 90 }).checkIn(T0 + days(1), 'MENTEE', {
    ability: 1,
    benevolence: 1,
    integrity: 1,
    organization: 5,
  });
  const silent = new RelationshipHistory({ relationshipId: 'silent', cadenceDays: 90 });
  const endsWithWeekOne = new RelationshipHistory({ relationshipId: 'ends', cadenceDays: 90 }).end(weekOneEnd);
  // Starts in week 2; all the activity of week 2 happens here.
  const busy = new RelationshipHistory({ relationshipId: 'busy', cadenceDays: 90, startedAt: weekOneEnd })
    .promise(weekOneEnd + hours(1), 'kept', 'MENTOR', now)
    .promise(weekOneEnd + hours(1), 'broken', 'MENTOR', now)
    .promise(weekOneEnd + hours(1), 'overdue', 'MENTEE', weekOneEnd + hours(2))
    .keep(weekOneEnd + days(1), 'kept')
    .break(weekOneEnd + days(1), 'broken')
    .held(weekOneEnd + days(1))
    .held(weekOneEnd + days(1.5))
    .missed(weekOneEnd + days(2), ['MENTEE'])
    .schedule(weekOneEnd + days(2), 'm', weekOneEnd + days(5), 'MENTOR')
    .cancel(weekOneEnd + days(2), 'm', 'MENTOR')
    .checkIn(weekOneEnd + days(2), 'MENTOR', { ability: 4, benevolence: 4, integrity: 4, organization: 2 });
  const histories = [trusting, wary, silent, endsWithWeekOne, busy];
  const evidence = histories.map((history) => deriveEvidence(history.facts, now));

  const trend = () => programTrend(program, evidence, { now });

  it('runs from the launch week to the week containing now', () => {
    expect(trend().map((point) => [point.start, point.end])).toEqual([
      ['2025-01-06T00:00:00.000Z', '2025-01-13T00:00:00.000Z'],
      ['2025-01-13T00:00:00.000Z', '2025-01-20T00:00:00.000Z'],
    ]);
  });

  it('scores each running relationship as of the bucket end, with quantiles and bands', () => {
    // Week 1 is scored at 13 Jan 00:00, 5.625 days after the check-ins: w = 2^(−5.625/90).
    // trusting: r = 2w per component; wary: s = 2w; silent and ends (ending exactly at the bucket end): 55.
    const w = 2 ** (-5.625 / 90);
    const n = 2 * w + 2;
    const trustingScore = 100 * (0.75 * ((2 * w + 1) / n) + 0.25 * ((2 * w + 1.4) / n));
    const waryScore = 100 * (0.75 * (1 / n) + 0.25 * (1.4 / n));
    // sorted: wary, 55, 55, trusting → median h = 1.5: 55; p25 h = 0.75; p75 h = 2.25
    const [weekOne] = trend();
    expect(weekOne.activeRelationships).toBe(4);
    expect(weekOne.medianScore).toBeCloseTo(55, 9);
    expect(weekOne.p25Score).toBeCloseTo(waryScore + 0.75 * (55 - waryScore), 9);
    expect(weekOne.p75Score).toBeCloseTo(55 + 0.25 * (trustingScore - 55), 9);
    // u = 2/n = 0.5108 > 0.5 for the two that checked in: every relationship is still too early to tell.
    expect(weekOne.bands).toEqual({ tooEarly: 4, high: 0, steady: 0, fragile: 0, atRisk: 0 });
  });

  it('scores the current bucket as of now, leaving out what ended before the bucket end', () => {
    const [, weekTwo] = trend();
    const expected = [trusting, wary, silent, busy]
      .map((history) => trustScore(deriveEvidence(history.facts, now), 'MENTEE_IN_MENTOR', now).score)
      .sort((a, b) => a - b);
    expect(weekTwo.activeRelationships).toBe(4);
    expect(weekTwo.medianScore).toBeCloseTo((expected[1] + expected[2]) / 2, 9);
  });

  it("counts the bucket's facts into rates, and is null where there is nothing to count", () => {
    const [weekOne, weekTwo] = trend();
    expect(weekOne).toEqual(
      expect.objectContaining({
        promisesKeptRate: null,
        cancellationRate: null,
        noShowRate: null,
        medianGapDays: null,
        organizationTrust: 4.5,
        communications: 2,
      }),
    );
    // kept 1; failed 1 (the broken one; the third promise, due 13 Jan 02:00, is overdue only on
    // 20 Jan 02:00, after now) → 1/2.
    // held 2, missed 1, cancelled 1: cancellation 1/4, no-show 1/3. Gaps 1 and 0.5 days: median 0.75.
    expect(weekTwo).toEqual(
      expect.objectContaining({
        promisesKeptRate: 0.5,
        cancellationRate: 0.25,
        noShowRate: 1 / 3,
        medianGapDays: 0.75,
        organizationTrust: 2,
        communications: 0,
      }),
    );
  });

  it('counts an overdue firing as a failed promise in the bucket where it fired', () => {
    const later = weekOneEnd + days(7) + hours(3);
    const points = programTrend(
      program,
      histories.map((history) => deriveEvidence(history.facts, later)),
      { now: later },
    );
    // The 'overdue' promise fires on 20 Jan 02:00: week 3.
    expect(points[2].promisesKeptRate).toBe(0);
    expect(points[1].promisesKeptRate).toBe(0.5);
  });

  it('honours from and to, and monthly buckets', () => {
    const points = programTrend(program, evidence, { now, bucket: 'MONTH', from: T0 + days(3), to: now });
    expect(points.map((point) => [point.start, point.end])).toEqual([
      ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
    ]);
    // Scored as of now (before the month's end): all but the relationship that ended.
    expect(points[0].activeRelationships).toBe(4);
    expect(points[0].communications).toBe(2);
    // A `to` at the very start of the bucket containing `from` leaves no bucket starting before it.
    expect(programTrend(program, evidence, { now, from: weekOneEnd, to: weekOneEnd })).toEqual([]);
  });
});
