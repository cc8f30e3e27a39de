import { fromMillis, type Instant } from '../shared/instant';
import type { EvidenceItem, RelationshipEvidence } from './trust.evidence';
import type { TrustComponent, TrustDirection, TrustPolicy, TrustRule } from './trust.policy';
import { DecayingTally, scoringInstant, type TrustFigures } from './trust.score';
import { instantToMs, type InstantInput, type RelationshipFact } from './trust.timeline';

export interface Contribution {
  readonly rule: TrustRule;
  readonly component: TrustComponent;
  readonly positive: number;
  readonly negative: number;
}

export interface TrustPoint extends TrustFigures {
  readonly at: Instant;
  /** This point's score minus the same computation without its own items. */
  readonly delta: number;
  /** The stored event behind the point; null for a time-triggered rule. */
  readonly cause: RelationshipFact | null;
  readonly contributions: readonly Contribution[];
}

export interface TrajectoryRange {
  /** Inclusive bounds on the points' `at`; they select points and change no figure. */
  readonly from?: InstantInput;
  readonly to?: InstantInput;
}

export const contributionsOf = (items: readonly EvidenceItem[]): Contribution[] => {
  const grouped = new Map<string, { rule: TrustRule; component: TrustComponent; positive: number; negative: number }>();
  for (const { rule, component, positive, negative } of items) {
    const key = `${rule}|${component}`;
    const group = grouped.get(key);
    if (group === undefined) grouped.set(key, { rule, component, positive, negative });
    else {
      group.positive += positive;
      group.negative += negative;
    }
  }
  return [...grouped.values()];
};

// Evidence items arrive in replay order, which is the trajectory's order, and
// carry the step (event or firing) that produced them: one point per step.
const groupBySteps = (items: readonly EvidenceItem[]): EvidenceItem[][] => {
  const groups: EvidenceItem[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[0].step === item.step) last.push(item);
    else groups.push([item]);
  }
  return groups;
};

export const trustTrajectory = (
  evidence: RelationshipEvidence,
  direction: TrustDirection,
  range: TrajectoryRange = {},
  policy: TrustPolicy = evidence.policy,
): TrustPoint[] => {
  const from = range.from === undefined ? -Infinity : instantToMs(range.from);
  const to = range.to === undefined ? Infinity : instantToMs(range.to);
  const steps = groupBySteps(evidence.items.filter((item) => item.direction === direction));
  if (steps.length === 0) return [];

  const tally = new DecayingTally(policy, scoringInstant(evidence, steps[0][0].at));
  const points: TrustPoint[] = [];
  for (const own of steps) {
    const at = own[0].at;
    const scoredAt = scoringInstant(evidence, at);
    const selected = at >= from && at <= to;
    tally.advanceTo(scoredAt);
    const without = selected ? tally.figures() : null;
    // After the end the clock is stopped, so a later point's own items do not count.
    for (const item of own) if (item.at <= scoredAt) tally.add(item);
    if (without === null) continue;
    const figures = tally.figures();
    points.push({
      at: fromMillis(at),
      ...figures,
      delta: figures.score - without.score,
      cause: own[0].cause,
      contributions: contributionsOf(own),
    });
  }
  return points;
};
