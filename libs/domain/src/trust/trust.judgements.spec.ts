import { fromMillis, MS_PER_DAY, MS_PER_HOUR } from '../shared/instant';
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
  overdueAt,
  putsMenteeDevelopmentFirst,
  renegotiationRule,
  rescheduleRule,
} from './trust.judgements';
import { TRUST_POLICY_V1 as V1 } from './trust.policy';

const T = Date.parse('2025-01-06T09:00:00.000Z');

describe('whose trust a fact speaks to', () => {
  it("judges a party's conduct in the other party's trust", () => {
    expect(directionJudging('MENTOR')).toBe('MENTEE_IN_MENTOR');
    expect(directionJudging('MENTEE')).toBe('MENTOR_IN_MENTEE');
  });

  it("takes a check-in as the respondent's own trust", () => {
    expect(directionOfRespondent('MENTEE')).toBe('MENTEE_IN_MENTOR');
    expect(directionOfRespondent('MENTOR')).toBe('MENTOR_IN_MENTEE');
  });
});

describe('the notice a meeting change gives', () => {
  it('is the hours from the change to the start, negative once the meeting had started', () => {
    expect(noticeHours(fromMillis(T + 3 * MS_PER_HOUR), T)).toBe(3);
    expect(noticeHours(fromMillis(T), fromMillis(T + 30 * 60_000))).toBe(-0.5);
  });

  it('makes a cancellation courteous from 48 h, late from 2 h, last-minute below', () => {
    expect([48, 47.99, 2, 1.99, -1].map((hours) => cancellationRule(hours, V1))).toEqual([
      'meeting.cancelled',
      'meeting.cancelled-late',
      'meeting.cancelled-late',
      'meeting.cancelled-last-minute',
      'meeting.cancelled-last-minute',
    ]);
  });

  it('makes a reschedule cost something only below 48 h', () => {
    expect(rescheduleRule(48, V1)).toBeNull();
    expect(rescheduleRule(47.99, V1)).toBe('meeting.rescheduled-late');
  });
});

describe("a mentor's motives", () => {
  it('put the mentee first only when said so with a development-first motive', () => {
    expect(putsMenteeDevelopmentFirst({ primaryMotive: 'GIVE_BACK', menteeDevelopmentFirst: true })).toBe(true);
    expect(putsMenteeDevelopmentFirst({ primaryMotive: 'GIVE_BACK', menteeDevelopmentFirst: false })).toBe(false);
    expect(putsMenteeDevelopmentFirst({ primaryMotive: 'EXPAND_NETWORK', menteeDevelopmentFirst: true })).toBe(false);
    expect(motivesRule({ primaryMotive: 'PASS_THE_TORCH', menteeDevelopmentFirst: true }, V1)).toBe(
      'motives.development-first',
    );
    expect(motivesRule({ primaryMotive: 'OTHER', menteeDevelopmentFirst: true }, V1)).toBe('motives.self-first');
  });

  it('read the policy given', () => {
    const policy = { ...V1, motives: { developmentFirst: ['OTHER' as const] } };
    expect(putsMenteeDevelopmentFirst({ primaryMotive: 'OTHER', menteeDevelopmentFirst: true }, policy)).toBe(true);
  });
});

describe('a promise', () => {
  const due = T + 10 * MS_PER_DAY;

  it('kept by its due date is on time, within the seven days of grace late, after them very late', () => {
    expect(keptPromiseRule(due, due, V1)).toBe('promise.kept-on-time');
    expect(keptPromiseRule(due + 1, due, V1)).toBe('promise.kept-late');
    expect(keptPromiseRule(due + 7 * MS_PER_DAY, due, V1)).toBe('promise.kept-late');
    expect(keptPromiseRule(due + 7 * MS_PER_DAY + 1, due, V1)).toBe('promise.kept-very-late');
  });

  it('is overdue when its grace has run out', () => {
    expect(overdueAt(due, V1)).toBe(due + 7 * MS_PER_DAY);
  });

  it('renegotiated up to its due date is cheap; afterwards, late', () => {
    expect(renegotiationRule(due, due)).toBe('promise.renegotiated');
    expect(renegotiationRule(due + 1, due)).toBe('promise.renegotiated-late');
  });
});

describe('lateness to a held meeting', () => {
  it('is punctual up to 5 minutes, late up to 10, very late beyond', () => {
    expect([0, 5, 6, 10, 11].map((minutes) => latenessRule(minutes, V1))).toEqual([
      'meeting.punctual',
      'meeting.punctual',
      'meeting.late',
      'meeting.late',
      'meeting.very-late',
    ]);
  });
});

describe('a check-in rating', () => {
  it('is 1 + v positive and 1 − v negative, v = (x − 3) / 2', () => {
    expect([1, 3, 4, 5].map((rating) => checkInFigures(rating, V1))).toEqual([
      { positive: 0, negative: 2 },
      { positive: 1, negative: 1 },
      { positive: 1.5, negative: 0.5 },
      { positive: 2, negative: 0 },
    ]);
  });
});

describe('the cadence credit of a gap', () => {
  it('is full up to 1.25 cadences, none from 2, in proportion between', () => {
    expect(cadenceCredit(17.5, 14)).toBe(1);
    expect(cadenceCredit(28, 14)).toBe(0);
    expect(cadenceCredit(22.75, 14)).toBeCloseTo(0.5, 12);
  });
});
