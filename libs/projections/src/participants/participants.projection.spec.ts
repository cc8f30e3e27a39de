import { fixtureIds, participantRegistered, ProjectionSpecification, recordAll } from '@trustline/testing';
import { documentFold } from '../runner/document.projection';
import { projected } from '@trustline/testing/projected.fixtures';
import { participantEmailsProjection } from './participant-emails.projection';
import { participantsProjection } from './participants.projection';

const participants = ProjectionSpecification.for(documentFold(participantsProjection.spec, fixtureIds.mentor));
const stream = `participant-${fixtureIds.mentor}`;

describe('the participants read model', () => {
  it('shows a registered participant with program, role and display name', () => {
    participants.given(recordAll([participantRegistered()])).thenMatches({
      state: {
        participantId: fixtureIds.mentor,
        programId: fixtureIds.program,
        role: 'MENTOR',
        displayName: 'Ada Mentor',
      },
    });
  });

  it('keeps the email out of the participant document', () => {
    participants.given(recordAll([participantRegistered({ email: 'ada@example.com' })])).thenState((doc) => {
      expect(doc?.state).not.toHaveProperty('email');
    });
  });

  it('ignores a registration delivered twice', () => {
    participants.given(recordAll([participantRegistered()])).thenIgnoresRedelivery();
  });

  it('indexes participants by program', () => {
    const [registered] = recordAll([participantRegistered()]);
    const view = participantsProjection.spec.evolve(null, registered);
    expect(view && participantsProjection.spec.columns.program_id.value(view)).toBe(fixtureIds.program);
  });
});

describe('the participant emails read model', () => {
  it('keeps the email given at registration in a row of its own', () => {
    expect(
      participantEmailsProjection.spec.rowOf(projected(stream, participantRegistered({ email: 'ada@example.com' }))),
    ).toEqual({
      participant_id: fixtureIds.mentor,
      email: 'ada@example.com',
    });
  });

  it('keeps no row when no email was given', () => {
    expect(
      participantEmailsProjection.spec.rowOf(projected(stream, participantRegistered({ email: null }))),
    ).toBeNull();
  });
});
