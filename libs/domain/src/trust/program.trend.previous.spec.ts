import fc from 'fast-check';
import { days, T0 } from '@trustline/testing';
import { historyArbitrary } from '@trustline/testing/fixtures/relationship-history.arbitrary';
import { fromMillis } from '../shared/instant';
import type { ActivityKind } from './trust.evidence';
import { deriveEvidence } from './trust.evidence';
import { TRUST_POLICY_V1, type TrustBand, type TrustPolicy } from './trust.policy';
import { bandOf, DecayingTally } from './trust.score';
import { quantilesOf } from './trust.statistics';
import { ACTIVITY_KINDS, type EvidenceSummary, summarizeEvidence } from './trust.summary';
import { instantToMs } from './trust.timeline';
import {
  type BandCounts,
  type BucketBounds,
  bucketBounds,
  type ProgramActivity,
  programTrendOfSummaries,
  type TrendPoint,
  type TrendQuery,
  TrendMemo,
} from './program.trend';

// The program trend as it was computed before its tally was unrolled into typed columns and its per-relationship
// work kept between queries (TrendMemo): a DecayingTally per relationship, a binary search per mark. Every
// figure must come out the same double, with or without a memo, whatever the queries before.

const bucketIndex = (bounds: readonly BucketBounds[], at: number): number => {
  let low = 0;
  let high = bounds.length - 1;
  if (high < 0 || at < bounds[0].start || at >= bounds[high].end) return -1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (bounds[middle].start <= at) low = middle;
    else high = middle - 1;
  }
  return low;
};

const BAND_KEYS: Record<TrustBand, keyof BandCounts> = {
  TOO_EARLY: 'tooEarly',
  HIGH: 'high',
  STEADY: 'steady',
  FRAGILE: 'fragile',
  AT_RISK: 'atRisk',
};

interface BucketTotals {
  readonly scores: Float64Array;
  scored: number;
  readonly bands: BandCounts;
  readonly activity: Record<ActivityKind, number>;
  readonly gaps: number[];
  organizationSum: number;
  organizationAnswers: number;
  communications: number;
}

const emptyTotals = (scores: Float64Array): BucketTotals => ({
  scores,
  scored: 0,
  bands: { tooEarly: 0, high: 0, steady: 0, fragile: 0, atRisk: 0 },
  activity: { 'promise-kept': 0, 'promise-failed': 0, 'meeting-held': 0, 'meeting-missed': 0, 'meeting-cancelled': 0 },
  gaps: [],
  organizationSum: 0,
  organizationAnswers: 0,
  communications: 0,
});

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

const scoreIntoBuckets = (
  summary: EvidenceSummary,
  bounds: readonly BucketBounds[],
  totals: readonly BucketTotals[],
  now: number,
  policy: TrustPolicy,
): void => {
  const { startedAt, endedAt } = summary;
  if (startedAt === null) return;
  const { at: itemAt, component, positive, negative } = summary.trust.MENTEE_IN_MENTOR;
  let next = 0;
  let tally: DecayingTally | null = null;
  for (let index = 0; index < bounds.length; index += 1) {
    const end = bounds[index].end;
    if (startedAt >= end || (endedAt !== null && endedAt < end)) continue;
    const at = Math.min(end, now);
    tally ??= new DecayingTally(policy, at);
    tally.advanceTo(at);
    for (; next < itemAt.length && itemAt[next] <= at; next += 1) {
      tally.addFigures(itemAt[next], component[next], positive[next], negative[next]);
    }
    const score = tally.score();
    const bucketTotals = totals[index];
    bucketTotals.scores[bucketTotals.scored] = score;
    bucketTotals.scored += 1;
    bucketTotals.bands[BAND_KEYS[bandOf(score, tally.uncertainty(), policy)]] += 1;
  }
};

const countActivity = (
  summary: EvidenceSummary,
  bounds: readonly BucketBounds[],
  totals: readonly BucketTotals[],
): void => {
  const activity = summary.activity;
  for (let i = 0; i < activity.at.length; i += 1) {
    const index = bucketIndex(bounds, activity.at[i]);
    if (index >= 0) totals[index].activity[ACTIVITY_KINDS[activity.kind[i]]] += 1;
  }
  for (const meeting of summary.heldMeetings) {
    const index = bucketIndex(bounds, meeting.startedAt);
    if (index >= 0) totals[index].gaps.push(meeting.gapDays);
  }
  const answers = summary.organizationAnswers;
  for (let i = 0; i < answers.at.length; i += 1) {
    const index = bucketIndex(bounds, answers.at[i]);
    if (index < 0) continue;
    totals[index].organizationSum += answers.rating[i];
    totals[index].organizationAnswers += 1;
  }
};

const previousTrendOfSummaries = (
  program: ProgramActivity,
  relationships: readonly EvidenceSummary[],
  query: TrendQuery,
  policy?: TrustPolicy,
): TrendPoint[] => {
  const now = instantToMs(query.now);
  const bucket = query.bucket ?? 'WEEK';
  const from = query.from === undefined ? program.launchedAt : instantToMs(query.from);
  const to = query.to === undefined ? now : instantToMs(query.to);
  const bounds = bucketBounds(bucket, from, to);
  const n = relationships.length;
  const scores = new Float64Array(n * bounds.length);
  const totals = bounds.map((_, index) => emptyTotals(scores.subarray(index * n, (index + 1) * n)));

  for (const summary of relationships) {
    scoreIntoBuckets(summary, bounds, totals, now, policy ?? summary.policy);
    countActivity(summary, bounds, totals);
  }
  for (const at of program.communications) {
    const index = bucketIndex(bounds, at);
    if (index >= 0) totals[index].communications += 1;
  }

  return bounds.map(({ start, end }, index) => {
    const bucketTotals = totals[index];
    const [p25Score, medianScore, p75Score] = quantilesOf(
      bucketTotals.scores.subarray(0, bucketTotals.scored),
      [0.25, 0.5, 0.75],
    );
    const count = bucketTotals.activity;
    const held = count['meeting-held'];
    const missed = count['meeting-missed'];
    const cancelled = count['meeting-cancelled'];
    return {
      start: fromMillis(start),
      end: fromMillis(end),
      activeRelationships: bucketTotals.scored,
      medianScore,
      p25Score,
      p75Score,
      bands: bucketTotals.bands,
      promisesKeptRate: ratio(count['promise-kept'], count['promise-kept'] + count['promise-failed']),
      cancellationRate: ratio(cancelled, held + missed + cancelled),
      noShowRate: ratio(missed, held + missed),
      medianGapDays: quantilesOf(Float64Array.from(bucketTotals.gaps), [0.5])[0],
      organizationTrust: ratio(bucketTotals.organizationSum, bucketTotals.organizationAnswers),
      communications: bucketTotals.communications,
    };
  });
};

// Every number as its exact decimal form (and -0 apart): toEqual alone would let a last-bit difference through.
const bits = (points: TrendPoint[]): string =>
  JSON.stringify(points, (_key, value: unknown) =>
    typeof value === 'number' ? (Object.is(value, -0) ? '-0' : String(value)) : value,
  );

/** Another policy than the default: a shorter memory and other bands, so a memo kept under one is not reused under it. */
const SHORT_MEMORY: TrustPolicy = {
  ...TRUST_POLICY_V1,
  halfLifeDays: 21,
  bands: { tooEarlyAboveUncertainty: 0.6, highFrom: 65, steadyFrom: 50, fragileFrom: 35 },
};

const queryArbitrary = fc.record({
  bucket: fc.constantFrom('WEEK' as const, 'MONTH' as const),
  /** Days after the latest fact: now, and where the buckets start and stop (null: the defaults). */
  nowDays: fc.integer({ min: -20, max: 200 }),
  fromDays: fc.option(fc.integer({ min: -120, max: 60 })),
  toDays: fc.option(fc.integer({ min: -60, max: 60 })),
  policy: fc.constantFrom(undefined, TRUST_POLICY_V1, SHORT_MEMORY),
  /** Derive the summaries again at this query (new objects, as when a relationship got a fact) or keep them. */
  rederive: fc.boolean(),
  /** Or derive one of them again only. */
  rederiveOne: fc.option(fc.nat()),
  /** A communication recorded since the query before, this many days before now. */
  communicated: fc.option(fc.integer({ min: 0, max: 60 })),
});

const programOf = (communications: number[]) => ({ launchedAt: T0 - days(3), communications });
const program = programOf([T0 + days(2), T0 + days(30), T0 + days(31)]);

describe('the program trend of some summaries', () => {
  it('is the previous computation bit for bit, with or without a memo kept across a run of queries', () => {
    fc.assert(
      fc.property(
        fc.array(historyArbitrary, { minLength: 1, maxLength: 8 }),
        fc.array(queryArbitrary, { minLength: 1, maxLength: 6 }),
        (histories, queries) => {
          const lastAt = Math.max(...histories.map((history) => history.lastAt));
          const memo = new TrendMemo();
          let summaries: EvidenceSummary[] | null = null;
          let program = programOf([T0 + days(2), T0 + days(30), T0 + days(31)]);
          for (const { bucket, nowDays, fromDays, toDays, policy, rederive, rederiveOne, communicated } of queries) {
            const now = lastAt + days(nowDays);
            // Summaries derived as of a different instant are different objects, with different evidence.
            if (summaries === null || rederive)
              summaries = histories.map(({ facts }) => summarizeEvidence(deriveEvidence(facts, now)));
            else if (rederiveOne !== null) {
              const one = rederiveOne % histories.length;
              summaries = summaries.slice();
              summaries[one] = summarizeEvidence(deriveEvidence(histories[one].facts, now));
            }
            if (communicated !== null) program = programOf([...program.communications, now - days(communicated)]);
            const query: TrendQuery = {
              bucket,
              now,
              from: fromDays === null ? undefined : lastAt + days(fromDays),
              to: toDays === null ? undefined : now + days(toDays),
            };
            const expected = bits(previousTrendOfSummaries(program, summaries, query, policy));
            expect(bits(programTrendOfSummaries(program, summaries, query, policy))).toBe(expected);
            expect(bits(programTrendOfSummaries(program, summaries, query, policy, memo))).toBe(expected);
            // Kept from the query just made: only the open buckets are scored again, the ended points are kept.
            const again = programTrendOfSummaries(program, summaries, query, policy, memo);
            expect(bits(again)).toBe(expected);
            expect(again.every((point) => Object.isFrozen(point) || point.end > fromMillis(now))).toBe(true);
            // The same query once a communication was recorded in an ended bucket: the kept points are not reused.
            const told = programOf([...program.communications, now - days(10)]);
            expect(bits(programTrendOfSummaries(told, summaries, query, policy, memo))).toBe(
              bits(previousTrendOfSummaries(told, summaries, query, policy)),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scores a kept relationship again when the instant moves on within its open bucket', () => {
    const histories = fc.sample(historyArbitrary, { numRuns: 30, seed: 14 });
    const lastAt = Math.max(...histories.map((history) => history.lastAt));
    const now = lastAt + days(2);
    const summaries = histories.map(({ facts }) => summarizeEvidence(deriveEvidence(facts, now)));
    const memo = new TrendMemo();
    for (const later of [0, 1, 3, 9, 30].map((hours) => now + hours * 3_600_000)) {
      const query = { now: later, from: T0 };
      expect(bits(programTrendOfSummaries(program, summaries, query, undefined, memo))).toBe(
        bits(previousTrendOfSummaries(program, summaries, query)),
      );
    }
  });

  it('keeps what one policy gave apart from what another gives, over the same buckets', () => {
    const histories = fc.sample(historyArbitrary, { numRuns: 30, seed: 7 });
    const now = Math.max(...histories.map((history) => history.lastAt)) + days(5);
    const summaries = histories.map(({ facts }) => summarizeEvidence(deriveEvidence(facts, now)));
    const memo = new TrendMemo();
    const query = { now, from: T0 };
    for (const policy of [undefined, SHORT_MEMORY, TRUST_POLICY_V1, SHORT_MEMORY]) {
      expect(bits(programTrendOfSummaries(program, summaries, query, policy, memo))).toBe(
        bits(previousTrendOfSummaries(program, summaries, query, policy)),
      );
    }
    expect(bits(previousTrendOfSummaries(program, summaries, query, SHORT_MEMORY))).not.toBe(
      bits(previousTrendOfSummaries(program, summaries, query)),
    );
  });
});
