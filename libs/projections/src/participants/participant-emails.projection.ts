import { domainFact } from '../runner/projected-event';
import { defineRowProjection } from '../runner/row.projection';

export type ParticipantEmailRow = {
  participant_id: string;
  email: string;
};

/** Kept apart from the participant documents so that erasing an email is one DELETE. */
export const participantEmailsProjection = defineRowProjection<ParticipantEmailRow>({
  name: 'participant_emails',
  version: 1,
  columns: { participant_id: 'TEXT', email: 'TEXT' },
  indexes: [['participant_id']],
  rowOf: (event) => {
    const fact = domainFact(event, 'participant');
    if (
      fact === null ||
      event.stream === null ||
      fact.event.type !== 'ParticipantRegistered' ||
      fact.event.data.email === null
    )
      return null;
    return { participant_id: event.stream.id, email: fact.event.data.email };
  },
});
