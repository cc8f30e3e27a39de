import {
  assessMentorMotives,
  at,
  breakPromise,
  cancelMeeting,
  DeciderSpecification,
  endRelationship,
  fixtureIds,
  keepPromise,
  makePromise,
  meetingScheduled,
  mentorMotivesAssessed,
  pauseRelationship,
  promiseKept,
  promiseMade,
  recordMeetingHeld,
  recordMeetingMissed,
  relationshipEnded,
  relationshipPaused,
  relationshipResumed,
  relationshipStarted,
  renegotiatePromise,
  rescheduleMeeting,
  resumeRelationship,
  scheduleMeeting,
  startRelationship,
  submitTrustCheckIn,
  trustCheckInSubmitted,
} from '@trustline/testing';
import type { RelationshipCommand } from './relationship.commands';
import { relationshipDecider } from './relationship.decider';

const spec = DeciderSpecification.for(relationshipDecider);

const started = relationshipStarted({ occurredAt: at(1) });

// Every command on an existing relationship, each valid against `withPromiseAndMeeting`.
const commandsOnAnExistingRelationship: Array<[string, RelationshipCommand]> = [
  ['AssessMentorMotives', assessMentorMotives({ occurredAt: at(3) })],
  ['MakePromise', makePromise({ promiseId: fixtureIds.otherPromise, occurredAt: at(3), dueAt: at(9) })],
  ['RenegotiatePromise', renegotiatePromise({ occurredAt: at(3), newDueAt: at(16) })],
  ['KeepPromise', keepPromise({ occurredAt: at(3) })],
  ['BreakPromise', breakPromise({ occurredAt: at(3) })],
  ['ScheduleMeeting', scheduleMeeting({ meetingId: fixtureIds.otherMeeting, occurredAt: at(3), startsAt: at(9) })],
  ['RescheduleMeeting', rescheduleMeeting({ occurredAt: at(3) })],
  ['CancelMeeting', cancelMeeting({ occurredAt: at(3) })],
  ['RecordMeetingHeld', recordMeetingHeld({ occurredAt: at(3) })],
  ['RecordMeetingMissed', recordMeetingMissed({ occurredAt: at(3) })],
  ['SubmitTrustCheckIn', submitTrustCheckIn({ occurredAt: at(3) })],
  ['PauseRelationship', pauseRelationship({ occurredAt: at(3) })],
  ['ResumeRelationship', resumeRelationship({ occurredAt: at(3) })],
  ['EndRelationship', endRelationship({ occurredAt: at(3) })],
];

// A meeting starting before the commands' instant, so held/missed are not refused for timing.
const withPromiseAndMeeting = [
  started,
  promiseMade({ occurredAt: at(2), dueAt: at(9) }),
  meetingScheduled({ occurredAt: at(2), startsAt: at(2, 10) }),
];

const withTime = (command: RelationshipCommand, occurredAt: string): RelationshipCommand =>
  ({ ...command, data: { ...command.data, occurredAt } }) as RelationshipCommand;

describe('a relationship that does not exist yet', () => {
  it('starts with the program cadence when it has none of its own', () => {
    spec
      .given([])
      .when(startRelationship({ cadenceDays: null }))
      .then([relationshipStarted({ cadenceDays: 14 })]);
  });

  it('starts with its own cadence when one is given', () => {
    spec
      .given([])
      .when(startRelationship({ cadenceDays: 7 }))
      .then([relationshipStarted({ cadenceDays: 7 })]);
  });

  it('cannot start in a program that does not exist', () => {
    spec
      .given([])
      .when(startRelationship({ program: null }))
      .thenThrows({ rule: 'program.not-found', kind: 'NOT_FOUND' });
  });

  it('cannot start with a mentor who is not registered', () => {
    spec
      .given([])
      .when(startRelationship({ mentor: null }))
      .thenThrows({ rule: 'participant.not-found', kind: 'NOT_FOUND' });
  });

  it('cannot start with a mentee who is not registered', () => {
    spec
      .given([])
      .when(startRelationship({ mentee: null }))
      .thenThrows({ rule: 'participant.not-found', kind: 'NOT_FOUND' });
  });

  it('cannot pair a participant with themself', () => {
    const sameAsMentor = { participantId: fixtureIds.mentor, programId: fixtureIds.program, role: 'MENTOR' as const };
    spec
      .given([])
      .when(startRelationship({ menteeId: fixtureIds.mentor, mentee: sameAsMentor }))
      .thenThrows({ rule: 'relationship.same-participant', kind: 'CONFLICT' });
  });

  it('cannot take a mentor registered in another program', () => {
    const mentor = { participantId: fixtureIds.mentor, programId: fixtureIds.otherProgram, role: 'MENTOR' as const };
    spec.given([]).when(startRelationship({ mentor })).thenThrows('relationship.participant-outside-program');
  });

  it('cannot take a mentee registered in another program', () => {
    const mentee = { participantId: fixtureIds.mentee, programId: fixtureIds.otherProgram, role: 'MENTEE' as const };
    spec.given([]).when(startRelationship({ mentee })).thenThrows('relationship.participant-outside-program');
  });

  it('cannot take a mentee as the mentor', () => {
    const mentor = { participantId: fixtureIds.mentor, programId: fixtureIds.program, role: 'MENTEE' as const };
    spec.given([]).when(startRelationship({ mentor })).thenThrows('relationship.wrong-role');
  });

  it('cannot take a mentor as the mentee', () => {
    const mentee = { participantId: fixtureIds.mentee, programId: fixtureIds.program, role: 'MENTOR' as const };
    spec.given([]).when(startRelationship({ mentee })).thenThrows('relationship.wrong-role');
  });

  it.each(commandsOnAnExistingRelationship)('refuses %s as unknown', (_name, command) => {
    spec.given([]).when(command).thenThrows({ rule: 'relationship.not-found', kind: 'NOT_FOUND' });
  });
});

describe('an active relationship', () => {
  it('cannot be started again', () => {
    spec
      .given([started])
      .when(startRelationship())
      .thenThrows({ rule: 'relationship.already-exists', kind: 'CONFLICT' });
  });

  it.each(commandsOnAnExistingRelationship)('refuses %s back-dated before the start', (_name, command) => {
    spec
      .given(withPromiseAndMeeting)
      .when(withTime(command, at(0, 23)))
      .thenThrows({ rule: 'relationship.before-start', kind: 'CONFLICT' });
  });

  it('records a fact at the very instant it started', () => {
    spec
      .given([started])
      .when(submitTrustCheckIn({ occurredAt: at(1) }))
      .then([trustCheckInSubmitted({ occurredAt: at(1) })]);
  });

  it('records the mentor motive assessment', () => {
    const assessment = {
      primaryMotive: 'SHARE_OWN_IDEAS' as const,
      menteeDevelopmentFirst: false,
      note: 'Wants an audience',
    };
    spec
      .given([started])
      .when(assessMentorMotives(assessment))
      .then([mentorMotivesAssessed(assessment)]);
  });

  it('records a later assessment that replaces an earlier one', () => {
    spec
      .given([started, mentorMotivesAssessed({ occurredAt: at(2) })])
      .when(assessMentorMotives({ occurredAt: at(5), primaryMotive: 'GIVE_BACK' }))
      .then([mentorMotivesAssessed({ occurredAt: at(5), primaryMotive: 'GIVE_BACK' })]);
  });
});

describe('a trust check-in', () => {
  it('records the three ratings', () => {
    spec.given([started]).when(submitTrustCheckIn()).then([trustCheckInSubmitted()]);
  });

  it('records openness and organization when answered', () => {
    const answers = { respondent: 'MENTOR' as const, openness: 2, organization: 5 };
    spec
      .given([started])
      .when(submitTrustCheckIn(answers))
      .then([trustCheckInSubmitted(answers)]);
  });

  it('accepts the ends of the scale', () => {
    const extremes = { ability: 1, benevolence: 5, integrity: 1, openness: 5, organization: 1 };
    spec
      .given([started])
      .when(submitTrustCheckIn(extremes))
      .then([trustCheckInSubmitted(extremes)]);
  });

  it.each([
    ['ability', 0],
    ['ability', 6],
    ['benevolence', 2.5],
    ['integrity', -1],
    ['integrity', Number.NaN],
    ['openness', 0],
    ['organization', 6],
  ])('refuses %s rated %p', (answer, rating) => {
    spec
      .given([started])
      .when(submitTrustCheckIn({ [answer]: rating }))
      .thenThrows({ rule: 'checkin.rating-out-of-range', kind: 'CONFLICT' });
  });
});

describe('pausing', () => {
  it('pauses an active relationship until a given instant', () => {
    const pause = { occurredAt: at(12), until: at(19), reason: 'Parental leave' };
    spec
      .given([started])
      .when(pauseRelationship(pause))
      .then([relationshipPaused(pause)]);
  });

  it('pauses an active relationship until further notice', () => {
    spec
      .given([started])
      .when(pauseRelationship({ until: null }))
      .then([relationshipPaused({ until: null })]);
  });

  it.each([
    ['at the same instant as it starts', at(12)],
    ['before it starts', at(11)],
  ])('refuses a pause ending %s', (_case, until) => {
    spec
      .given([started])
      .when(pauseRelationship({ occurredAt: at(12), until }))
      .thenThrows('relationship.pause-ends-before-it-starts');
  });

  it('refuses a pause back-dated before a promise or meeting already recorded', () => {
    spec
      .given([started, promiseMade({ occurredAt: at(5), dueAt: at(9) })])
      .when(pauseRelationship({ occurredAt: at(4) }))
      .thenThrows('relationship.pause-overlaps-activity');
  });

  it('accepts a pause starting at the same instant as the latest activity', () => {
    spec
      .given([started, promiseMade({ occurredAt: at(5), dueAt: at(9) })])
      .when(pauseRelationship({ occurredAt: at(5) }))
      .then([relationshipPaused({ occurredAt: at(5) })]);
  });

  it('accepts a pause back-dated before check-ins, which a pause allows', () => {
    spec
      .given([started, trustCheckInSubmitted({ occurredAt: at(6) })])
      .when(pauseRelationship({ occurredAt: at(4) }))
      .then([relationshipPaused({ occurredAt: at(4) })]);
  });

  it('refuses a pause back-dated before an earlier pause', () => {
    spec
      .given([started, relationshipPaused({ occurredAt: at(10), until: at(12) })])
      .when(pauseRelationship({ occurredAt: at(8), until: at(9) }))
      .thenThrows('relationship.pause-before-previous');
  });
});

describe('a paused relationship', () => {
  const paused = [...withPromiseAndMeeting, relationshipPaused({ occurredAt: at(12), until: at(19) })];
  const refusedWhilePaused = commandsOnAnExistingRelationship.filter(
    ([name]) => !['SubmitTrustCheckIn', 'ResumeRelationship', 'EndRelationship'].includes(name),
  );

  it.each(refusedWhilePaused)('refuses %s', (_name, command) => {
    spec
      .given(paused)
      .when(withTime(command, at(13)))
      .thenThrows({ rule: 'relationship.paused', kind: 'CONFLICT' });
  });

  it('accepts a check-in', () => {
    spec
      .given(paused)
      .when(submitTrustCheckIn({ occurredAt: at(13) }))
      .then([trustCheckInSubmitted({ occurredAt: at(13) })]);
  });

  it('resumes', () => {
    spec
      .given(paused)
      .when(resumeRelationship({ occurredAt: at(15) }))
      .then([relationshipResumed({ occurredAt: at(15) })]);
  });

  it('resumes one millisecond before its pause runs out', () => {
    const justBefore = new Date(Date.parse(at(19)) - 1).toISOString();
    spec
      .given(paused)
      .when(resumeRelationship({ occurredAt: justBefore }))
      .then([relationshipResumed({ occurredAt: justBefore })]);
  });

  it('ends', () => {
    spec
      .given(paused)
      .when(endRelationship({ occurredAt: at(15) }))
      .then([relationshipEnded({ occurredAt: at(15) })]);
  });

  it('accepts a fact back-dated before the pause began', () => {
    spec
      .given(paused)
      .when(keepPromise({ occurredAt: at(11) }))
      .then([promiseKept({ occurredAt: at(11) })]);
  });

  it('is active again once the pause runs out, at its very `until`', () => {
    spec
      .given(paused)
      .when(keepPromise({ occurredAt: at(19) }))
      .then([promiseKept({ occurredAt: at(19) })]);
  });

  it('cannot resume once its pause ran out', () => {
    spec
      .given(paused)
      .when(resumeRelationship({ occurredAt: at(19) }))
      .thenThrows('relationship.not-paused');
  });

  it('cannot resume before it was paused', () => {
    spec
      .given(paused)
      .when(resumeRelationship({ occurredAt: at(11) }))
      .thenThrows('relationship.not-paused');
  });

  it('can be paused again once its pause ran out', () => {
    spec
      .given(paused)
      .when(pauseRelationship({ occurredAt: at(20), until: null }))
      .then([relationshipPaused({ occurredAt: at(20), until: null })]);
  });

  it('cannot be paused again while the pause holds', () => {
    spec
      .given(paused)
      .when(pauseRelationship({ occurredAt: at(18) }))
      .thenThrows('relationship.paused');
  });
});

describe('a relationship paused until further notice', () => {
  const paused = [started, relationshipPaused({ occurredAt: at(12), until: null })];

  it('stays paused however long it lasts', () => {
    spec
      .given(paused)
      .when(assessMentorMotives({ occurredAt: at(300) }))
      .thenThrows('relationship.paused');
  });

  it('resumes much later', () => {
    spec
      .given(paused)
      .when(resumeRelationship({ occurredAt: at(300) }))
      .then([relationshipResumed({ occurredAt: at(300) })]);
  });
});

describe('a resumed relationship', () => {
  const resumed = [
    ...withPromiseAndMeeting,
    relationshipPaused({ occurredAt: at(12), until: null }),
    relationshipResumed({ occurredAt: at(20) }),
  ];

  it('accepts facts again', () => {
    spec
      .given(resumed)
      .when(keepPromise({ occurredAt: at(21) }))
      .then([promiseKept({ occurredAt: at(21) })]);
  });

  it('accepts a fact at the very instant it resumed', () => {
    spec
      .given(resumed)
      .when(keepPromise({ occurredAt: at(20) }))
      .then([promiseKept({ occurredAt: at(20) })]);
  });

  it('refuses a fact back-dated into the pause', () => {
    spec
      .given(resumed)
      .when(keepPromise({ occurredAt: at(15) }))
      .thenThrows('relationship.paused');
  });

  it('accepts a check-in back-dated into the pause', () => {
    spec
      .given(resumed)
      .when(submitTrustCheckIn({ occurredAt: at(15) }))
      .then([trustCheckInSubmitted({ occurredAt: at(15) })]);
  });

  it('cannot resume again, even back-dated into the pause', () => {
    spec
      .given(resumed)
      .when(resumeRelationship({ occurredAt: at(15) }))
      .thenThrows('relationship.not-paused');
  });

  it('cannot resume again later', () => {
    spec
      .given(resumed)
      .when(resumeRelationship({ occurredAt: at(25) }))
      .thenThrows('relationship.not-paused');
  });

  it('cannot resume an earlier pause while a later one is in force', () => {
    spec
      .given([...resumed, relationshipPaused({ occurredAt: at(25), until: null })])
      .when(resumeRelationship({ occurredAt: at(15) }))
      .thenThrows('relationship.not-paused');
  });
});

describe('ending', () => {
  it('ends an active relationship', () => {
    const end = { occurredAt: at(30), endedBy: 'MENTEE' as const, reason: 'MISMATCH' as const, planned: false };
    spec
      .given([started])
      .when(endRelationship(end))
      .then([relationshipEnded(end)]);
  });

  it('ends at the same instant as the latest fact', () => {
    spec
      .given([started, trustCheckInSubmitted({ occurredAt: at(10) })])
      .when(endRelationship({ occurredAt: at(10) }))
      .then([relationshipEnded({ occurredAt: at(10) })]);
  });

  it('refuses an end back-dated before facts already recorded', () => {
    spec
      .given([started, trustCheckInSubmitted({ occurredAt: at(10) })])
      .when(endRelationship({ occurredAt: at(9) }))
      .thenThrows('relationship.end-before-last-fact');
  });
});

describe('an ended relationship', () => {
  const ended = [...withPromiseAndMeeting, relationshipEnded({ occurredAt: at(2, 12) })];

  it.each(commandsOnAnExistingRelationship)('refuses %s', (_name, command) => {
    spec.given(ended).when(command).thenThrows({ rule: 'relationship.ended', kind: 'CONFLICT' });
  });

  it('cannot be started again', () => {
    spec.given(ended).when(startRelationship()).thenThrows('relationship.already-exists');
  });
});
