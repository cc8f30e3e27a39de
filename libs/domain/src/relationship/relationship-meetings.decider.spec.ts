import {
  at,
  cancelMeeting,
  DeciderSpecification,
  fixtureIds,
  meetingCancelled,
  meetingHeld,
  meetingMissed,
  meetingRescheduled,
  meetingScheduled,
  recordMeetingHeld,
  recordMeetingMissed,
  relationshipStarted,
  rescheduleMeeting,
  scheduleMeeting,
} from '@trustline/testing';
import { relationshipDecider } from './relationship.decider';

const spec = DeciderSpecification.for(relationshipDecider);

const started = relationshipStarted({ occurredAt: at(1) });
// Scheduled on day 2 by the mentee, for 90 minutes from day 8 at 10:00.
const scheduled = meetingScheduled({ occurredAt: at(2), startsAt: at(8, 10), durationMinutes: 90 });

describe('scheduling a meeting', () => {
  it('records when, how long, how and by whom', () => {
    spec.given([started]).when(scheduleMeeting()).then([meetingScheduled()]);
  });

  it('records a meeting in person scheduled by the mentor', () => {
    const meeting = { mode: 'IN_PERSON' as const, scheduledBy: 'MENTOR' as const, durationMinutes: 120 };
    spec
      .given([started])
      .when(scheduleMeeting(meeting))
      .then([meetingScheduled(meeting)]);
  });

  it('records a meeting that already took place, to record it as held next', () => {
    spec
      .given([started])
      .when(scheduleMeeting({ occurredAt: at(5), startsAt: at(4, 10) }))
      .then([meetingScheduled({ occurredAt: at(5), startsAt: at(4, 10) })]);
  });

  it('refuses a meeting starting before the relationship started', () => {
    spec
      .given([started])
      .when(scheduleMeeting({ startsAt: at(0, 10) }))
      .thenThrows({ rule: 'meeting.starts-before-relationship', kind: 'CONFLICT' });
  });

  it('refuses a second meeting with the same id', () => {
    spec
      .given([started, scheduled])
      .when(scheduleMeeting())
      .thenThrows({ rule: 'meeting.already-exists', kind: 'CONFLICT' });
  });
});

describe('a scheduled meeting', () => {
  const open = [started, scheduled];

  it('is rescheduled, naming the start it moves', () => {
    spec
      .given(open)
      .when(rescheduleMeeting({ occurredAt: at(4), newStartsAt: at(9, 10), by: 'MENTEE' }))
      .then([
        meetingRescheduled({ occurredAt: at(4), previousStartsAt: at(8, 10), newStartsAt: at(9, 10), by: 'MENTEE' }),
      ]);
  });

  it('is rescheduled after it should have started', () => {
    spec
      .given(open)
      .when(rescheduleMeeting({ occurredAt: at(8, 11), newStartsAt: at(9, 10) }))
      .then([meetingRescheduled({ occurredAt: at(8, 11), previousStartsAt: at(8, 10), newStartsAt: at(9, 10) })]);
  });

  it('cannot be moved before the relationship started', () => {
    spec
      .given(open)
      .when(rescheduleMeeting({ newStartsAt: at(0, 10) }))
      .thenThrows('meeting.starts-before-relationship');
  });

  it('is cancelled, naming the start it cancels', () => {
    spec
      .given(open)
      .when(cancelMeeting({ occurredAt: at(6, 10), by: 'MENTEE', reason: 'Sick' }))
      .then([meetingCancelled({ occurredAt: at(6, 10), startsAt: at(8, 10), by: 'MENTEE', reason: 'Sick' })]);
  });

  it('is cancelled after it should have started', () => {
    spec
      .given(open)
      .when(cancelMeeting({ occurredAt: at(8, 11) }))
      .then([meetingCancelled({ occurredAt: at(8, 11), startsAt: at(8, 10) })]);
  });

  it('is held as scheduled: from its start, for its scheduled duration', () => {
    spec
      .given(open)
      .when(recordMeetingHeld({ occurredAt: at(8, 12) }))
      .then([meetingHeld({ occurredAt: at(8, 12), startedAt: at(8, 10), durationMinutes: 90 })]);
  });

  it('is held as it really happened', () => {
    spec
      .given(open)
      .when(
        recordMeetingHeld({
          occurredAt: at(8, 12),
          startedAt: at(8, 10, 7),
          durationMinutes: 45,
          mentorMinutesLate: 7,
          menteeMinutesLate: 0,
        }),
      )
      .then([
        meetingHeld({
          occurredAt: at(8, 12),
          startedAt: at(8, 10, 7),
          durationMinutes: 45,
          mentorMinutesLate: 7,
          menteeMinutesLate: 0,
        }),
      ]);
  });

  it('is held from an earlier real start than scheduled', () => {
    spec
      .given(open)
      .when(recordMeetingHeld({ occurredAt: at(8, 12), startedAt: at(8, 9, 30) }))
      .then([meetingHeld({ occurredAt: at(8, 12), startedAt: at(8, 9, 30), durationMinutes: 90 })]);
  });

  it('is held when recorded at the very instant it starts', () => {
    spec
      .given(open)
      .when(recordMeetingHeld({ occurredAt: at(8, 10) }))
      .then([meetingHeld({ occurredAt: at(8, 10), startedAt: at(8, 10), durationMinutes: 90 })]);
  });

  it('cannot be held before it starts', () => {
    spec
      .given(open)
      .when(recordMeetingHeld({ occurredAt: at(8, 9, 59) }))
      .thenThrows({ rule: 'meeting.not-started', kind: 'CONFLICT' });
  });

  it('cannot be held with a real start after the moment it is recorded', () => {
    spec
      .given(open)
      .when(recordMeetingHeld({ occurredAt: at(8, 11), startedAt: at(8, 11, 1) }))
      .thenThrows('meeting.not-started');
  });

  it('cannot be held from a real start before the relationship started', () => {
    spec
      .given([started, meetingScheduled({ occurredAt: at(1), startsAt: at(1) })])
      .when(recordMeetingHeld({ occurredAt: at(1, 2), startedAt: at(0, 23) }))
      .thenThrows('meeting.starts-before-relationship');
  });

  it('is missed by the mentee', () => {
    spec
      .given(open)
      .when(recordMeetingMissed({ occurredAt: at(8, 12), absent: ['MENTEE'] }))
      .then([meetingMissed({ occurredAt: at(8, 12), startsAt: at(8, 10), absent: ['MENTEE'] })]);
  });

  it('is missed by both', () => {
    spec
      .given(open)
      .when(recordMeetingMissed({ absent: ['MENTOR', 'MENTEE'] }))
      .then([meetingMissed({ absent: ['MENTOR', 'MENTEE'] })]);
  });

  it('cannot be missed before it starts', () => {
    spec
      .given(open)
      .when(recordMeetingMissed({ occurredAt: at(8, 9) }))
      .thenThrows('meeting.not-started');
  });

  it('cannot be missed by nobody', () => {
    spec
      .given(open)
      .when(recordMeetingMissed({ absent: [] }))
      .thenThrows({ rule: 'meeting.absent-required', kind: 'CONFLICT' });
  });

  it('cannot be missed by the same party twice over', () => {
    spec
      .given(open)
      .when(recordMeetingMissed({ absent: ['MENTOR', 'MENTOR'] }))
      .thenThrows('meeting.absent-duplicate');
  });

  it.each([
    ['rescheduled', rescheduleMeeting({ occurredAt: at(1, 12) })],
    ['cancelled', cancelMeeting({ occurredAt: at(1, 12) })],
  ])('cannot be %s before it was scheduled', (_case, command) => {
    spec.given(open).when(command).thenThrows({ rule: 'meeting.before-last-change', kind: 'CONFLICT' });
  });

  it.each([
    ['rescheduled', rescheduleMeeting({ meetingId: fixtureIds.otherMeeting })],
    ['cancelled', cancelMeeting({ meetingId: fixtureIds.otherMeeting })],
    ['held', recordMeetingHeld({ meetingId: fixtureIds.otherMeeting })],
    ['missed', recordMeetingMissed({ meetingId: fixtureIds.otherMeeting })],
  ])('leaves an unknown meeting impossible to be %s', (_case, command) => {
    spec.given(open).when(command).thenThrows({ rule: 'meeting.not-found', kind: 'NOT_FOUND' });
  });
});

describe('a rescheduled meeting', () => {
  const moved = [
    started,
    scheduled,
    meetingRescheduled({ occurredAt: at(4), previousStartsAt: at(8, 10), newStartsAt: at(9, 10) }),
  ];

  it('is rescheduled again from its new start', () => {
    spec
      .given(moved)
      .when(rescheduleMeeting({ occurredAt: at(5), newStartsAt: at(10, 10) }))
      .then([meetingRescheduled({ occurredAt: at(5), previousStartsAt: at(9, 10), newStartsAt: at(10, 10) })]);
  });

  it('is cancelled at its new start', () => {
    spec
      .given(moved)
      .when(cancelMeeting({ occurredAt: at(9, 9) }))
      .then([meetingCancelled({ occurredAt: at(9, 9), startsAt: at(9, 10) })]);
  });

  it('is held from its new start', () => {
    spec
      .given(moved)
      .when(recordMeetingHeld({ occurredAt: at(9, 12) }))
      .then([meetingHeld({ occurredAt: at(9, 12), startedAt: at(9, 10), durationMinutes: 90 })]);
  });

  it('is missed at its new start', () => {
    spec
      .given(moved)
      .when(recordMeetingMissed({ occurredAt: at(9, 12) }))
      .then([meetingMissed({ occurredAt: at(9, 12), startsAt: at(9, 10) })]);
  });

  it('cannot be held at its old start', () => {
    spec
      .given(moved)
      .when(recordMeetingHeld({ occurredAt: at(8, 12) }))
      .thenThrows('meeting.not-started');
  });

  it.each([
    ['rescheduled', rescheduleMeeting({ occurredAt: at(3), newStartsAt: at(11) })],
    ['cancelled', cancelMeeting({ occurredAt: at(3) })],
  ])('cannot be %s back-dated before its reschedule', (_case, command) => {
    spec.given(moved).when(command).thenThrows('meeting.before-last-change');
  });
});

describe.each([
  ['cancelled', meetingCancelled({ occurredAt: at(6, 10) })],
  ['held', meetingHeld({ occurredAt: at(8, 12) })],
  ['missed', meetingMissed({ occurredAt: at(8, 12) })],
])('a %s meeting', (_status, closing) => {
  const history = [started, meetingScheduled(), closing];

  it.each([
    ['rescheduled', rescheduleMeeting({ occurredAt: at(9), newStartsAt: at(12) })],
    ['cancelled', cancelMeeting({ occurredAt: at(9) })],
    ['held', recordMeetingHeld({ occurredAt: at(9) })],
    ['missed', recordMeetingMissed({ occurredAt: at(9) })],
  ])('cannot be %s', (_change, command) => {
    spec.given(history).when(command).thenThrows({ rule: 'meeting.already-settled', kind: 'CONFLICT' });
  });
});
