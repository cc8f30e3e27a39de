import { fromMillis } from '../shared/instant';
import type { ActivityKind, RelationshipEvidence } from './trust.evidence';
import type { TrustDirection, TrustPolicy } from './trust.policy';
import { componentIndex, DecayingTally, scoringInstant, type TrustFigures, type TrustScore } from './trust.score';
import { instantToMs, type InstantInput } from './trust.timeline';

/** Activity kinds by their index in EvidenceSummary.activity.kind. */
export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  'promise-kept',
  'promise-failed',
  'meeting-held',
  'meeting-missed',
  'meeting-cancelled',
];
const ACTIVITY_INDEX = Object.fromEntries(ACTIVITY_KINDS.map((kind, index) => [kind, index])) as Record<
  ActivityKind,
  number
>;

/** A direction's evidence items in replay order, as columns; `component` as componentIndex gives it. */
export interface ItemColumns {
  readonly at: Float64Array;
  readonly component: Uint8Array;
  readonly positive: Float64Array;
  readonly negative: Float64Array;
}

/**
 * What scores, cadence and the program-wide figures (the trend, the at-risk
 * list) read of one relationship's evidence: the items without their causes,
 * the activity and the organization answers, packed in typed arrays. It
 * holds no stored fact and a fraction of the evidence's memory, so a server
 * can keep one per relationship between queries. Trajectories, which name
 * each point's cause, need the evidence itself.
 */
export interface EvidenceSummary extends Pick<
  RelationshipEvidence,
  | 'policy'
  | 'relationshipId'
  | 'now'
  | 'nextFiringAt'
  | 'startedAt'
  | 'endedAt'
  | 'cadenceDays'
  | 'pauses'
  | 'heldMeetings'
> {
  readonly trust: Readonly<Record<TrustDirection, ItemColumns>>;
  /** `kind` indexes ACTIVITY_KINDS. */
  readonly activity: { readonly at: Float64Array; readonly kind: Uint8Array };
  readonly organizationAnswers: { readonly at: Float64Array; readonly rating: Float64Array };
}

/** Room a summary takes in a buffer: 8-byte numbers first, then single bytes. */
const sizeOf = ({ items, activity, organizationAnswers }: RelationshipEvidence) => ({
  doubles: 3 * items.length + activity.length + 2 * organizationAnswers.length,
  bytes: items.length + activity.length,
});

/** A summary whose typed arrays are views of `buffer`, from the offsets given (in numbers and in bytes). */
const summarizeInto = (
  evidence: RelationshipEvidence,
  buffer: ArrayBuffer,
  firstDouble: number,
  firstByte: number,
): EvidenceSummary => {
  const { items, activity, organizationAnswers: answers } = evidence;
  let doubleOffset = firstDouble;
  let byteOffset = firstByte;
  const float64 = (length: number): Float64Array => {
    const view = new Float64Array(buffer, 8 * doubleOffset, length);
    doubleOffset += length;
    return view;
  };
  const uint8 = (length: number): Uint8Array => {
    const view = new Uint8Array(buffer, byteOffset, length);
    byteOffset += length;
    return view;
  };
  const columns = (length: number): ItemColumns => ({
    at: float64(length),
    component: uint8(length),
    positive: float64(length),
    negative: float64(length),
  });

  let judgingMentor = 0;
  for (const item of items) if (item.direction === 'MENTEE_IN_MENTOR') judgingMentor += 1;
  const judgingMentorColumns = columns(judgingMentor);
  const judgingMenteeColumns = columns(items.length - judgingMentor);
  let mentorFilled = 0;
  let menteeFilled = 0;
  for (const item of items) {
    const mentor = item.direction === 'MENTEE_IN_MENTOR';
    const target = mentor ? judgingMentorColumns : judgingMenteeColumns;
    const i = mentor ? mentorFilled++ : menteeFilled++;
    target.at[i] = item.at;
    target.component[i] = componentIndex(item.component);
    target.positive[i] = item.positive;
    target.negative[i] = item.negative;
  }
  const marks = { at: float64(activity.length), kind: uint8(activity.length) };
  activity.forEach((mark, i) => {
    marks.at[i] = mark.at;
    marks.kind[i] = ACTIVITY_INDEX[mark.kind];
  });
  const organizationAnswers = { at: float64(answers.length), rating: float64(answers.length) };
  answers.forEach((answer, i) => {
    organizationAnswers.at[i] = answer.at;
    organizationAnswers.rating[i] = answer.rating;
  });
  return {
    policy: evidence.policy,
    relationshipId: evidence.relationshipId,
    now: evidence.now,
    nextFiringAt: evidence.nextFiringAt,
    startedAt: evidence.startedAt,
    endedAt: evidence.endedAt,
    cadenceDays: evidence.cadenceDays,
    pauses: evidence.pauses,
    heldMeetings: evidence.heldMeetings,
    trust: { MENTEE_IN_MENTOR: judgingMentorColumns, MENTOR_IN_MENTEE: judgingMenteeColumns },
    activity: marks,
    organizationAnswers,
  };
};

/** One summary in a buffer of its own, so that it can be kept (and dropped) alone. */
export const summarizeEvidence = (evidence: RelationshipEvidence): EvidenceSummary => {
  const { doubles, bytes } = sizeOf(evidence);
  return summarizeInto(evidence, new ArrayBuffer(8 * doubles + bytes), 0, 8 * doubles);
};

/**
 * Summaries of many relationships sharing one buffer, for a computation that
 * drops them all at once: one allocation instead of one per relationship,
 * which for thousands of them also spares the garbage collector.
 */
export const summarizeAll = (relationships: readonly RelationshipEvidence[]): EvidenceSummary[] => {
  const sizes = relationships.map(sizeOf);
  const doubles = sizes.reduce((sum, size) => sum + size.doubles, 0);
  const buffer = new ArrayBuffer(8 * doubles + sizes.reduce((sum, size) => sum + size.bytes, 0));
  let firstDouble = 0;
  let firstByte = 8 * doubles;
  return relationships.map((evidence, i) => {
    const summary = summarizeInto(evidence, buffer, firstDouble, firstByte);
    firstDouble += sizes[i].doubles;
    firstByte += sizes[i].bytes;
    return summary;
  });
};

/** trustFiguresAt, from the summary. */
export const summaryFiguresAt = (
  summary: EvidenceSummary,
  direction: TrustDirection,
  asOf: number,
  policy: TrustPolicy = summary.policy,
): TrustFigures => {
  const at = scoringInstant(summary, asOf);
  const tally = new DecayingTally(policy, at);
  const items = summary.trust[direction];
  for (let i = 0; i < items.at.length; i += 1) {
    if (items.at[i] <= at) tally.addFigures(items.at[i], items.component[i], items.positive[i], items.negative[i]);
  }
  return tally.figures();
};

/** trustScore, from the summary. */
export const summaryScore = (
  summary: EvidenceSummary,
  direction: TrustDirection,
  asOf: InstantInput = summary.now,
  policy: TrustPolicy = summary.policy,
): TrustScore => {
  const asOfMs = instantToMs(asOf);
  return { asOf: fromMillis(asOfMs), ...summaryFiguresAt(summary, direction, asOfMs, policy) };
};
