import { assertNever } from '../shared/decider';
import { MS_PER_DAY, fromMillis, toMillis, type Instant } from '../shared/instant';
import type { ProgramEvent } from '../program/program.events';
import type { RelationshipEvidence } from './trust.evidence';
import { ACTIVITY_KINDS, summarizeAll, type EvidenceSummary } from './trust.summary';
import type { TrustPolicy } from './trust.policy';
import { componentIndex } from './trust.score';
import type { ItemColumns } from './trust.summary';
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

/**
 * The buckets' instants as columns, with the lookup of the bucket an instant
 * falls in: the trend locates every activity mark, meeting and answer of
 * every relationship, hundreds of thousands of them.
 */
class BucketGrid {
  readonly count: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  private readonly first: number;
  private readonly last: number;
  private readonly averageLength: number;

  constructor(
    bounds: readonly BucketBounds[],
    /** Which buckets these are: their kind, the first start, how many, and how many had ended by the query. */
    readonly key: string,
  ) {
    this.count = bounds.length;
    this.starts = Float64Array.from(bounds, ({ start }) => start);
    this.ends = Float64Array.from(bounds, ({ end }) => end);
    this.first = this.count === 0 ? 0 : this.starts[0];
    this.last = this.count === 0 ? 0 : this.ends[this.count - 1];
    this.averageLength = this.count === 0 ? 1 : (this.last - this.first) / this.count;
  }

  /** The bucket of `at` (the last one starting at or before it), or −1 outside them all. */
  indexOf(at: number): number {
    const { count, starts } = this;
    if (count === 0 || at < this.first || at >= this.last) return -1;
    // Weeks are all alike, so the guess is the bucket itself; a month's guess is one off at most. Both are
    // corrected against the bounds, which alone decide.
    let index = Math.floor((at - this.first) / this.averageLength);
    if (!(index >= 0)) index = 0;
    else if (index > count - 1) index = count - 1;
    while (index > 0 && starts[index] > at) index -= 1;
    while (index < count - 1 && starts[index + 1] <= at) index += 1;
    return index;
  }

  /** The first bucket ending after `at` (count when none does). */
  firstEndingAfter(at: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.ends[middle] > at) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

/** Bands by their index in a bucket's counts. */
const BAND_ORDER: readonly (keyof BandCounts)[] = ['tooEarly', 'high', 'steady', 'fragile', 'atRisk'];
const [TOO_EARLY, HIGH, STEADY, FRAGILE, AT_RISK] = [0, 1, 2, 3, 4];

/**
 * The numbers of a TrustPolicy that DecayingTally's score(), uncertainty() and
 * bandOf read, taken out once: the same doubles, so the same results bit for bit.
 */
interface ScoringConstants {
  readonly policy: TrustPolicy;
  readonly decayPerMs: number;
  readonly priorWeight: number;
  /** 100 · the component's weight, as score() multiplies it first. */
  readonly weightI: number;
  readonly weightB: number;
  readonly weightA: number;
  /** priorWeight · the component's base rate, as expectation() adds it. */
  readonly priorI: number;
  readonly priorB: number;
  readonly priorA: number;
  readonly tooEarlyAboveUncertainty: number;
  readonly highFrom: number;
  readonly steadyFrom: number;
  readonly fragileFrom: number;
}

const scoringConstants = (policy: TrustPolicy): ScoringConstants => {
  const w = policy.priorWeight;
  return {
    policy,
    decayPerMs: Math.LN2 / (policy.halfLifeDays * MS_PER_DAY),
    priorWeight: w,
    weightI: 100 * policy.componentWeights.INTEGRITY,
    weightB: 100 * policy.componentWeights.BENEVOLENCE,
    weightA: 100 * policy.componentWeights.ABILITY,
    priorI: w * policy.baseRates.INTEGRITY,
    priorB: w * policy.baseRates.BENEVOLENCE,
    priorA: w * policy.baseRates.ABILITY,
    ...policy.bands,
  };
};

const [I, B, A] = [componentIndex('INTEGRITY'), componentIndex('BENEVOLENCE'), componentIndex('ABILITY')];

/** What every bucket gathers, as columns over the buckets (bands and activity kinds `count` apart). */
interface Totals {
  /** Room for every relationship in every bucket: bucket b's scores start at b · relationships. */
  readonly scores: Float64Array;
  readonly scored: Int32Array;
  readonly bands: Int32Array;
  readonly activity: Int32Array;
  readonly gaps: number[][];
  readonly organizationSum: Float64Array;
  readonly organizationAnswers: Int32Array;
  readonly communications: Int32Array;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

/**
 * A relationship's DecayingTally between two buckets, unrolled, as ten numbers
 * (where a TrendMemo keeps it): the sums per component as of `at`, the next
 * item to count, and the last decay taken with its span. Before the first
 * bucket `at` is −∞, so the first move is a decay of the zero sums by 0,
 * which leaves them zero, as a new tally would be.
 */
const [R0, R1, R2, S0, S1, S2, AT, NEXT, SPAN, DECAY, WALK_SIZE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

const startWalk = (walk: Float64Array, offset: number): void => {
  walk.fill(0, offset, offset + WALK_SIZE);
  walk[offset + AT] = -Infinity;
  walk[offset + SPAN] = NaN;
  walk[offset + DECAY] = NaN;
};

/** Where walkBuckets also writes each bucket's score and band, by bucket index − first. */
interface ScoreSink {
  readonly scores: Float64Array;
  readonly bands: Int32Array;
  readonly first: number;
}

// Scores a relationship in buckets begin..end − 1, walking its evidence forward
// with one decaying tally, so the cost grows with events + buckets rather than
// with events × buckets. The tally is DecayingTally's, unrolled into locals
// (no object per relationship, no lookup per bucket) with every operation in
// the same order, so every score is the same double; a decay over the same
// span as the one before (a week after a week) is the same Math.exp and is
// taken once. A walk stopped after a bucket and taken up again later gives
// the same doubles as one that never stopped.
const walkBuckets = (
  items: ItemColumns,
  grid: BucketGrid,
  begin: number,
  end: number,
  now: number,
  constants: ScoringConstants,
  walk: Float64Array,
  walkAt: number,
  totals: Totals,
  relationships: number,
  sink: ScoreSink | null,
): void => {
  const { at: itemAt, component, positive, negative } = items;
  const { ends } = grid;
  const { scores, scored, bands } = totals;
  const { decayPerMs, priorWeight: w, weightI, weightB, weightA, priorI, priorB, priorA } = constants;
  const { tooEarlyAboveUncertainty, highFrom, steadyFrom, fragileFrom } = constants;
  const count = itemAt.length;
  let r0 = walk[walkAt + R0];
  let r1 = walk[walkAt + R1];
  let r2 = walk[walkAt + R2];
  let s0 = walk[walkAt + S0];
  let s1 = walk[walkAt + S1];
  let s2 = walk[walkAt + S2];
  let tallyAt = walk[walkAt + AT];
  let next = walk[walkAt + NEXT];
  let span = walk[walkAt + SPAN];
  let decay = walk[walkAt + DECAY];
  for (let index = begin; index < end; index += 1) {
    const at = Math.min(ends[index], now);
    if (at > tallyAt) {
      const elapsed = at - tallyAt;
      if (elapsed !== span) {
        span = elapsed;
        decay = Math.exp(-elapsed * decayPerMs);
      }
      r0 *= decay;
      s0 *= decay;
      r1 *= decay;
      s1 *= decay;
      r2 *= decay;
      s2 *= decay;
      tallyAt = at;
    }
    for (; next < count && itemAt[next] <= at; next += 1) {
      const weight = Math.exp(-(tallyAt - itemAt[next]) * decayPerMs);
      const k = component[next];
      if (k === I) {
        r0 += weight * positive[next];
        s0 += weight * negative[next];
      } else if (k === B) {
        r1 += weight * positive[next];
        s1 += weight * negative[next];
      } else if (k === A) {
        r2 += weight * positive[next];
        s2 += weight * negative[next];
      }
    }
    const score =
      weightI * ((r0 + priorI) / (r0 + s0 + w)) +
      weightB * ((r1 + priorB) / (r1 + s1 + w)) +
      weightA * ((r2 + priorA) / (r2 + s2 + w));
    const uncertainty = (w / (r0 + s0 + w) + w / (r1 + s1 + w) + w / (r2 + s2 + w)) / 3;
    const band =
      uncertainty > tooEarlyAboveUncertainty
        ? TOO_EARLY
        : score >= highFrom
          ? HIGH
          : score >= steadyFrom
            ? STEADY
            : score >= fragileFrom
              ? FRAGILE
              : AT_RISK;
    scores[index * relationships + scored[index]] = score;
    scored[index] += 1;
    bands[index * BAND_ORDER.length + band] += 1;
    if (sink !== null) {
      sink.scores[index - sink.first] = score;
      sink.bands[index - sink.first] = band;
    }
  }
  walk[walkAt + R0] = r0;
  walk[walkAt + R1] = r1;
  walk[walkAt + R2] = r2;
  walk[walkAt + S0] = s0;
  walk[walkAt + S1] = s1;
  walk[walkAt + S2] = s2;
  walk[walkAt + AT] = tallyAt;
  walk[walkAt + NEXT] = next;
  walk[walkAt + SPAN] = span;
  walk[walkAt + DECAY] = decay;
};

/** How many slots placeActivity fills: one per activity mark, held meeting and organization answer. */
const placesOf = (summary: EvidenceSummary): number =>
  summary.activity.at.length + summary.heldMeetings.length + summary.organizationAnswers.at.length;

/**
 * Where a relationship's activity marks (bucket · kinds + kind), held meetings
 * and organization answers (bucket) fall, in that order from `offset`: −1
 * outside; and the meetings' gaps from `gapsAt`, so that counting them again
 * reads typed columns rather than the meetings' records.
 */
const placeActivity = (
  summary: EvidenceSummary,
  grid: BucketGrid,
  slots: Int32Array,
  offset: number,
  gaps: Float64Array,
  gapsAt: number,
): void => {
  let slot = offset;
  const { at, kind } = summary.activity;
  for (let i = 0; i < at.length; i += 1) {
    const index = grid.indexOf(at[i]);
    slots[slot++] = index < 0 ? -1 : index * ACTIVITY_KINDS.length + kind[i];
  }
  const meetings = summary.heldMeetings;
  for (let i = 0; i < meetings.length; i += 1) {
    slots[slot++] = grid.indexOf(meetings[i].startedAt);
    gaps[gapsAt + i] = meetings[i].gapDays;
  }
  const answers = summary.organizationAnswers.at;
  for (let i = 0; i < answers.length; i += 1) slots[slot++] = grid.indexOf(answers[i]);
};

const countActivity = (
  summary: EvidenceSummary,
  slots: Int32Array,
  offset: number,
  gaps: Float64Array,
  gapsAt: number,
  totals: Totals,
  /** Buckets before this one are not counted (their points are kept). */
  fromBucket: number,
): void => {
  let slot = offset;
  const counts = totals.activity;
  const fromSlot = fromBucket * ACTIVITY_KINDS.length;
  for (let i = summary.activity.at.length; i > 0; i -= 1) {
    const at = slots[slot++];
    if (at >= fromSlot) counts[at] += 1;
  }
  for (let i = 0; i < summary.heldMeetings.length; i += 1) {
    const index = slots[slot++];
    if (index >= fromBucket) totals.gaps[index].push(gaps[gapsAt + i]);
  }
  const ratings = summary.organizationAnswers.rating;
  const { organizationSum, organizationAnswers } = totals;
  for (let i = 0; i < ratings.length; i += 1) {
    const index = slots[slot++];
    if (index < fromBucket) continue;
    organizationSum[index] += ratings[i];
    organizationAnswers[index] += 1;
  }
};

/** What a TrendMemo keeps of one relationship for one set of buckets. */
interface KeptScores {
  readonly grid: string;
  readonly policy: TrustPolicy;
  /** The relationship's buckets: first..last − 1. */
  readonly first: number;
  readonly last: number;
  /** How many of its buckets had ended by the query (from first): their scores are kept. */
  readonly stored: number;
  /** The kept scores, then the tally after the last of them (WALK_SIZE numbers), then the held meetings' gaps. */
  readonly numbers: Float64Array;
  /** The kept scores' bands, then where the activity falls (placeActivity). */
  readonly slots: Int32Array;
}

/**
 * Per-relationship work of programTrendOfSummaries kept between queries: a
 * summary does not change while it is kept, and a bucket that has ended is
 * scored at its end whatever `now`, so each relationship's scores in the ended
 * buckets, its tally after the last of them and where its activity falls are
 * kept beside its summary (held weakly: they go with it) and taken up again
 * by the next query over the same buckets. Only the bucket still open is
 * scored again, from the kept tally: the same operations in the same order,
 * so the same doubles as scoring from the start.
 */
export class TrendMemo {
  private readonly kept = new WeakMap<EvidenceSummary, KeptScores>();

  /** @internal */
  get(summary: EvidenceSummary, grid: string, policy: TrustPolicy): KeptScores | undefined {
    const kept = this.kept.get(summary);
    return kept !== undefined && kept.grid === grid && kept.policy === policy ? kept : undefined;
  }

  /** @internal */
  set(summary: EvidenceSummary, kept: KeptScores): void {
    this.kept.set(summary, kept);
  }

  /**
   * The points of the last query's ended buckets, with what they came from:
   * the same kept scores of every relationship (so the same summaries, in the
   * same order) over the same buckets, and the same communications, give the
   * same points. It holds the kept scores, not the summaries.
   */
  private ended: {
    readonly grid: string;
    readonly communications: Float64Array;
    readonly kept: readonly KeptScores[];
    readonly points: readonly TrendPoint[];
  } | null = null;

  /** @internal */
  endedPoints(
    grid: string,
    communications: readonly number[],
    kept: readonly (KeptScores | undefined)[],
  ): readonly TrendPoint[] | undefined {
    const ended = this.ended;
    if (ended === null || ended.grid !== grid || ended.kept.length !== kept.length) return undefined;
    if (ended.communications.length !== communications.length) return undefined;
    for (let i = 0; i < communications.length; i += 1) {
      if (!Object.is(ended.communications[i], communications[i])) return undefined;
    }
    for (let i = 0; i < kept.length; i += 1) if (ended.kept[i] !== kept[i]) return undefined;
    return ended.points;
  }

  /** @internal */
  keepEnded(
    grid: string,
    communications: readonly number[],
    kept: readonly KeptScores[],
    points: readonly TrendPoint[],
  ): void {
    this.ended = { grid, communications: Float64Array.from(communications), kept, points };
  }
}

/** Room one query reuses for every relationship it does not keep. */
interface Scratch {
  readonly walk: Float64Array;
  slots: Int32Array;
  gaps: Float64Array;
}

const scoreRelationship = (
  summary: EvidenceSummary,
  grid: BucketGrid,
  closed: number,
  now: number,
  constants: ScoringConstants,
  totals: Totals,
  relationships: number,
  memo: TrendMemo | undefined,
  scratch: Scratch,
  found: KeptScores | undefined,
  /** The points of the ended buckets are kept: score and count the open ones only. */
  endedKept: boolean,
): KeptScores | null => {
  const { startedAt, endedAt } = summary;
  const items = summary.trust.MENTEE_IN_MENTOR;
  let kept = found;
  if (kept === undefined) {
    // The buckets it belongs to: those ending after its start and, once it ended, no later than its end.
    const first = startedAt === null ? 0 : grid.firstEndingAfter(startedAt);
    const last = startedAt === null ? 0 : endedAt === null ? grid.count : grid.firstEndingAfter(endedAt);
    if (memo === undefined) {
      startWalk(scratch.walk, 0);
      if (first < last)
        walkBuckets(items, grid, first, last, now, constants, scratch.walk, 0, totals, relationships, null);
      const places = placesOf(summary);
      if (scratch.slots.length < places) scratch.slots = new Int32Array(2 * places);
      const meetings = summary.heldMeetings.length;
      if (scratch.gaps.length < meetings) scratch.gaps = new Float64Array(2 * meetings);
      placeActivity(summary, grid, scratch.slots, 0, scratch.gaps, 0);
      countActivity(summary, scratch.slots, 0, scratch.gaps, 0, totals, 0);
      return null;
    }
    const stored = Math.max(0, Math.min(last, closed) - first);
    kept = {
      grid: grid.key,
      policy: constants.policy,
      first,
      last,
      stored,
      numbers: new Float64Array(stored + WALK_SIZE + summary.heldMeetings.length),
      slots: new Int32Array(stored + placesOf(summary)),
    };
    startWalk(kept.numbers, stored);
    if (stored > 0) {
      walkBuckets(items, grid, first, first + stored, now, constants, kept.numbers, stored, totals, relationships, {
        scores: kept.numbers,
        bands: kept.slots,
        first,
      });
    }
    placeActivity(summary, grid, kept.slots, stored, kept.numbers, stored + WALK_SIZE);
    memo.set(summary, kept);
  } else if (!endedKept) {
    const { numbers, slots, first, stored } = kept;
    const { scores, scored, bands } = totals;
    for (let i = 0; i < stored; i += 1) {
      const index = first + i;
      scores[index * relationships + scored[index]] = numbers[i];
      scored[index] += 1;
      bands[index * BAND_ORDER.length + slots[i]] += 1;
    }
  }
  const { first, last, stored, numbers, slots } = kept;
  const open = first + stored;
  if (open < last) {
    for (let i = 0; i < WALK_SIZE; i += 1) scratch.walk[i] = numbers[stored + i];
    walkBuckets(items, grid, open, last, now, constants, scratch.walk, 0, totals, relationships, null);
  }
  countActivity(summary, slots, stored, numbers, stored + WALK_SIZE, totals, endedKept ? closed : 0);
  return kept;
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
  memo?: TrendMemo,
): TrendPoint[] => {
  const now = instantToMs(query.now);
  const bucket = query.bucket ?? 'WEEK';
  const from = query.from === undefined ? program.launchedAt : instantToMs(query.from);
  const to = query.to === undefined ? now : instantToMs(query.to);
  const bounds = bucketBounds(bucket, from, to);
  const count = bounds.length;
  // Buckets that ended by `now` score the same at every query; the others are scored at `now`.
  let closed = 0;
  while (closed < count && bounds[closed].end <= now) closed += 1;
  const grid = new BucketGrid(bounds, `${bucket} ${count === 0 ? 0 : bounds[0].start} ${count} ${closed}`);
  const n = relationships.length;
  const totals: Totals = {
    scores: new Float64Array(n * count),
    scored: new Int32Array(count),
    bands: new Int32Array(count * BAND_ORDER.length),
    activity: new Int32Array(count * ACTIVITY_KINDS.length),
    gaps: bounds.map(() => []),
    organizationSum: new Float64Array(count),
    organizationAnswers: new Int32Array(count),
    communications: new Int32Array(count),
  };

  let constants: ScoringConstants | null = null;
  const scratch: Scratch = {
    walk: new Float64Array(WALK_SIZE),
    slots: new Int32Array(256),
    gaps: new Float64Array(64),
  };
  const found = memo && relationships.map((summary) => memo.get(summary, grid.key, policy ?? summary.policy));
  const endedPoints = found && memo.endedPoints(grid.key, program.communications, found);
  const kept: KeptScores[] = [];
  relationships.forEach((summary, i) => {
    const scoring = policy ?? summary.policy;
    if (constants?.policy !== scoring) constants = scoringConstants(scoring);
    const keptScores = scoreRelationship(
      summary,
      grid,
      closed,
      now,
      constants,
      totals,
      n,
      memo,
      scratch,
      found?.[i],
      endedPoints !== undefined,
    );
    if (keptScores !== null) kept.push(keptScores);
  });
  for (const at of program.communications) {
    const index = grid.indexOf(at);
    if (index >= 0) totals.communications[index] += 1;
  }

  const [promiseKept, promiseFailed, meetingHeld, meetingMissed, meetingCancelled] = (
    ['promise-kept', 'promise-failed', 'meeting-held', 'meeting-missed', 'meeting-cancelled'] as const
  ).map((kind) => ACTIVITY_KINDS.indexOf(kind));
  const pointAt = (index: number): TrendPoint => {
    const { start, end } = bounds[index];
    const scored = totals.scored[index];
    const [p25Score, medianScore, p75Score] = quantilesOf(
      totals.scores.subarray(index * n, index * n + scored),
      [0.25, 0.5, 0.75],
    );
    const bands = totals.bands.subarray(index * BAND_ORDER.length);
    const marks = totals.activity.subarray(index * ACTIVITY_KINDS.length);
    const held = marks[meetingHeld];
    const missed = marks[meetingMissed];
    const cancelled = marks[meetingCancelled];
    return {
      start: fromMillis(start),
      end: fromMillis(end),
      activeRelationships: scored,
      medianScore,
      p25Score,
      p75Score,
      bands: {
        tooEarly: bands[TOO_EARLY],
        high: bands[HIGH],
        steady: bands[STEADY],
        fragile: bands[FRAGILE],
        atRisk: bands[AT_RISK],
      },
      promisesKeptRate: ratio(marks[promiseKept], marks[promiseKept] + marks[promiseFailed]),
      cancellationRate: ratio(cancelled, held + missed + cancelled),
      noShowRate: ratio(missed, held + missed),
      medianGapDays: quantilesOf(Float64Array.from(totals.gaps[index]), [0.5])[0],
      organizationTrust: ratio(totals.organizationSum[index], totals.organizationAnswers[index]),
      communications: totals.communications[index],
    };
  };
  if (memo === undefined) return bounds.map((_, index) => pointAt(index));
  const ended = endedPoints ?? Array.from({ length: closed }, (_, index) => deepFreeze(pointAt(index)));
  if (endedPoints === undefined) memo.keepEnded(grid.key, program.communications, kept, ended);
  const points = ended.slice();
  for (let index = closed; index < count; index += 1) points.push(pointAt(index));
  return points;
};

/** A kept point is handed to every later query: nobody may change it. */
const deepFreeze = (point: TrendPoint): TrendPoint => {
  Object.freeze(point.bands);
  return Object.freeze(point);
};
