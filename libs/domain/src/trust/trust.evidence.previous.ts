// The implementation before the split, kept only to prove the new one identical (trust.evidence.equivalence.spec.ts).
import { assertNever } from '../shared/decider';
import { MS_PER_DAY, MS_PER_HOUR, toMillis, type Instant } from '../shared/instant';
import type {
  MeetingCancelled,
  MeetingHeld,
  MeetingMissed,
  MentorMotivesAssessed,
  Party,
  PromiseKept,
  PromiseRenegotiated,
  TrustCheckInSubmitted,
} from '../relationship/relationship.events';
import {
  TRUST_POLICY_V1,
  type TrustComponent,
  type TrustDirection,
  type TrustPolicy,
  type TrustRule,
} from './trust.policy';
import {
  activeWithin,
  instantAfterActive,
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
export type ActivityKind =
  | 'promise-kept'
  | 'promise-failed'
  | 'meeting-held'
  | 'meeting-missed'
  | 'meeting-cancelled';

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

/** Trust about a party's behaviour is the other party's trust in them. */
export const directionJudging = (party: Party): TrustDirection =>
  party === 'MENTOR' ? 'MENTEE_IN_MENTOR' : 'MENTOR_IN_MENTEE';

/** A check-in answers for the respondent's own trust in the other party. */
export const directionOfRespondent = (respondent: Party): TrustDirection =>
  respondent === 'MENTEE' ? 'MENTEE_IN_MENTOR' : 'MENTOR_IN_MENTEE';

/** Negative once the meeting had already started. */
export const noticeHours = (startsAt: Instant, occurredAt: InstantInput): number =>
  (toMillis(startsAt) - instantToMs(occurredAt)) / MS_PER_HOUR;

export const cadenceCredit = (gapDays: number, cadenceDays: number, policy: TrustPolicy = TRUST_POLICY_V1): number => {
  const { fullCreditUpTo, noCreditFrom } = policy.cadence;
  if (gapDays <= fullCreditUpTo * cadenceDays) return 1;
  if (gapDays >= noCreditFrom * cadenceDays) return 0;
  return (noCreditFrom * cadenceDays - gapDays) / ((noCreditFrom - fullCreditUpTo) * cadenceDays);
};

export const deriveEvidence = (
  facts: readonly RelationshipFact[],
  now: InstantInput,
  policy: TrustPolicy = TRUST_POLICY_V1,
): RelationshipEvidence => new EvidenceReplay(orderFacts(facts), instantToMs(now), policy).run();

const BOTH_PARTIES: readonly Party[] = ['MENTOR', 'MENTEE'];

interface TrackedPromise {
  readonly promisor: Party;
  readonly madePosition: bigint;
  /** The due date in force (ms) and since when it has been. */
  dueAt: number;
  dueSince: number;
  overdueFired: boolean;
}

type Firing = { kind: 'overdue'; at: number; promise: TrackedPromise } | { kind: 'gap'; at: number };

// One pass over the facts in replay order. Before each fact, the time-triggered
// rules due strictly before its instant fire; at equal instants stored facts
// come first, so a meeting held or a promise kept at the very instant a rule
// would fire prevents the firing.
class EvidenceReplay {
  private readonly items: EvidenceItem[] = [];
  private readonly heldMeetings: HeldMeetingGap[] = [];
  private readonly activity: ActivityMark[] = [];
  private readonly organizationAnswers: OrganizationAnswer[] = [];
  private readonly promises = new Map<string, TrackedPromise>();
  /** Promises that may still become overdue: open, and not yet judged overdue. */
  private readonly watched = new Set<TrackedPromise>();
  private readonly startedAt: number | null;
  private readonly endedAt: number | null;
  private readonly cadenceDays: number | null;
  private readonly relationshipId: string | null;
  private readonly pauses: PauseInterval[];
  private step = 0;
  private running = false;
  /** Start of the open cadence gap: the last held meeting's start, or the relationship's. */
  private gapAnchor = 0;
  private gapMultiple = 0;
  private nextGapAt = Infinity;
  /** The earliest firing held back because it lies after now. */
  private firstHeldBack = Infinity;
  /** The latest cancellation or absence, for charging a cadence gap. */
  private lastBlame: { at: number; parties: readonly Party[] } | null = null;

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

  // Overdue firings come before a cadence gap at the same instant, and among
  // themselves in the order the promises were made.
  private nextFiring(): Firing | null {
    const grace = this.policy.promises.graceDays * MS_PER_DAY;
    let next: Firing | null = null;
    for (const promise of this.watched) {
      const at = promise.dueAt + grace;
      // A due date already long past when it came into force was never open at its deadline.
      if (at < promise.dueSince) continue;
      if (
        next === null ||
        at < next.at ||
        (at === next.at && next.kind === 'overdue' && promise.madePosition < next.promise.madePosition)
      ) {
        next = { kind: 'overdue', at, promise };
      }
    }
    if (next === null || this.nextGapAt < next.at) {
      return this.nextGapAt === Infinity ? next : { kind: 'gap', at: this.nextGapAt };
    }
    return next;
  }

  private fireOverdue(at: number, promise: TrackedPromise): void {
    promise.overdueFired = true;
    this.watched.delete(promise);
    this.activity.push({ at, kind: 'promise-failed' });
    this.emit(at, directionJudging(promise.promisor), 'promise.overdue', null);
  }

  private fireGap(at: number): void {
    const blame = this.lastBlame !== null && this.lastBlame.at >= this.gapAnchor ? this.lastBlame.parties : [];
    const charged = blame.length === 1 ? blame : BOTH_PARTIES;
    for (const party of charged) this.emit(at, directionJudging(party), 'cadence.gap', null);
    this.gapMultiple += this.policy.cadence.gapRepeatsEvery;
    this.scheduleGap();
  }

  private restartCadenceClock(at: number): void {
    this.gapAnchor = at;
    this.gapMultiple = this.policy.cadence.noCreditFrom;
    this.scheduleGap();
  }

  private scheduleGap(): void {
    const cadence = this.cadenceDays ?? 0;
    this.nextGapAt =
      cadence > 0
        ? instantAfterActive(this.pauses, this.gapAnchor, this.gapMultiple * cadence * MS_PER_DAY)
        : Infinity;
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
          this.restartCadenceClock(at);
        }
        return;
      case 'MentorMotivesAssessed':
        return this.assessMotives(at, event, fact);
      case 'PromiseMade': {
        const promise: TrackedPromise = {
          promisor: event.data.promisor,
          madePosition: fact.position,
          dueAt: toMillis(event.data.dueAt),
          dueSince: at,
          overdueFired: false,
        };
        this.promises.set(event.data.promiseId, promise);
        this.watched.add(promise);
        return;
      }
      case 'PromiseRenegotiated':
        return this.renegotiate(at, event, fact);
      case 'PromiseKept':
        return this.keep(at, event, fact);
      case 'PromiseBroken': {
        const promise = this.settle(event.data.promiseId);
        if (promise?.overdueFired) return;
        this.activity.push({ at, kind: 'promise-failed' });
        return this.emit(at, directionJudging(event.data.promisor), 'promise.broken', fact);
      }
      case 'MeetingScheduled':
        return this.emit(at, directionJudging(event.data.scheduledBy), 'meeting.initiative', fact);
      case 'MeetingRescheduled':
        if (noticeHours(event.data.previousStartsAt, at) < this.policy.meetings.ampleNoticeHours) {
          this.emit(at, directionJudging(event.data.by), 'meeting.rescheduled-late', fact);
        }
        return;
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

  private assessMotives(at: number, event: MentorMotivesAssessed, fact: RelationshipFact): void {
    const { menteeDevelopmentFirst, primaryMotive } = event.data;
    const developmentFirst =
      menteeDevelopmentFirst && this.policy.motives.developmentFirst.includes(primaryMotive);
    this.emit(at, 'MENTEE_IN_MENTOR', developmentFirst ? 'motives.development-first' : 'motives.self-first', fact);
  }

  private renegotiate(at: number, event: PromiseRenegotiated, fact: RelationshipFact): void {
    const { previousDueAt, newDueAt, promiseId, promisor } = event.data;
    const late = at > toMillis(previousDueAt);
    this.emit(at, directionJudging(promisor), late ? 'promise.renegotiated-late' : 'promise.renegotiated', fact);
    const promise = this.promises.get(promiseId);
    if (promise !== undefined) {
      promise.dueAt = toMillis(newDueAt);
      promise.dueSince = at;
    }
  }

  private keep(at: number, event: PromiseKept, fact: RelationshipFact): void {
    const { dueAt, promiseId, promisor } = event.data;
    this.settle(promiseId);
    this.activity.push({ at, kind: 'promise-kept' });
    const due = toMillis(dueAt);
    const rule: TrustRule =
      at <= due
        ? 'promise.kept-on-time'
        : at <= due + this.policy.promises.graceDays * MS_PER_DAY
          ? 'promise.kept-late'
          : 'promise.kept-very-late';
    this.emit(at, directionJudging(promisor), rule, fact);
  }

  /** A kept or broken promise can no longer become overdue. */
  private settle(promiseId: string): TrackedPromise | undefined {
    const promise = this.promises.get(promiseId);
    if (promise !== undefined) this.watched.delete(promise);
    return promise;
  }

  private cancel(at: number, event: MeetingCancelled, fact: RelationshipFact): void {
    const { startsAt, by } = event.data;
    const notice = noticeHours(startsAt, at);
    const { ampleNoticeHours, lastMinuteNoticeHours } = this.policy.meetings;
    const rule: TrustRule =
      notice >= ampleNoticeHours
        ? 'meeting.cancelled'
        : notice >= lastMinuteNoticeHours
          ? 'meeting.cancelled-late'
          : 'meeting.cancelled-last-minute';
    this.activity.push({ at, kind: 'meeting-cancelled' });
    this.lastBlame = { at, parties: [by] };
    this.emit(at, directionJudging(by), rule, fact);
  }

  private hold(at: number, event: MeetingHeld, fact: RelationshipFact): void {
    this.activity.push({ at, kind: 'meeting-held' });
    this.judgeLateness(at, 'MENTOR', event.data.mentorMinutesLate, fact);
    this.judgeLateness(at, 'MENTEE', event.data.menteeMinutesLate, fact);
    if (!this.running || this.cadenceDays === null) return;
    const gapDays = activeWithin(this.pauses, this.gapAnchor, at) / MS_PER_DAY;
    const credit = cadenceCredit(gapDays, this.cadenceDays, this.policy);
    this.heldMeetings.push({ startedAt: at, gapDays, credit });
    if (credit > 0) {
      for (const party of BOTH_PARTIES) this.emit(at, directionJudging(party), 'cadence.kept', fact, credit);
    }
    this.restartCadenceClock(at);
  }

  private judgeLateness(at: number, party: Party, minutesLate: number, fact: RelationshipFact): void {
    const { punctualUpToMinutesLate, lateUpToMinutesLate } = this.policy.meetings;
    const rule: TrustRule =
      minutesLate <= punctualUpToMinutesLate
        ? 'meeting.punctual'
        : minutesLate <= lateUpToMinutesLate
          ? 'meeting.late'
          : 'meeting.very-late';
    this.emit(at, directionJudging(party), rule, fact);
  }

  private miss(at: number, event: MeetingMissed, fact: RelationshipFact): void {
    this.activity.push({ at, kind: 'meeting-missed' });
    const absent = BOTH_PARTIES.filter((party) => event.data.absent.includes(party));
    if (absent.length > 0) this.lastBlame = { at, parties: absent };
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
    const { neutralRating, halfRange, weight } = this.policy.checkIn;
    for (const [rule, component, rating] of answers) {
      const v = (rating - neutralRating) / halfRange;
      this.push(at, direction, component, weight * (1 + v), weight * (1 - v), rule, fact);
    }
  }

  // ---- output ----

  private emit(
    at: number,
    direction: TrustDirection,
    rule: Exclude<TrustRule, `checkin.${string}`>,
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
