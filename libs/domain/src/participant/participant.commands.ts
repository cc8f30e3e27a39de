import type { Instant } from '../shared/instant';
import type { ParticipantRole } from './participant.events';

export type RegisterParticipant = {
  type: 'RegisterParticipant';
  data: {
    participantId: string;
    programId: string;
    role: ParticipantRole;
    displayName: string;
    email: string | null;
    occurredAt: Instant;
    /** The program as the caller read it from its own stream; null when it does not exist. */
    program: { programId: string } | null;
  };
};

export type ParticipantCommand = RegisterParticipant;
