import {
  evolveParticipant,
  initialParticipantState,
  type ParticipantState,
} from '@trustline/domain/participant/participant.decider';
import { erasedValue, streamName } from '@trustline/event-store';
import { defineDocumentProjection } from '../runner/document.projection';

/**
 * A registered participant without the email: personal contact data lives in
 * its own table (participant_emails) so it can be erased without touching
 * the document.
 */
export type ParticipantView = Omit<Extract<ParticipantState, { status: 'registered' }>, 'email'>;

export const participantsProjection = defineDocumentProjection<ParticipantView, 'participant'>({
  name: 'participants',
  // 2: documents carry `erased`.
  version: 2,
  streamType: 'participant',
  evolve: (view, fact) => {
    const next = evolveParticipant(view === null ? initialParticipantState() : { ...view, email: null }, fact.event);
    if (next.status !== 'registered') return null;
    const { email: _email, ...withoutEmail } = next;
    // Once erased, the document keeps no trace of the name (a legacy plaintext one included) after a rebuild.
    return next.erased
      ? { ...withoutEmail, displayName: erasedValue(streamName('participant', next.participantId)) }
      : withoutEmail;
  },
  columns: { program_id: { type: 'TEXT', value: (view) => view.programId } },
  indexes: [['program_id', 'position']],
});
