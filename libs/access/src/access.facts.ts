// The stored facts a decision is made from. Ids are compared case-insensitively
// (stream names carry lower-case ids), so callers may pass them as stored.

export interface ProgramFacts {
  programId: string;
}

export interface ParticipantFacts {
  participantId: string;
  programId: string;
}

export interface RelationshipFacts {
  relationshipId: string;
  programId: string;
  mentorId: string;
  menteeId: string;
}

export type Party = 'MENTOR' | 'MENTEE';
export type EndedBy = Party | 'PROGRAM';
export type TrustDirection = 'MENTEE_IN_MENTOR' | 'MENTOR_IN_MENTEE';

/** The trust each party places: its own direction (authorization.md §2). */
export const DIRECTION_PLACED_BY: Readonly<Record<Party, TrustDirection>> = {
  MENTEE: 'MENTEE_IN_MENTOR',
  MENTOR: 'MENTOR_IN_MENTEE',
};

/**
 * Who asks: the token's principal and, when it names a participant, that
 * participant as stored (null when the token names none or an unknown one).
 */
export interface Caller {
  principal: import('./principal').Principal;
  participant: ParticipantFacts | null;
}
