import type { HeldMeetingGap } from './trust.evidence';
import { TRUST_POLICY_V1, type TrustDirection, type TrustPolicy } from './trust.policy';
import type { EvidenceSummary, ItemColumns } from './trust.summary';
import type { PauseInterval } from './trust.timeline';

// An EvidenceSummary as bytes, so that a read database can keep one per
// relationship and a server read it back after a restart instead of deriving
// it again. Every number is written as the 8-byte double it is (no decimal
// text), so a summary read back is bit for bit the one written; the typed
// arrays of a decoded summary are views of one copy of the bytes.

const FORMAT = 1;
/** Doubles before the variable part: format, five instants/figures, the null mask and seven lengths. */
const HEADER = 13;
const NULL_STARTED = 1;
const NULL_ENDED = 2;
const NULL_CADENCE = 4;
const DIRECTIONS: readonly TrustDirection[] = ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'];

/** The policies a stored summary may name; one that names another is not decoded (it is derived again). */
const POLICIES: ReadonlyMap<string, TrustPolicy> = new Map([[TRUST_POLICY_V1.version, TRUST_POLICY_V1]]);

/** The bytes of a summary; its relationshipId and policy version are kept beside them (see decodeSummary). */
export function encodeSummary(summary: EvidenceSummary): Uint8Array {
  const [mentor, mentee] = DIRECTIONS.map((direction) => summary.trust[direction]);
  const { pauses, heldMeetings, activity, organizationAnswers } = summary;
  const doubles =
    HEADER +
    2 * pauses.length +
    3 * heldMeetings.length +
    3 * (mentor.at.length + mentee.at.length) +
    activity.at.length +
    2 * organizationAnswers.at.length;
  const bytes = mentor.at.length + mentee.at.length + activity.at.length;
  const buffer = new ArrayBuffer(8 * doubles + bytes);
  const numbers = new Float64Array(buffer, 0, doubles);
  const small = new Uint8Array(buffer, 8 * doubles, bytes);
  const nullMask =
    (summary.startedAt === null ? NULL_STARTED : 0) |
    (summary.endedAt === null ? NULL_ENDED : 0) |
    (summary.cadenceDays === null ? NULL_CADENCE : 0);
  numbers.set([
    FORMAT,
    summary.now,
    summary.nextFiringAt,
    summary.startedAt ?? 0,
    summary.endedAt ?? 0,
    summary.cadenceDays ?? 0,
    nullMask,
    pauses.length,
    heldMeetings.length,
    mentor.at.length,
    mentee.at.length,
    activity.at.length,
    organizationAnswers.at.length,
  ]);
  let at = HEADER;
  const put = (values: ArrayLike<number>): void => {
    numbers.set(values, at);
    at += values.length;
  };
  for (const pause of pauses) put([pause.start, pause.end]);
  for (const held of heldMeetings) put([held.startedAt, held.gapDays, held.credit]);
  for (const columns of [mentor, mentee]) {
    put(columns.at);
    put(columns.positive);
    put(columns.negative);
  }
  put(activity.at);
  put(organizationAnswers.at);
  put(organizationAnswers.rating);
  small.set(mentor.component, 0);
  small.set(mentee.component, mentor.at.length);
  small.set(activity.kind, mentor.at.length + mentee.at.length);
  return new Uint8Array(buffer);
}

/** The summary encodeSummary wrote; null when the bytes are of another format or name an unknown policy. */
export function decodeSummary(
  encoded: Uint8Array,
  relationshipId: string | null,
  policyVersion: string,
): EvidenceSummary | null {
  const policy = POLICIES.get(policyVersion);
  if (policy === undefined || encoded.byteLength < 8 * HEADER) return null;
  // Bytes that are a whole buffer of their own (as a database driver returns a
  // blob) are used in place; others are copied, aligned for the Float64Arrays.
  const whole = encoded.byteOffset === 0 && encoded.buffer.byteLength === encoded.byteLength;
  const buffer = whole ? (encoded.buffer as ArrayBuffer) : new ArrayBuffer(encoded.byteLength);
  if (!whole) new Uint8Array(buffer).set(encoded);
  const header = new Float64Array(buffer, 0, HEADER);
  const [format, now, nextFiringAt, startedAt, endedAt, cadenceDays, nullMask] = header;
  const [pauseCount, heldCount, mentorCount, menteeCount, activityCount, answerCount] = header.subarray(7);
  if (format !== FORMAT) return null;
  const doubles =
    HEADER + 2 * pauseCount + 3 * heldCount + 3 * (mentorCount + menteeCount) + activityCount + 2 * answerCount;
  if (encoded.byteLength !== 8 * doubles + mentorCount + menteeCount + activityCount) return null;

  let at = HEADER;
  const float64 = (length: number): Float64Array => {
    const view = new Float64Array(buffer, 8 * at, length);
    at += length;
    return view;
  };
  let byteAt = 8 * doubles;
  const uint8 = (length: number): Uint8Array => {
    const view = new Uint8Array(buffer, byteAt, length);
    byteAt += length;
    return view;
  };
  const pauses: PauseInterval[] = [];
  for (let i = 0; i < pauseCount; i++) {
    const [start, end] = float64(2);
    pauses.push({ start, end });
  }
  const heldMeetings: HeldMeetingGap[] = [];
  for (let i = 0; i < heldCount; i++) {
    const [heldAt, gapDays, credit] = float64(3);
    heldMeetings.push({ startedAt: heldAt, gapDays, credit });
  }
  const columns = (length: number): Omit<ItemColumns, 'component'> => ({
    at: float64(length),
    positive: float64(length),
    negative: float64(length),
  });
  const mentor = columns(mentorCount);
  const mentee = columns(menteeCount);
  const activityAt = float64(activityCount);
  const answers = { at: float64(answerCount), rating: float64(answerCount) };
  const trust: Record<TrustDirection, ItemColumns> = {
    MENTEE_IN_MENTOR: {
      at: mentor.at,
      component: uint8(mentorCount),
      positive: mentor.positive,
      negative: mentor.negative,
    },
    MENTOR_IN_MENTEE: {
      at: mentee.at,
      component: uint8(menteeCount),
      positive: mentee.positive,
      negative: mentee.negative,
    },
  };
  return {
    policy,
    relationshipId,
    now,
    nextFiringAt,
    startedAt: nullMask & NULL_STARTED ? null : startedAt,
    endedAt: nullMask & NULL_ENDED ? null : endedAt,
    cadenceDays: nullMask & NULL_CADENCE ? null : cadenceDays,
    pauses,
    heldMeetings,
    trust,
    activity: { at: activityAt, kind: uint8(activityCount) },
    organizationAnswers: answers,
  };
}
