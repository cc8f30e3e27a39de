import { MS_PER_DAY } from '../shared/instant';
import type { Party } from '../relationship/relationship.events';
import type { TrustPolicy } from './trust.policy';
import { activeWithin, instantAfterActive, type PauseInterval } from './trust.timeline';

const BOTH_PARTIES: readonly Party[] = ['MENTOR', 'MENTEE'];

/**
 * The relationship's cadence clock: how long since the last held meeting (or
 * the start), paused time excluded, when the next `cadence.gap` is due, and
 * who is to blame for the open gap. Instants are ms. Without an agreed cadence
 * no gap is ever due.
 */
export class CadenceClock {
  /** Start of the open gap: the last held meeting's start, or the relationship's. */
  private anchor = 0;
  /** The open gap's next firing, in agreed cadences after the anchor. */
  private multiple = 0;
  private nextGap = Infinity;
  /** The latest cancellation or absence. */
  private lastBlame: { at: number; parties: readonly Party[] } | null = null;

  constructor(
    private readonly pauses: readonly PauseInterval[],
    private readonly cadenceDays: number | null,
    private readonly policy: TrustPolicy,
  ) {}

  /** When the next `cadence.gap` is due; Infinity when none is. */
  get nextGapAt(): number {
    return this.nextGap;
  }

  /** A new gap opens at `at` (the start, or a held meeting's start): the first firing is `noCreditFrom` cadences on. */
  restart(at: number): void {
    this.anchor = at;
    this.multiple = this.policy.cadence.noCreditFrom;
    this.schedule();
  }

  /** Days of the open gap up to `at`, paused time excluded. */
  gapDaysAt(at: number): number {
    return activeWithin(this.pauses, this.anchor, at) / MS_PER_DAY;
  }

  /** A cancellation or an absence at `at`, by the parties given: the open gap may be theirs. */
  blame(at: number, parties: readonly Party[]): void {
    this.lastBlame = { at, parties };
  }

  /**
   * The gap due now fired: returns whom it is charged to (the one party who
   * most recently cancelled or stayed away within the open gap, else both) and
   * schedules the next firing `gapRepeatsEvery` cadences later.
   */
  fireGap(): readonly Party[] {
    const blame = this.lastBlame !== null && this.lastBlame.at >= this.anchor ? this.lastBlame.parties : [];
    const charged = blame.length === 1 ? blame : BOTH_PARTIES;
    this.multiple += this.policy.cadence.gapRepeatsEvery;
    this.schedule();
    return charged;
  }

  private schedule(): void {
    const cadence = this.cadenceDays ?? 0;
    this.nextGap =
      cadence > 0 ? instantAfterActive(this.pauses, this.anchor, this.multiple * cadence * MS_PER_DAY) : Infinity;
  }
}
