import {
  at,
  DeciderSpecification,
  eraseParticipant,
  fixtureIds,
  participantErased,
  participantRegistered,
  ProjectionSpecification,
  registerParticipant,
} from '@trustline/testing';
import { participantDecider } from './participant.decider';

const spec = DeciderSpecification.for(participantDecider);

describe('a participant that does not exist yet', () => {
  it('is registered in an existing program with its role', () => {
    spec.given([]).when(registerParticipant()).then([participantRegistered()]);
  });

  it('is registered without an email', () => {
    spec
      .given([])
      .when(registerParticipant({ role: 'MENTEE', email: null }))
      .then([participantRegistered({ role: 'MENTEE', email: null })]);
  });

  it('cannot join a program that does not exist', () => {
    spec
      .given([])
      .when(registerParticipant({ program: null }))
      .thenThrows({ rule: 'program.not-found', kind: 'NOT_FOUND' });
  });

  it('cannot join a program other than the one the caller read', () => {
    spec
      .given([])
      .when(registerParticipant({ programId: fixtureIds.otherProgram }))
      .thenThrows({ rule: 'program.not-found', kind: 'NOT_FOUND' });
  });
});

describe('a registered participant', () => {
  it('cannot be registered again', () => {
    spec
      .given([participantRegistered()])
      .when(registerParticipant())
      .thenThrows({ rule: 'participant.already-exists', kind: 'CONFLICT' });
  });
});

describe('the participant state', () => {
  const fold = ProjectionSpecification.for(participantDecider);

  it('shows the registration and keeps the first one', () => {
    fold.given([participantRegistered(), participantRegistered({ displayName: 'Someone else' })]).then({
      status: 'registered',
      participantId: fixtureIds.mentor,
      programId: fixtureIds.program,
      role: 'MENTOR',
      displayName: 'Ada Mentor',
      email: 'ada@example.com',
      registeredAt: at(0, 1),
      erased: false,
    });
  });

  it('is erased once an erasure is recorded, and stays registered', () => {
    fold.given([participantRegistered(), participantErased()]).thenMatches({ status: 'registered', erased: true });
  });
});

describe('erasing a participant', () => {
  it('records one erasure of a registered participant', () => {
    spec.given([participantRegistered()]).when(eraseParticipant()).then([participantErased()]);
  });

  it('records nothing more for a participant already erased', () => {
    spec.given([participantRegistered(), participantErased()]).when(eraseParticipant()).then([]);
  });

  it('cannot erase a participant that does not exist', () => {
    spec.given([]).when(eraseParticipant()).thenThrows({ rule: 'participant.not-found', kind: 'NOT_FOUND' });
  });
});
