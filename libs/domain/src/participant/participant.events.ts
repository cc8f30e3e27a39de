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

/**
 * The erasure of a participant's personal data (authorization.md §5): who
 * and when are the event's metadata (actor, recordedAt), why is `reason`.
 * It holds no personal data; `erasedSubjects` names the streams whose keys
 * were destroyed, and `legacyPlaintextEvents` how many events of those
 * streams were stored in plain text before sealing existed and could not be
 * shredded (they are hidden from every reader, but their bytes remain).
 */
export type ParticipantErased = {
  type: 'ParticipantErased';
  data: {
    participantId: string;
    reason: string | null;
    erasedSubjects: string[];
    legacyPlaintextEvents: number;
    occurredAt: Instant;
  };
};

export type ParticipantEvent = ParticipantRegistered | ParticipantErased;
