import { assertNever } from '../shared/decider';
import { toMillis } from '../shared/instant';
import type {
  MeetingCancelled,
  MeetingHeld,
  MeetingMissed,
  Party,
  PromiseKept,
  PromiseRenegotiated,
  TrustCheckInSubmitted,
} from '../relationship/relationship.events';
import { CadenceClock } from './trust.cadence-clock';
import {
  cadenceCredit,
  cancellationRule,
  checkInFigures,
  directionJudging,
  directionOfRespondent,
  keptPromiseRule,
  latenessRule,
  motivesRule,
  noticeHours,
  renegotiationRule,
  rescheduleRule,
  type FiguredRule,
} from './trust.judgements';
import {
  TRUST_POLICY_V1,
  type TrustComponent,
  type TrustDirection,
  type TrustPolicy,
  type TrustRule,
} from './trust.policy';
import { PromiseWatch, type WatchedPromise } from './trust.promise-watch';
import {
  instantToMs,
  orderFacts,
  pauseIntervals,
  type InstantInput,
  type PauseInterval,
  type RelationshipFact,
  type TimedFact,
} from './trust.timeline';

export interface EvidenceItem {
  /** When the evidence counts from (ms). */
  readonly at: number;
  readonly direction: TrustDirection;
  readonly component: TrustComponent;
  readonly positive: number;
  readonly negative: number;
  readonly rule: TrustRule;
  /** The stored event behind the item; null for a time-triggered rule. */
  readonly cause: RelationshipFact | null;
  /**
   * Items sharing a step come from one event or one time-triggered firing.
   * Steps increase in replay order, which is also the trajectory's order.
   */
  readonly step: number;
}

export interface HeldMeetingGap {
  readonly startedAt: number;
  /** Days since the previous held meeting (or the start), paused days excluded. */
  readonly gapDays: number;
  /** Cadence credit c in [0, 1]. */
  readonly credit: number;
}

/** Facts the program trend counts, at their effective instant. */
export type ActivityKind = 'promise-kept' | 'promise-failed' | 'meeting-held' | 'meeting-missed' | 'meeting-cancelled';

export interface ActivityMark {
  readonly at: number;
  readonly kind: ActivityKind;
}

export interface OrganizationAnswer {
  readonly at: number;
  readonly rating: number;
}

/** Everything the scores, the trajectory, the cadence and the trends read, derived once from the facts. */
export interface RelationshipEvidence {
  readonly policy: TrustPolicy;
  readonly relationshipId: string | null;
  /** Time-triggered rules were evaluated up to this instant (ms). */
  readonly now: number;
  /**
   * Deriving the same facts as of any instant from `now` up to, not
   * including, this one gives the same evidence but for `now`; from this
   * instant on a time-triggered rule may fire. Infinity when none can without
   * a new fact. What lets a caller keep evidence instead of deriving it again.
   */
  readonly nextFiringAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly cadenceDays: number | null;
  readonly pauses: readonly PauseInterval[];
  /** In replay order: effective instant, then position, then time-triggered firings. */
  readonly items: readonly EvidenceItem[];
  /** Held meetings from the start on, by start. */
  readonly heldMeetings: readonly HeldMeetingGap[];
  readonly activity: readonly ActivityMark[];
  readonly organizationAnswers: readonly OrganizationAnswer[];
}

export const deriveEvidence = (
  facts: readonly RelationshipFact[],
  now: InstantInput,
  policy: TrustPolicy = TRUST_POLICY_V1,
): RelationshipEvidence => new EvidenceReplay(orderFacts(facts), instantToMs(now), policy).run();

const BOTH_PARTIES: readonly Party[] = ['MENTOR', 'MENTEE'];

type Firing = { kind: 'overdue'; at: number; promise: WatchedPromise } | { kind: 'gap'; at: number };

// One pass over the facts in replay order. Before each fact, the time-triggered
// rules due strictly before its instant fire; at equal instants stored facts
// come first, so a meeting held or a promise kept at the very instant a rule
// would fire prevents the firing. The promise watch and the cadence clock say
// when a rule is due; trust.judgements.ts says which rule a fact earns; the
// replay keeps the order and writes the evidence.
class EvidenceReplay {
  private readonly items: EvidenceItem[] = [];
  private readonly heldMeetings: HeldMeetingGap[] = [];
  private readonly activity: ActivityMark[] = [];
  private readonly organizationAnswers: OrganizationAnswer[] = [];
  private readonly promises: PromiseWatch;
  private readonly cadence: CadenceClock;
  private readonly startedAt: number | null;
  private readonly endedAt: number | null;
  private readonly cadenceDays: number | null;
  private readonly relationshipId: string | null;
  private readonly pauses: PauseInterval[];
  private step = 0;
  private running = false;
  /** The earliest firing held back because it lies after now. */
  private firstHeldBack = Infinity;

  constructor(
    private readonly ordered: readonly TimedFact[],
    private readonly now: number,
    private readonly policy: TrustPolicy,
  ) {
    const started = ordered.find(({ fact }) => fact.event.type === 'RelationshipStarted');
    const ended = ordered.find(({ fact }) => fact.event.type === 'RelationshipEnded');
    const startedEvent = started?.fact.event;
    this.startedAt = started?.at ?? null;
    this.endedAt = ended?.at ?? null;
    this.cadenceDays = startedEvent?.type === 'RelationshipStarted' ? startedEvent.data.cadenceDays : null;
    this.relationshipId = startedEvent?.data.relationshipId ?? null;
    this.pauses = pauseIntervals(ordered);
    this.promises = new PromiseWatch(policy);
    this.cadence = new CadenceClock(this.pauses, this.cadenceDays, policy);
  }

  run(): RelationshipEvidence {
    for (const timed of this.ordered) {
      this.fireRulesDueBefore(timed.at);
      this.apply(timed);
    }
    this.fireRulesDueBefore(Infinity);
    return {
      policy: this.policy,
      relationshipId: this.relationshipId,
      now: this.now,
      nextFiringAt: this.firstHeldBack,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      cadenceDays: this.cadenceDays,
      pauses: this.pauses,
      items: this.items,
      heldMeetings: this.heldMeetings,
      activity: this.activity,
      organizationAnswers: this.organizationAnswers,
    };
  }

  // ---- time-triggered rules ----

  /** Fires the rules due strictly before `limit`: only while the relationship lasts, and up to now. */
  private fireRulesDueBefore(limit: number): void {
    if (!this.running) return;
    for (;;) {
      const firing = this.nextFiring();
      if (firing === null || firing.at >= limit) return;
      if (this.endedAt !== null && firing.at >= this.endedAt) return;
      if (firing.at > this.now) {
        // It would fire for a later `now`: this evidence holds until then.
        this.firstHeldBack = Math.min(this.firstHeldBack, firing.at);
        return;
      }
      this.step += 1;
      if (firing.kind === 'overdue') this.fireOverdue(firing.at, firing.promise);
      else this.fireGap(firing.at);
    }
  }

  // Overdue firings come before a cadence gap at the same instant.
  private nextFiring(): Firing | null {
    const overdue = this.promises.nextOverdue();
    const gapAt = this.cadence.nextGapAt;
    if (overdue === null || gapAt < overdue.at) {
      return gapAt === Infinity ? null : { kind: 'gap', at: gapAt };
    }
    return { kind: 'overdue', at: overdue.at, promise: overdue.promise };
  }

  private fireOverdue(at: number, promise: WatchedPromise): void {
    this.promises.fireOverdue(promise);
    this.activity.push({ at, kind: 'promise-failed' });
    this.emit(at, directionJudging(promise.promisor), 'promise.overdue', null);
  }

  private fireGap(at: number): void {
    for (const party of this.cadence.fireGap()) this.emit(at, directionJudging(party), 'cadence.gap', null);
  }

  // ---- stored facts ----
  // Except for held and missed meetings, a fact's effective instant `at` is its occurredAt.

  private apply({ at, fact }: TimedFact): void {
    this.step += 1;
    const event = fact.event;
    switch (event.type) {
      case 'RelationshipStarted':
        if (!this.running && at === this.startedAt) {
          this.running = true;
          this.cadence.restart(at);
        }
        return;
      case 'MentorMotivesAssessed':
        return this.emit(at, 'MENTEE_IN_MENTOR', motivesRule(event.data, this.policy), fact);
      case 'PromiseMade':
        return this.promises.made(
          event.data.promiseId,
          event.data.promisor,
          fact.position,
          toMillis(event.data.dueAt),
          at,
        );
      case 'PromiseRenegotiated':
        return this.renegotiate(at, event, fact);
      case 'PromiseKept':
        return this.keep(at, event, fact);
      case 'PromiseBroken': {
        const promise = this.promises.settle(event.data.promiseId);
        if (promise?.overdueFired) return;
        this.activity.push({ at, kind: 'promise-failed' });
        return this.emit(at, directionJudging(event.data.promisor), 'promise.broken', fact);
      }
      case 'MeetingScheduled':
        return this.emit(at, directionJudging(event.data.scheduledBy), 'meeting.initiative', fact);
      case 'MeetingRescheduled': {
        const rule = rescheduleRule(noticeHours(event.data.previousStartsAt, at), this.policy);
        if (rule !== null) this.emit(at, directionJudging(event.data.by), rule, fact);
        return;
      }
      case 'MeetingCancelled':
        return this.cancel(at, event, fact);
      case 'MeetingHeld':
        return this.hold(at, event, fact);
      case 'MeetingMissed':
        return this.miss(at, event, fact);
      case 'TrustCheckInSubmitted':
        return this.checkIn(at, event, fact);
      case 'RelationshipPaused':
      case 'RelationshipResumed':
      case 'RelationshipEnded':
        // Pauses only stop the cadence clock (see pauseIntervals); the end
        // bounds time-triggered rules and the scores' clock.
        return;
      default:
        return assertNever(event);
    }
  }

  private renegotiate(at: number, event: PromiseRenegotiated, fact: RelationshipFact): void {
    const { previousDueAt, newDueAt, promiseId, promisor } = event.data;
    this.emit(at, directionJudging(promisor), renegotiationRule(at, toMillis(previousDueAt)), fact);
    this.promises.renegotiated(promiseId, toMillis(newDueAt), at);
  }

  private keep(at: number, event: PromiseKept, fact: RelationshipFact): void {
    const { dueAt, promiseId, promisor } = event.data;
    this.promises.settle(promiseId);
    this.activity.push({ at, kind: 'promise-kept' });
    this.emit(at, directionJudging(promisor), keptPromiseRule(at, toMillis(dueAt), this.policy), fact);
  }

  private cancel(at: number, event: MeetingCancelled, fact: RelationshipFact): void {
    const { startsAt, by } = event.data;
    const rule = cancellationRule(noticeHours(startsAt, at), this.policy);
    this.activity.push({ at, kind: 'meeting-cancelled' });
    this.cadence.blame(at, [by]);
    this.emit(at, directionJudging(by), rule, fact);
  }

  private hold(at: number, event: MeetingHeld, fact: RelationshipFact): void {
    this.activity.push({ at, kind: 'meeting-held' });
    this.emit(at, directionJudging('MENTOR'), latenessRule(event.data.mentorMinutesLate, this.policy), fact);
    this.emit(at, directionJudging('MENTEE'), latenessRule(event.data.menteeMinutesLate, this.policy), fact);
    if (!this.running || this.cadenceDays === null) return;
    const gapDays = this.cadence.gapDaysAt(at);
    const credit = cadenceCredit(gapDays, this.cadenceDays, this.policy);
    this.heldMeetings.push({ startedAt: at, gapDays, credit });
    if (credit > 0) {
      for (const party of BOTH_PARTIES) this.emit(at, directionJudging(party), 'cadence.kept', fact, credit);
    }
    this.cadence.restart(at);
  }

  private miss(at: number, event: MeetingMissed, fact: RelationshipFact): void {
    this.activity.push({ at, kind: 'meeting-missed' });
    const absent = BOTH_PARTIES.filter((party) => event.data.absent.includes(party));
    if (absent.length > 0) this.cadence.blame(at, absent);
    for (const party of absent) this.emit(at, directionJudging(party), 'meeting.no-show', fact);
  }

  private checkIn(at: number, event: TrustCheckInSubmitted, fact: RelationshipFact): void {
    const { respondent, ability, benevolence, integrity, organization } = event.data;
    if (organization !== null) this.organizationAnswers.push({ at, rating: organization });
    const direction = directionOfRespondent(respondent);
    const answers: ReadonlyArray<readonly [TrustRule, TrustComponent, number]> = [
      ['checkin.ability', 'ABILITY', ability],
      ['checkin.benevolence', 'BENEVOLENCE', benevolence],
      ['checkin.integrity', 'INTEGRITY', integrity],
    ];
    for (const [rule, component, rating] of answers) {
      const { positive, negative } = checkInFigures(rating, this.policy);
      this.push(at, direction, component, positive, negative, rule, fact);
    }
  }

  // ---- output ----

  private emit(
    at: number,
    direction: TrustDirection,
    rule: FiguredRule,
    cause: RelationshipFact | null,
    scale = 1,
  ): void {
    const figures = this.policy.rules[rule];
    this.push(at, direction, figures.component, scale * figures.positive, scale * figures.negative, rule, cause);
  }

  private push(
    at: number,
    direction: TrustDirection,
    component: TrustComponent,
    positive: number,
    negative: number,
    rule: TrustRule,
    cause: RelationshipFact | null,
  ): void {
    // Before the relationship started there is no evidence.
    if (!this.running) return;
    this.items.push({ at, direction, component, positive, negative, rule, cause, step: this.step });
  }
}
