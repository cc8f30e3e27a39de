import { eventIndexProjection } from './idempotency/event-index.projection';
import { participantEmailsProjection } from './participants/participant-emails.projection';
import { participantsProjection } from './participants/participants.projection';
import { programCommunicationsProjection } from './programs/program-communications.projection';
import { programsProjection } from './programs/programs.projection';
import { relationshipFactsProjection } from './relationships/relationship-facts.projection';
import { relationshipEvidenceProjection } from './relationships/relationship-evidence.projection';
import { relationshipsProjection } from './relationships/relationships.projection';
import type { Projection } from './runner/projection.definition';

/** Every projection behind ReadModels: what the server runs and what a rebuild builds. */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [
  programsProjection,
  programCommunicationsProjection,
  participantsProjection,
  participantEmailsProjection,
  relationshipsProjection,
  relationshipFactsProjection,
  // After the facts: its refresh reads them.
  relationshipEvidenceProjection,
  eventIndexProjection,
];
