// Who is calling, as the verified token's claims say (authorization.md §1).
export const ROLES = ['ADMIN', 'PROGRAM_MANAGER', 'MENTOR', 'MENTEE', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The token's `sub`: recorded as `actor` on every event the caller appends. */
  subject: string;
  /** Only the known roles; unknown ones are ignored. */
  roles: Role[];
  /** For MENTOR and MENTEE: the participant the caller is. */
  participantId: string | null;
  /** For PROGRAM_MANAGER: its programs; for AUDITOR a non-empty list narrows every read to them. */
  programIds: string[];
}

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** The principal of verified claims; null when `sub` is missing or empty (such a token is invalid). */
export function principalFromClaims(claims: Record<string, unknown>): Principal | null {
  if (typeof claims.sub !== 'string' || claims.sub.trim().length === 0) return null;
  const roles = Array.isArray(claims.roles) ? [...new Set(claims.roles.filter(isRole))] : [];
  const programIds = Array.isArray(claims.programIds)
    ? claims.programIds.filter((id): id is string => typeof id === 'string' && id.length > 0)
    : [];
  return {
    subject: claims.sub,
    roles,
    participantId:
      typeof claims.participantId === 'string' && claims.participantId.length > 0 ? claims.participantId : null,
    programIds,
  };
}
