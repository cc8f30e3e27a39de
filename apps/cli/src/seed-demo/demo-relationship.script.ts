import {
  assertNever,
  fromMillis,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  type EndedBy,
  type EndReason,
  type Motive,
  type Party,
  type RelationshipCommand,
} from '@trustline/domain';
import {
  DEMO_TUNING,
  type Conduct,
  type ConductProfile,
  type DemoBehaviour,
  type MeetingOutcome,
  type PromiseOutcome,
  type Range,
} from './demo.tuning';
import {
  BROKEN_PROMISE_REASONS,
  CANCEL_REASONS,
  MENTEE_PROMISES,
  MENTOR_PROMISES,
  MOTIVE_NOTES,
  PAUSE_REASONS,
} from './demo.vocabulary';
import type { SeededRandom } from './seeded-random';

const T = DEMO_TUNING;

export interface EndPlan {
  /** Share of the relationship's life after which it ends. */
  after: number;
  endedBy: EndedBy;
  reason: EndReason;
  planned: boolean;
}

export interface PausePlan {
  /** Share of the relationship's life after which it pauses, at the end of the next meeting held. */
  after: number;
  /** True: the pause runs out by itself (`until`); false: it is resumed explicitly. */
  untilSet: boolean;
}

export interface RelationshipCast {
  relationshipId: string;
  programId: string;
  mentorId: string;
  menteeId: string;
  behaviour: DemoBehaviour;
  /** Whose conduct follows the behaviour; the other party behaves well throughout. */
  variableParty: Party;
  startAt: number;
  /** Nothing happens at or after it. */
  horizon: number;
  cadenceDays: number | null;
  motive: { primaryMotive: Motive; menteeDevelopmentFirst: boolean } | null;
  pause: PausePlan | null;
  end: EndPlan | null;
}

export interface ScriptedCommand {
  at: number;
  command: RelationshipCommand;
}

interface PendingMeeting {
  meetingId: string;
  scheduledAt: number;
  startsAt: number;
}

const otherParty = (party: Party): Party => (party === 'MENTOR' ? 'MENTEE' : 'MENTOR');
const pickIn = (random: SeededRandom, [min, max]: Range): number => random.between(min, max);

/**
 * Writes one relationship's life as commands in time order, so that executed
 * in that order every one of them is accepted by the relationship decider:
 * facts follow what they refer to, nothing but check-ins falls inside a
 * pause, and nothing follows the end.
 */
export class RelationshipScript {
  private readonly commands: ScriptedCommand[] = [];
  private readonly turnAt: number;
  private readonly endAt: number;
  /** Where the timeline stops: the end, or the horizon. */
  private readonly stopAt: number;
  private pending: PendingMeeting | null = null;
  private paused = false;
  /** Paused windows [from, to): check-ins may fall inside, nothing else. */
  private readonly pauses: [number, number][] = [];

  constructor(
    private readonly random: SeededRandom,
    private readonly cast: RelationshipCast,
  ) {
    const life = cast.horizon - cast.startAt;
    const turn = cast.behaviour === 'lapsing' ? T.lapseAfter : cast.behaviour === 'recovering' ? T.recoverAfter : null;
    this.turnAt = turn === null ? Infinity : cast.startAt + life * pickIn(random, turn);
    this.endAt = cast.end === null ? Infinity : cast.startAt + life * cast.end.after;
    this.stopAt = Math.min(cast.horizon, this.endAt);
  }

  write(): ScriptedCommand[] {
    const { cast, random } = this;
    const id = cast.relationshipId;
    this.add(cast.startAt, {
      type: 'StartRelationship',
      data: {
        relationshipId: id,
        programId: cast.programId,
        mentorId: cast.mentorId,
        menteeId: cast.menteeId,
        cadenceDays: cast.cadenceDays,
        occurredAt: '',
        // Read from their own streams by the command handler.
        program: null,
        mentor: null,
        mentee: null,
      },
    });
    if (cast.motive) {
      const at = cast.startAt + pickIn(random, T.motivesAssessedAfterDays) * MS_PER_DAY;
      if (at < this.stopAt) {
        this.add(at, {
          type: 'AssessMentorMotives',
          data: { relationshipId: id, ...cast.motive, note: random.pick(MOTIVE_NOTES), occurredAt: '' },
        });
      }
    }
    this.meetings();
    this.checkIns();
    this.ending();
    return this.commands.sort((a, b) => a.at - b.at);
  }

  /** Which way the variable party behaves at `at`. */
  private conductAt(at: number): Conduct {
    switch (this.cast.behaviour) {
      case 'steady':
      case 'promise-breaking':
        return 'good';
      case 'lapsing':
        return at < this.turnAt ? 'good' : 'poor';
      case 'recovering':
        return at < this.turnAt ? 'poor' : 'good';
      default:
        return assertNever(this.cast.behaviour);
    }
  }

  private profileAt(at: number): ConductProfile {
    return T.conduct[this.conductAt(at)];
  }

  private promiseProfileOf(promisor: Party, at: number): ConductProfile {
    if (promisor !== this.cast.variableParty) return T.conduct.good;
    return this.cast.behaviour === 'promise-breaking' ? T.conduct.poor : this.profileAt(at);
  }

  private add(at: number, command: RelationshipCommand): void {
    (command.data as { occurredAt: string }).occurredAt = fromMillis(Math.round(at));
    this.commands.push({ at: Math.round(at), command });
  }

  // ---- meetings ------------------------------------------------------------

  private meetings(): void {
    const { random, cast } = this;
    this.schedule(
      cast.startAt + 2 * MS_PER_HOUR,
      cast.startAt + pickIn(random, T.firstMeetingDays) * MS_PER_DAY,
      'MENTOR',
    );
    while (this.pending !== null) {
      const meeting = this.pending;
      const outcome = this.outcomeOf(meeting);
      const culprit = random.chance(T.culpritIsVariablePartyShare)
        ? cast.variableParty
        : otherParty(cast.variableParty);
      switch (outcome) {
        case 'cancelled':
        case 'cancelled-late':
        case 'cancelled-last-minute': {
          const at = meeting.startsAt - this.noticeFor(outcome, meeting)! * MS_PER_HOUR;
          if (at >= this.stopAt) return;
          this.add(at, {
            type: 'CancelMeeting',
            data: {
              relationshipId: cast.relationshipId,
              meetingId: meeting.meetingId,
              by: culprit,
              reason: random.pick(CANCEL_REASONS),
              occurredAt: '',
            },
          });
          this.pending = null;
          this.rebook(at + pickIn(random, T.rebookAfterCancellationHours) * MS_PER_HOUR, culprit);
          break;
        }
        case 'missed': {
          const at = meeting.startsAt + pickIn(random, T.missedRecordedHours) * MS_PER_HOUR;
          if (at >= this.stopAt) return;
          const absent: Party[] = random.chance(T.bothAbsentShare) ? ['MENTOR', 'MENTEE'] : [culprit];
          this.add(at, {
            type: 'RecordMeetingMissed',
            data: { relationshipId: cast.relationshipId, meetingId: meeting.meetingId, absent, occurredAt: '' },
          });
          this.pending = null;
          this.rebook(at + pickIn(random, T.rebookAfterNoShowHours) * MS_PER_HOUR, otherParty(culprit));
          break;
        }
        case 'rescheduled':
        case 'rescheduled-late': {
          const at = meeting.startsAt - this.noticeFor(outcome, meeting)! * MS_PER_HOUR;
          if (at >= this.stopAt) return;
          const newStartsAt = workingHour(meeting.startsAt + pickIn(random, T.rescheduleByDays) * MS_PER_DAY, random);
          this.add(at, {
            type: 'RescheduleMeeting',
            data: {
              relationshipId: cast.relationshipId,
              meetingId: meeting.meetingId,
              newStartsAt: fromMillis(newStartsAt),
              by: culprit,
              occurredAt: '',
            },
          });
          this.pending = { ...meeting, scheduledAt: at, startsAt: newStartsAt };
          if (!this.hold(this.pending, 'held', culprit)) return;
          break;
        }
        case 'held':
        case 'held-late':
          if (!this.hold(meeting, outcome, culprit)) return;
          break;
        default:
          assertNever(outcome);
      }
    }
  }

  // An outcome that needs more notice than the meeting was booked ahead is replaced by a plain meeting.
  private outcomeOf(meeting: PendingMeeting): MeetingOutcome {
    const outcome = this.random.weighted(this.profileAt(meeting.startsAt).meetings);
    return this.noticeFor(outcome, meeting) === null ? 'held' : outcome;
  }

  /** Hours of notice for a cancellation or reschedule, no earlier than the booking; null when impossible. */
  private noticeFor(outcome: MeetingOutcome, meeting: PendingMeeting): number | null {
    const range = noticeRange(outcome);
    if (range === null) return 0;
    const booked = (meeting.startsAt - meeting.scheduledAt) / MS_PER_HOUR - 0.5;
    if (booked < range[0]) return null;
    return this.random.between(range[0], Math.min(range[1], booked));
  }

  /** Records the meeting held, the promises made there, a pause if one is due, and books the next one. */
  private hold(meeting: PendingMeeting, outcome: 'held' | 'held-late', culprit: Party): boolean {
    const { random, cast } = this;
    const at = meeting.startsAt + (T.sessionMinutes + pickIn(random, T.heldRecordedMinutes)) * MS_PER_MINUTE;
    if (at >= this.stopAt) return false;
    const late = (party: Party): number =>
      Math.round(
        pickIn(random, outcome === 'held-late' && party === culprit ? T.minutesLate.late : T.minutesLate.punctual),
      );
    this.add(at, {
      type: 'RecordMeetingHeld',
      data: {
        relationshipId: cast.relationshipId,
        meetingId: meeting.meetingId,
        startedAt: null,
        durationMinutes: null,
        mentorMinutesLate: late('MENTOR'),
        menteeMinutesLate: late('MENTEE'),
        occurredAt: '',
      },
    });
    this.pending = null;
    if (this.pauseIsDue(at)) {
      this.pauseAfter(at);
      return true;
    }
    this.promisesAt(at);
    const gap = pickIn(random, this.profileAt(at).gapDays) * MS_PER_DAY;
    const by = random.chance(T.mentorSchedulesShare) ? 'MENTOR' : 'MENTEE';
    this.schedule(at + pickIn(random, T.bookNextMinutes) * MS_PER_MINUTE, meeting.startsAt + gap, by);
    return true;
  }

  private rebook(at: number, by: Party): void {
    this.schedule(at, at + pickIn(this.random, T.rebookDays) * MS_PER_DAY, by);
  }

  private schedule(at: number, startsAround: number, by: Party): void {
    if (at >= this.stopAt) return;
    const meetingId = this.random.uuid();
    const startsAt = workingHour(startsAround, this.random);
    this.add(at, {
      type: 'ScheduleMeeting',
      data: {
        relationshipId: this.cast.relationshipId,
        meetingId,
        startsAt: fromMillis(startsAt),
        durationMinutes: T.sessionMinutes,
        mode: this.random.chance(T.virtualShare) ? 'VIRTUAL' : 'IN_PERSON',
        scheduledBy: by,
        occurredAt: '',
      },
    });
    this.pending = { meetingId, scheduledAt: at, startsAt };
  }

  // ---- promises ------------------------------------------------------------

  private promisesAt(heldAt: number): void {
    const { random, cast } = this;
    const count = random.int(...T.promisesPerMeeting);
    for (let i = 0; i < count; i++) {
      const madeAt = heldAt + (i + 1) * MS_PER_MINUTE;
      if (madeAt >= this.stopAt) return;
      const variableShare = cast.behaviour === 'promise-breaking' ? T.promiseBreakerPromisesShare : 0.5;
      const promisor = random.chance(variableShare) ? cast.variableParty : otherParty(cast.variableParty);
      const promiseId = random.uuid();
      const dueAt = endOfWorkingDay(madeAt + pickIn(random, T.promiseDueDays) * MS_PER_DAY);
      this.add(madeAt, {
        type: 'MakePromise',
        data: {
          relationshipId: cast.relationshipId,
          promiseId,
          promisor,
          description: random.pick(promisor === 'MENTOR' ? MENTOR_PROMISES : MENTEE_PROMISES),
          dueAt: fromMillis(dueAt),
          occurredAt: '',
        },
      });
      this.settle(promiseId, madeAt, dueAt, random.weighted(this.promiseProfileOf(promisor, madeAt).promises));
    }
  }

  private settle(promiseId: string, madeAt: number, dueAt: number, outcome: PromiseOutcome): void {
    const { random } = this;
    const timing = T.promiseTiming;
    const relationshipId = this.cast.relationshipId;
    const keep = (at: number) =>
      this.addActivity(at, { type: 'KeepPromise', data: { relationshipId, promiseId, occurredAt: '' } });
    const renegotiate = (at: number, newDueAt: number) =>
      this.addActivity(at, {
        type: 'RenegotiatePromise',
        data: { relationshipId, promiseId, newDueAt: fromMillis(newDueAt), occurredAt: '' },
      });
    switch (outcome) {
      case 'on-time':
        keep(madeAt + pickIn(random, timing.keptOnTimeShare) * (dueAt - madeAt));
        break;
      case 'late':
        keep(dueAt + pickIn(random, timing.keptLateDays) * MS_PER_DAY);
        break;
      case 'very-late':
        keep(dueAt + pickIn(random, timing.keptVeryLateDays) * MS_PER_DAY);
        break;
      case 'renegotiated': {
        const at = madeAt + pickIn(random, timing.renegotiatedAtShare) * (dueAt - madeAt);
        const newDueAt = dueAt + timing.renegotiatedByDays * MS_PER_DAY;
        if (renegotiate(at, newDueAt)) keep(newDueAt - pickIn(random, timing.keptBeforeNewDueDays) * MS_PER_DAY);
        break;
      }
      case 'renegotiated-late': {
        const at = dueAt + pickIn(random, timing.renegotiatedLateDays) * MS_PER_DAY;
        const newDueAt = endOfWorkingDay(at + timing.renegotiatedByDays * MS_PER_DAY);
        if (renegotiate(at, newDueAt)) keep(newDueAt + pickIn(random, timing.keptAfterNewDueDays) * MS_PER_DAY);
        break;
      }
      case 'broken':
        this.addActivity(dueAt + pickIn(random, timing.brokenAfterDueDays) * MS_PER_DAY, {
          type: 'BreakPromise',
          data: { relationshipId, promiseId, reason: random.pick(BROKEN_PROMISE_REASONS), occurredAt: '' },
        });
        break;
      case 'left-open':
        break;
      default:
        assertNever(outcome);
    }
  }

  /**
   * A fact settled later than the meeting it came from: dropped when it would
   * fall after the end (the promise stays open). The meeting loop has not
   * placed the later pauses yet; pauseAfter moves such facts out of them.
   */
  private addActivity(at: number, command: RelationshipCommand): boolean {
    if (at >= this.stopAt) return false;
    this.add(at, command);
    return true;
  }

  // ---- pauses, check-ins, the end ------------------------------------------

  private pauseIsDue(at: number): boolean {
    const { pause, startAt, horizon } = this.cast;
    return pause !== null && !this.paused && at >= startAt + (horizon - startAt) * pause.after;
  }

  private pauseAfter(heldAt: number): void {
    const { random, cast } = this;
    this.paused = true;
    const from = heldAt + pickIn(random, T.pauseGapDays) * MS_PER_DAY;
    const to = from + pickIn(random, T.pauseDays) * MS_PER_DAY;
    // Keep some room after the pause for the relationship to pick up again.
    if (to + T.rebookDays[1] * MS_PER_DAY >= this.stopAt) {
      this.rebook(heldAt + MS_PER_HOUR, 'MENTOR');
      return;
    }
    this.moveOutOf(from, to);
    const relationshipId = cast.relationshipId;
    const reason = random.pick(PAUSE_REASONS);
    if (cast.pause?.untilSet) {
      this.add(from, {
        type: 'PauseRelationship',
        data: { relationshipId, until: fromMillis(Math.round(to)), reason, occurredAt: '' },
      });
    } else {
      this.add(from, { type: 'PauseRelationship', data: { relationshipId, until: null, reason, occurredAt: '' } });
      this.add(to, { type: 'ResumeRelationship', data: { relationshipId, occurredAt: '' } });
    }
    this.pauses.push([from, to]);
    this.rebook(to + pickIn(random, T.pauseGapDays) * MS_PER_DAY, 'MENTOR');
  }

  // Promise facts of earlier meetings that would fall inside the pause happen
  // after it instead, all by the same amount so they keep their order.
  private moveOutOf(from: number, to: number): void {
    const shift = to - from + MS_PER_DAY;
    const moved = this.commands.filter(({ at }) => at >= from);
    for (const entry of moved) {
      const { command } = entry;
      entry.at += shift;
      command.data.occurredAt = fromMillis(entry.at);
      if (command.type === 'RenegotiatePromise') {
        command.data.newDueAt = fromMillis(Date.parse(command.data.newDueAt) + shift);
      }
    }
    const dropped = new Set(moved.filter(({ at }) => at >= this.stopAt));
    if (dropped.size === 0) return;
    const kept = this.commands.filter((entry) => !dropped.has(entry));
    this.commands.splice(0, this.commands.length, ...kept);
  }

  private checkIns(): void {
    const { random, cast } = this;
    const respondents: Party[] = random.chance(T.mentorAnswersCheckInsShare) ? ['MENTEE', 'MENTOR'] : ['MENTEE'];
    for (const respondent of respondents) {
      let at = cast.startAt + pickIn(random, T.firstCheckInDays) * MS_PER_DAY;
      while (at < this.stopAt) {
        // Each answers about the other party: integrity follows their promises, the rest their meetings.
        const about = otherParty(respondent);
        const meetings = about === cast.variableParty ? this.profileAt(at) : T.conduct.good;
        const promises = this.promiseProfileOf(about, at);
        const rating = ([min, max]: Range) => random.int(min, max);
        const optional = () => (random.chance(T.optionalAnswerShare) ? rating(T.optionalRatings) : null);
        this.add(at, {
          type: 'SubmitTrustCheckIn',
          data: {
            relationshipId: cast.relationshipId,
            checkInId: random.uuid(),
            respondent,
            ability: rating(meetings.ratings),
            benevolence: rating(meetings.ratings),
            integrity: rating(promises.ratings),
            openness: optional(),
            organization: optional(),
            occurredAt: '',
          },
        });
        at += pickIn(random, T.checkInEveryDays) * MS_PER_DAY;
      }
    }
  }

  private ending(): void {
    const { end, relationshipId } = this.cast;
    if (end === null || this.endAt >= this.cast.horizon) return;
    // A meeting still booked is called off first, by whoever ends it (the mentor when the program does).
    const meeting = this.pending;
    const cancelAt = meeting === null ? null : Math.max(meeting.scheduledAt + MS_PER_MINUTE, this.endAt - MS_PER_HOUR);
    if (meeting !== null && cancelAt !== null && cancelAt < this.endAt && !this.isPausedAt(cancelAt)) {
      this.add(cancelAt, {
        type: 'CancelMeeting',
        data: {
          relationshipId,
          meetingId: meeting.meetingId,
          by: end.endedBy === 'PROGRAM' ? 'MENTOR' : end.endedBy,
          reason: 'The relationship is ending',
          occurredAt: '',
        },
      });
    }
    this.add(this.endAt, {
      type: 'EndRelationship',
      data: { relationshipId, endedBy: end.endedBy, reason: end.reason, planned: end.planned, occurredAt: '' },
    });
  }

  private isPausedAt(at: number): boolean {
    return this.pauses.some(([from, to]) => from <= at && at < to);
  }
}

function noticeRange(outcome: MeetingOutcome): Range | null {
  switch (outcome) {
    case 'rescheduled':
      return T.notice.rescheduled;
    case 'rescheduled-late':
      return T.notice.rescheduledLate;
    case 'cancelled':
      return T.notice.cancelled;
    case 'cancelled-late':
      return T.notice.cancelledLate;
    case 'cancelled-last-minute':
      return T.notice.cancelledLastMinute;
    case 'held':
    case 'held-late':
    case 'missed':
      return null;
    default:
      return assertNever(outcome);
  }
}

/** The same day at a random working hour (on the hour or half past), moved off weekends. */
function workingHour(at: number, random: SeededRandom): number {
  const day = new Date(Math.floor(at / MS_PER_DAY) * MS_PER_DAY);
  const weekday = day.getUTCDay();
  const shift = weekday === 6 ? 2 : weekday === 0 ? 1 : 0;
  const hour = random.int(T.workingHoursUtc[0], T.workingHoursUtc[1] - 1);
  return day.getTime() + shift * MS_PER_DAY + hour * MS_PER_HOUR + (random.chance(0.5) ? 30 : 0) * MS_PER_MINUTE;
}

const endOfWorkingDay = (at: number): number =>
  Math.floor(at / MS_PER_DAY) * MS_PER_DAY + T.workingHoursUtc[1] * MS_PER_HOUR;
