import { MS_PER_DAY } from '../shared/instant';
import type { RelationshipEvidence } from './trust.evidence';
import type { TrustPolicy } from './trust.policy';
import { scoringInstant } from './trust.score';
import { mean, median, populationStdDev } from './trust.statistics';
import { activeWithin, instantToMs, type InstantInput } from './trust.timeline';

export interface Cadence {
  readonly agreedDays: number;
  readonly meetingsHeld: number;
  readonly medianGapDays: number | null;
  /** Null before the relationship started. */
  readonly currentGapDays: number | null;
  /** 0..100 */
  readonly score: number;
  readonly needsCheckIn: boolean;
  readonly inactive: boolean;
}

/**
 * How well a series of gaps keeps the agreed cadence: enough credit, regular
 * (low coefficient of variation) and frequent (median gap near the cadence).
 */
export const cadenceScore = (
  recent: ReadonlyArray<{ readonly gapDays: number; readonly credit: number }>,
  agreedDays: number,
  policy: TrustPolicy,
): number => {
  if (recent.length === 0) return 0;
  const gaps = recent.map((meeting) => meeting.gapDays);
  const meanCredit = mean(recent.map((meeting) => meeting.credit)) ?? 0;
  const meanGap = mean(gaps) ?? 0;
  const variation = gaps.length < 2 || meanGap === 0 ? 0 : (populationStdDev(gaps) ?? 0) / meanGap;
  const medianGap = median(gaps) ?? 0;
  const frequency = medianGap === 0 ? 1 : Math.min(1, agreedDays / medianGap);
  const weights = policy.cadence.scoreWeights;
  return (
    100 *
    (weights.credit * meanCredit + weights.regularity * (1 - Math.min(1, variation)) + weights.frequency * frequency)
  );
};

/** What the cadence reads: the whole evidence, or an EvidenceSummary. */
export type CadenceEvidence = Pick<
  RelationshipEvidence,
  'policy' | 'now' | 'startedAt' | 'endedAt' | 'cadenceDays' | 'pauses' | 'heldMeetings'
>;

export const cadenceAsOf = (
  evidence: CadenceEvidence,
  asOf: InstantInput = evidence.now,
  policy: TrustPolicy = evidence.policy,
): Cadence => {
  const requested = instantToMs(asOf);
  const at = scoringInstant(evidence, requested);
  const agreedDays = evidence.cadenceDays ?? 0;
  const held = evidence.heldMeetings.filter((meeting) => meeting.startedAt <= at);
  const gaps = held.map((meeting) => meeting.gapDays);

  let currentGapDays: number | null = null;
  if (evidence.startedAt !== null && at >= evidence.startedAt) {
    const anchor = held.length > 0 ? held[held.length - 1].startedAt : evidence.startedAt;
    currentGapDays = activeWithin(evidence.pauses, anchor, at) / MS_PER_DAY;
  }
  // An ended relationship needs no check-in: its clock has stopped.
  const open = evidence.endedAt === null || evidence.endedAt > requested;
  const openGap = open && currentGapDays !== null ? currentGapDays : null;

  return {
    agreedDays,
    meetingsHeld: held.length,
    medianGapDays: median(gaps),
    currentGapDays,
    score: cadenceScore(held.slice(-policy.cadence.recentGaps), agreedDays, policy),
    needsCheckIn: openGap !== null && openGap > policy.cadence.needsCheckInAfter * agreedDays,
    inactive: openGap !== null && openGap > policy.cadence.inactiveAfterDays,
  };
};
