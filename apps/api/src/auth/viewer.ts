export const ROLES = ['ADMIN', 'PROGRAM_MANAGER', 'MENTOR', 'MENTEE', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, from the verified JWT claims. */
export interface Viewer {
  subject: string;
  roles: Role[];
  participantId: string | null;
  programIds: string[];
}

/** What the GraphQL context knows about the caller. */
export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'viewer'; viewer: Viewer }
  | { kind: 'invalid'; reason: string };
