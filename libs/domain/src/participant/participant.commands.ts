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

export type EraseParticipant = {
  type: 'EraseParticipant';
  data: {
    participantId: string;
    reason: string | null;
    /** Found and destroyed by the caller before the command runs (the keys live outside the stream). */
    erasedSubjects: string[];
    legacyPlaintextEvents: number;
    occurredAt: Instant;
  };
};

export type ParticipantCommand = RegisterParticipant | EraseParticipant;
