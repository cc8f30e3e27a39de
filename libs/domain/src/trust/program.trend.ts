import { assertNever } from '../shared/decider';
import { MS_PER_DAY, fromMillis, toMillis, type Instant } from '../shared/instant';
import type { ProgramEvent } from '../program/program.events';
import type { ActivityKind, RelationshipEvidence } from './trust.evidence';
import { ACTIVITY_KINDS, summarizeAll, type EvidenceSummary } from './trust.summary';
import type { TrustBand, TrustPolicy } from './trust.policy';
import { bandOf, DecayingTally } from './trust.score';
import { quantilesOf } from './trust.statistics';
import { instantToMs, type InstantInput } from './trust.timeline';

export type TrendBucket = 'WEEK' | 'MONTH';

export interface BandCounts {
  tooEarly: number;
  high: number;
  steady: number;
  fragile: number;
  atRisk: number;
}

export interface TrendPoint {
  readonly start: Instant;
  readonly end: Instant;
  readonly activeRelationships: number;
  readonly medianScore: number | null;
  readonly p25Score: number | null;
  readonly p75Score: number | null;
  readonly bands: BandCounts;
  readonly promisesKeptRate: number | null;
  readonly cancellationRate: number | null;
  readonly noShowRate: number | null;
  readonly medianGapDays: number | null;
  readonly organizationTrust: number | null;
  readonly communications: number;
}

/** What the trend needs from the program's own stream. */
export interface ProgramActivity {
  readonly launchedAt: number;
  readonly communications: readonly number[];
}

export interface TrendQuery {
  readonly bucket?: TrendBucket;
  /** Default: the program's launch. */
  readonly from?: InstantInput;
  /** Default: now. */
  readonly to?: InstantInput;
  readonly now: InstantInput;
}

export interface BucketBounds {
  readonly start: number;
  readonly end: number;
}

export const programActivity = (events: readonly ProgramEvent[]): ProgramActivity => {
  let launchedAt: number | null = null;
  const communications: number[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'ProgramLaunched':
        launchedAt ??= toMillis(event.data.occurredAt);
        break;
      case 'ProgramCommunicationRecorded':
        communications.push(toMillis(event.data.occurredAt));
        break;
      default:
        assertNever(event);
    }
  }
  if (launchedAt === null) throw new Error('A program trend needs the ProgramLaunched event');
  return { launchedAt, communications };
};

// 1970-01-01 was a Thursday: day n since the epoch is (n + 3) mod 7 days past a Monday.
const DAYS_FROM_MONDAY_AT_EPOCH = 3;

export const bucketStart = (bucket: TrendBucket, at: number): number => {
  if (bucket === 'WEEK') {
    const day = Math.floor(at / MS_PER_DAY);
    const sinceMonday = (((day + DAYS_FROM_MONDAY_AT_EPOCH) % 7) + 7) % 7;
    return (day - sinceMonday) * MS_PER_DAY;
  }
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};

const nextBucketStart = (bucket: TrendBucket, start: number): number => {
  if (bucket === 'WEEK') return start + 7 * MS_PER_DAY;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

/** From the bucket containing `from` through every bucket that starts before `to`. */
export const bucketBounds = (bucket: TrendBucket, from: number, to: number): BucketBounds[] => {
  const bounds: BucketBounds[] = [];
  for (let start = bucketStart(bucket, from); start < to;) {
    const end = nextBucketStart(bucket, start);
    bounds.push({ start, end });
    start = end;
  }
  return bounds;
};

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
  /** Room for every relationship (a slice of one array for all buckets); the first `scored` hold this bucket's scores. */
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

// Scores each relationship once per bucket it belongs to, walking its evidence
// forward with one decaying tally, so the cost grows with events + buckets
// rather than with events × buckets.
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

export const programTrend = (
  program: ProgramActivity,
  relationships: readonly RelationshipEvidence[],
  query: TrendQuery,
  policy?: TrustPolicy,
): TrendPoint[] => programTrendOfSummaries(program, summarizeAll(relationships), query, policy);

/** programTrend from summaries, which a caller may keep between queries. */
export const programTrendOfSummaries = (
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
