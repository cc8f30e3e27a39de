import type { Instant } from '../shared/instant';

export type ParticipantRole = 'MENTOR' | 'MENTEE';

export type ParticipantRegistered = {
  type: 'ParticipantRegistered';
  data: {
    participantId: string;
    programId: string;
    role: ParticipantRole;
    displayName: string;
    email: string | null;
    occurredAt: Instant;
  };
};

export type ParticipantEvent = ParticipantRegistered;
