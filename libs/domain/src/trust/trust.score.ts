import { MS_PER_DAY, fromMillis, type Instant } from '../shared/instant';
import { assertNever } from '../shared/decider';
import type { EvidenceItem, RelationshipEvidence } from './trust.evidence';
import type { TrustBand, TrustComponent, TrustDirection, TrustPolicy } from './trust.policy';
import { instantToMs, type InstantInput } from './trust.timeline';

/** The figures of a TrustScore or TrustPoint; components are expected values in [0, 1]. */
export interface TrustFigures {
  readonly score: number;
  readonly integrity: number;
  readonly benevolence: number;
  readonly ability: number;
  readonly uncertainty: number;
  readonly band: TrustBand;
}

export interface TrustScore extends TrustFigures {
  /** The instant asked for, even where the computation clamped it to the relationship's end. */
  readonly asOf: Instant;
}

export const bandOf = (score: number, uncertainty: number, policy: TrustPolicy): TrustBand => {
  const { tooEarlyAboveUncertainty, highFrom, steadyFrom, fragileFrom } = policy.bands;
  if (uncertainty > tooEarlyAboveUncertainty) return 'TOO_EARLY';
  if (score >= highFrom) return 'HIGH';
  if (score >= steadyFrom) return 'STEADY';
  if (score >= fragileFrom) return 'FRAGILE';
  return 'AT_RISK';
};

/** The scores' clock stops when the relationship ends. */
export const scoringInstant = (evidence: Pick<RelationshipEvidence, 'endedAt'>, asOf: number): number =>
  evidence.endedAt !== null && asOf > evidence.endedAt ? evidence.endedAt : asOf;

/**
 * Where each component's sums live in a DecayingTally (and in an
 * EvidenceSummary). A switch, not a lookup table: it runs once per evidence
 * item, and V8 compares the interned names faster than it looks them up.
 */
export const componentIndex = (component: TrustComponent): number => {
  switch (component) {
    case 'INTEGRITY':
      return 0;
    case 'BENEVOLENCE':
      return 1;
    case 'ABILITY':
      return 2;
    default:
      return assertNever(component);
  }
};
const [I, B, A] = [componentIndex('INTEGRITY'), componentIndex('BENEVOLENCE'), componentIndex('ABILITY')];

// Beta opinions with exponential forgetting. The running sums are kept as of
// the tally's instant and decayed as it moves forward, which equals weighing
// every item by 2^(−(t − at)/H) afresh, at a fraction of the cost when a
// trajectory or a trend evaluates many instants in order.
export class DecayingTally {
  private at: number;
  /** ln 2 / H: 2^(−Δ/H) = e^(−Δ·ln 2/H), and Math.exp is several times faster than `**` in V8. */
  private readonly decayPerMs: number;
  /** r and s per component, indexed by componentIndex. */
  private readonly positive = new Float64Array(3);
  private readonly negative = new Float64Array(3);

  constructor(
    private readonly policy: TrustPolicy,
    at: number,
  ) {
    this.at = at;
    this.decayPerMs = Math.LN2 / (policy.halfLifeDays * MS_PER_DAY);
  }

  /** Moves the tally's clock forward (never back). */
  advanceTo(at: number): void {
    if (at <= this.at) return;
    const decay = Math.exp(-(at - this.at) * this.decayPerMs);
    for (let k = 0; k < 3; k += 1) {
      this.positive[k] *= decay;
      this.negative[k] *= decay;
    }
    this.at = at;
  }

  /** Counts an item from the tally's instant; items from its future are the caller's to skip. */
  add(item: Pick<EvidenceItem, 'at' | 'component' | 'positive' | 'negative'>): void {
    this.addFigures(item.at, componentIndex(item.component), item.positive, item.negative);
  }

  /** The same for an item kept as columns (an EvidenceSummary's): `component` as componentIndex gives it. */
  addFigures(at: number, component: number, positive: number, negative: number): void {
    const weight = Math.exp(-(this.at - at) * this.decayPerMs);
    this.positive[component] += weight * positive;
    this.negative[component] += weight * negative;
  }

  figures(): TrustFigures {
    const score = this.score();
    const uncertainty = this.uncertainty();
    return {
      score,
      integrity: this.expectation(I, this.policy.baseRates.INTEGRITY),
      benevolence: this.expectation(B, this.policy.baseRates.BENEVOLENCE),
      ability: this.expectation(A, this.policy.baseRates.ABILITY),
      uncertainty,
      band: bandOf(score, uncertainty, this.policy),
    };
  }

  // score() and uncertainty() alone, as figures() computes them: a program
  // trend reads them hundreds of thousands of times and needs nothing else.

  score(): number {
    const { componentWeights } = this.policy;
    // Scaling each weight to percent first keeps round cases round (55, not 55.00000000000001).
    return (
      100 * componentWeights.INTEGRITY * this.expectation(I, this.policy.baseRates.INTEGRITY) +
      100 * componentWeights.BENEVOLENCE * this.expectation(B, this.policy.baseRates.BENEVOLENCE) +
      100 * componentWeights.ABILITY * this.expectation(A, this.policy.baseRates.ABILITY)
    );
  }

  uncertainty(): number {
    const w = this.policy.priorWeight;
    const { positive: r, negative: s } = this;
    return (w / (r[I] + s[I] + w) + w / (r[B] + s[B] + w) + w / (r[A] + s[A] + w)) / 3;
  }

  /** The expected value of component k: (r + W·a) / (r + s + W). */
  private expectation(k: number, baseRate: number): number {
    const w = this.policy.priorWeight;
    return (this.positive[k] + w * baseRate) / (this.positive[k] + this.negative[k] + w);
  }
}

/** The score of a set of items as of `at` exactly (no clamping): items after `at` are ignored. */
export const scoreItems = (
  items: Iterable<Pick<EvidenceItem, 'at' | 'component' | 'positive' | 'negative'>>,
  at: number,
  policy: TrustPolicy,
): TrustFigures => {
  const tally = new DecayingTally(policy, at);
  for (const item of items) if (item.at <= at) tally.add(item);
  return tally.figures();
};

export const trustFiguresAt = (
  evidence: RelationshipEvidence,
  direction: TrustDirection,
  asOf: number,
  policy: TrustPolicy = evidence.policy,
): TrustFigures =>
  scoreItems(
    evidence.items.filter((item) => item.direction === direction),
    scoringInstant(evidence, asOf),
    policy,
  );

export const trustScore = (
  evidence: RelationshipEvidence,
  direction: TrustDirection,
  asOf: InstantInput = evidence.now,
  policy: TrustPolicy = evidence.policy,
): TrustScore => {
  const asOfMs = instantToMs(asOf);
  return { asOf: fromMillis(asOfMs), ...trustFiguresAt(evidence, direction, asOfMs, policy) };
};
