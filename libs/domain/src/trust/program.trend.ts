import { assertNever } from '../shared/decider';
import { MS_PER_DAY, fromMillis, toMillis, type Instant } from '../shared/instant';
import type { ProgramEvent } from '../program/program.events';
import type { ActivityKind, RelationshipEvidence } from './trust.evidence';
import type { TrustBand, TrustPolicy } from './trust.policy';
import { DecayingTally } from './trust.score';
import { ascending, quantile } from './trust.statistics';
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
  for (let start = bucketStart(bucket, from); start < to; ) {
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
  /** Room for every relationship; the first `scored` hold this bucket's scores. */
  readonly scores: Float64Array;
  scored: number;
  readonly bands: BandCounts;
  readonly activity: Record<ActivityKind, number>;
  readonly gaps: number[];
  organizationSum: number;
  organizationAnswers: number;
  communications: number;
}

const emptyTotals = (relationships: number): BucketTotals => ({
  scores: new Float64Array(relationships),
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
  evidence: RelationshipEvidence,
  bounds: readonly BucketBounds[],
  totals: readonly BucketTotals[],
  now: number,
  policy: TrustPolicy,
): void => {
  const { startedAt, endedAt } = evidence;
  if (startedAt === null) return;
  const items = evidence.items;
  let next = 0;
  let tally: DecayingTally | null = null;
  bounds.forEach(({ end }, index) => {
    if (startedAt >= end || (endedAt !== null && endedAt < end)) return;
    const at = Math.min(end, now);
    tally ??= new DecayingTally(policy, at);
    tally.advanceTo(at);
    for (; next < items.length && items[next].at <= at; next += 1) {
      if (items[next].direction === 'MENTEE_IN_MENTOR') tally.add(items[next]);
    }
    const figures = tally.figures();
    const bucketTotals = totals[index];
    bucketTotals.scores[bucketTotals.scored] = figures.score;
    bucketTotals.scored += 1;
    bucketTotals.bands[BAND_KEYS[figures.band]] += 1;
  });
};

const countActivity = (
  evidence: RelationshipEvidence,
  bounds: readonly BucketBounds[],
  totals: readonly BucketTotals[],
): void => {
  for (const mark of evidence.activity) {
    const index = bucketIndex(bounds, mark.at);
    if (index >= 0) totals[index].activity[mark.kind] += 1;
  }
  for (const meeting of evidence.heldMeetings) {
    const index = bucketIndex(bounds, meeting.startedAt);
    if (index >= 0) totals[index].gaps.push(meeting.gapDays);
  }
  for (const answer of evidence.organizationAnswers) {
    const index = bucketIndex(bounds, answer.at);
    if (index < 0) continue;
    totals[index].organizationSum += answer.rating;
    totals[index].organizationAnswers += 1;
  }
};

export const programTrend = (
  program: ProgramActivity,
  relationships: readonly RelationshipEvidence[],
  query: TrendQuery,
  policy?: TrustPolicy,
): TrendPoint[] => {
  const now = instantToMs(query.now);
  const bucket = query.bucket ?? 'WEEK';
  const from = query.from === undefined ? program.launchedAt : instantToMs(query.from);
  const to = query.to === undefined ? now : instantToMs(query.to);
  const bounds = bucketBounds(bucket, from, to);
  const totals = bounds.map(() => emptyTotals(relationships.length));

  for (const evidence of relationships) {
    scoreIntoBuckets(evidence, bounds, totals, now, policy ?? evidence.policy);
    countActivity(evidence, bounds, totals);
  }
  for (const at of program.communications) {
    const index = bucketIndex(bounds, at);
    if (index >= 0) totals[index].communications += 1;
  }

  return bounds.map(({ start, end }, index) => {
    const bucketTotals = totals[index];
    const scores = bucketTotals.scores.subarray(0, bucketTotals.scored).sort();
    const count = bucketTotals.activity;
    const held = count['meeting-held'];
    const missed = count['meeting-missed'];
    const cancelled = count['meeting-cancelled'];
    return {
      start: fromMillis(start),
      end: fromMillis(end),
      activeRelationships: bucketTotals.scored,
      medianScore: quantile(scores, 0.5),
      p25Score: quantile(scores, 0.25),
      p75Score: quantile(scores, 0.75),
      bands: bucketTotals.bands,
      promisesKeptRate: ratio(count['promise-kept'], count['promise-kept'] + count['promise-failed']),
      cancellationRate: ratio(cancelled, held + missed + cancelled),
      noShowRate: ratio(missed, held + missed),
      medianGapDays: quantile(ascending(bucketTotals.gaps), 0.5),
      organizationTrust: ratio(bucketTotals.organizationSum, bucketTotals.organizationAnswers),
      communications: bucketTotals.communications,
    };
  });
};
