import { MS_PER_DAY, MS_PER_HOUR, fromMillis } from '../shared/instant';
import type { Motive, Party, RelationshipEvent } from '../relationship/relationship.events';
import type { RelationshipFact } from './trust.timeline';
import { noticeHours } from './trust.evidence';

// Test-only helpers: build a relationship's stored history in a few readable
// lines. Instants are ms; positions follow the order of the calls, so a call
// with an earlier instant than the one before it is a back-dated fact.

export const days = (n: number): number => n * MS_PER_DAY;
export const hours = (n: number): number => n * MS_PER_HOUR;
export const minutes = (n: number): number => n * 60_000;

/** Monday 6 January 2025, 09:00 UTC. */
export const T0 = Date.parse('2025-01-06T09:00:00.000Z');

export interface HistoryOptions {
  readonly relationshipId?: string;
  readonly cadenceDays?: number;
  readonly startedAt?: number;
  readonly firstPosition?: bigint;
}

export class RelationshipHistory {
  readonly relationshipId: string;
  private readonly recorded: RelationshipFact[] = [];
  private position: bigint;
  private readonly promises = new Map<string, { promisor: Party; dueAt: number }>();
  private readonly meetings = new Map<string, number>();

  constructor(options: HistoryOptions = {}) {
    this.relationshipId = options.relationshipId ?? 'rel-1';
    this.position = options.firstPosition ?? 1n;
    this.record({
      type: 'RelationshipStarted',
      data: {
        relationshipId: this.relationshipId,
        programId: 'program-1',
        mentorId: 'mentor-1',
        menteeId: 'mentee-1',
        cadenceDays: options.cadenceDays ?? 14,
        occurredAt: fromMillis(options.startedAt ?? T0),
      },
    });
  }

  get facts(): RelationshipFact[] {
    return [...this.recorded];
  }

  /** The last fact recorded, e.g. to compare with an evidence item's cause. */
  get last(): RelationshipFact {
    return this.recorded[this.recorded.length - 1];
  }

  record(event: RelationshipEvent): this {
    this.recorded.push({
      eventId: `event-${this.position}`,
      position: this.position,
      revision: this.recorded.length,
      recordedAt: fromMillis(Date.parse(event.data.occurredAt)),
      event,
    });
    this.position += 1n;
    return this;
  }

  motives(at: number, primaryMotive: Motive, menteeDevelopmentFirst: boolean): this {
    return this.record({
      type: 'MentorMotivesAssessed',
      data: { ...this.ids(), primaryMotive, menteeDevelopmentFirst, note: null, occurredAt: fromMillis(at) },
    });
  }

  promise(at: number, promiseId: string, promisor: Party, dueAt: number): this {
    this.promises.set(promiseId, { promisor, dueAt });
    return this.record({
      type: 'PromiseMade',
      data: { ...this.ids(), promiseId, promisor, description: 'a promise', dueAt: fromMillis(dueAt), occurredAt: fromMillis(at) },
    });
  }

  renegotiate(at: number, promiseId: string, newDueAt: number): this {
    const promise = this.promiseOf(promiseId);
    const previousDueAt = promise.dueAt;
    promise.dueAt = newDueAt;
    return this.record({
      type: 'PromiseRenegotiated',
      data: {
        ...this.ids(),
        promiseId,
        promisor: promise.promisor,
        previousDueAt: fromMillis(previousDueAt),
        newDueAt: fromMillis(newDueAt),
        occurredAt: fromMillis(at),
      },
    });
  }

  keep(at: number, promiseId: string): this {
    const { promisor, dueAt } = this.promiseOf(promiseId);
    return this.record({
      type: 'PromiseKept',
      data: { ...this.ids(), promiseId, promisor, dueAt: fromMillis(dueAt), occurredAt: fromMillis(at) },
    });
  }

  break(at: number, promiseId: string): this {
    const { promisor, dueAt } = this.promiseOf(promiseId);
    return this.record({
      type: 'PromiseBroken',
      data: { ...this.ids(), promiseId, promisor, dueAt: fromMillis(dueAt), reason: null, occurredAt: fromMillis(at) },
    });
  }

  schedule(at: number, meetingId: string, startsAt: number, scheduledBy: Party): this {
    this.meetings.set(meetingId, startsAt);
    return this.record({
      type: 'MeetingScheduled',
      data: {
        ...this.ids(),
        meetingId,
        startsAt: fromMillis(startsAt),
        durationMinutes: 60,
        mode: 'VIRTUAL',
        scheduledBy,
        occurredAt: fromMillis(at),
      },
    });
  }

  reschedule(at: number, meetingId: string, newStartsAt: number, by: Party): this {
    const previousStartsAt = this.startOf(meetingId);
    this.meetings.set(meetingId, newStartsAt);
    return this.record({
      type: 'MeetingRescheduled',
      data: {
        ...this.ids(),
        meetingId,
        previousStartsAt: fromMillis(previousStartsAt),
        newStartsAt: fromMillis(newStartsAt),
        by,
        occurredAt: fromMillis(at),
      },
    });
  }

  cancel(at: number, meetingId: string, by: Party): this {
    return this.record({
      type: 'MeetingCancelled',
      data: {
        ...this.ids(),
        meetingId,
        startsAt: fromMillis(this.startOf(meetingId)),
        by,
        reason: null,
        noticeHours: noticeHours(fromMillis(this.startOf(meetingId)), at),
        occurredAt: fromMillis(at),
      },
    });
  }

  /** A meeting held at `startedAt`, recorded two hours later unless told otherwise. */
  held(
    startedAt: number,
    late: { mentor?: number; mentee?: number; meetingId?: string; recordedAt?: number } = {},
  ): this {
    return this.record({
      type: 'MeetingHeld',
      data: {
        ...this.ids(),
        meetingId: late.meetingId ?? `meeting-at-${startedAt}`,
        startedAt: fromMillis(startedAt),
        durationMinutes: 60,
        mentorMinutesLate: late.mentor ?? 0,
        menteeMinutesLate: late.mentee ?? 0,
        occurredAt: fromMillis(late.recordedAt ?? startedAt + hours(2)),
      },
    });
  }

  missed(startsAt: number, absent: Party[], meetingId = `meeting-at-${startsAt}`): this {
    return this.record({
      type: 'MeetingMissed',
      data: { ...this.ids(), meetingId, startsAt: fromMillis(startsAt), absent, occurredAt: fromMillis(startsAt + hours(1)) },
    });
  }

  checkIn(
    at: number,
    respondent: Party,
    ratings: { ability: number; benevolence: number; integrity: number; organization?: number },
  ): this {
    return this.record({
      type: 'TrustCheckInSubmitted',
      data: {
        ...this.ids(),
        checkInId: `check-in-${this.position}`,
        respondent,
        ability: ratings.ability,
        benevolence: ratings.benevolence,
        integrity: ratings.integrity,
        openness: null,
        organization: ratings.organization ?? null,
        occurredAt: fromMillis(at),
      },
    });
  }

  pause(at: number, until: number | null = null): this {
    return this.record({
      type: 'RelationshipPaused',
      data: { ...this.ids(), until: until === null ? null : fromMillis(until), reason: null, occurredAt: fromMillis(at) },
    });
  }

  resume(at: number): this {
    return this.record({ type: 'RelationshipResumed', data: { ...this.ids(), occurredAt: fromMillis(at) } });
  }

  end(at: number): this {
    return this.record({
      type: 'RelationshipEnded',
      data: { ...this.ids(), endedBy: 'PROGRAM', reason: 'COMPLETED', planned: true, occurredAt: fromMillis(at) },
    });
  }

  private ids(): { relationshipId: string } {
    return { relationshipId: this.relationshipId };
  }

  private promiseOf(promiseId: string): { promisor: Party; dueAt: number } {
    const promise = this.promises.get(promiseId);
    if (promise === undefined) throw new Error(`No promise ${promiseId} in this history`);
    return promise;
  }

  private startOf(meetingId: string): number {
    const startsAt = this.meetings.get(meetingId);
    if (startsAt === undefined) throw new Error(`No meeting ${meetingId} in this history`);
    return startsAt;
  }
}
