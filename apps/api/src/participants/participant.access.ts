import type { Viewer } from '../auth/viewer';
import { apiError } from '../graphql/api-errors';
import { type RequestContext, requireViewer } from '../graphql/request-context';

// The participant rules this feature needs (authorization.md §2, §3), kept
// apart so they are rewired to the access policy (@trustline/access) when it
// lands, without touching the resolver.

/** eraseParticipant: ADMIN only. */
export function authorizeErasure(request: RequestContext): void {
  const viewer = requireViewer(request);
  if (!viewer.roles.includes('ADMIN')) throw apiError('FORBIDDEN', 'Only an administrator may erase a participant');
}

/** Participant.email: program staff, and the participant itself; null for its counterparts. */
export function mayReadEmail(viewer: Viewer | null, participant: { id: string; programId: string }): boolean {
  if (viewer === null) return false;
  if (viewer.roles.includes('ADMIN')) return true;
  const program = participant.programId.toLowerCase();
  const programs = viewer.programIds.map((id) => id.toLowerCase());
  if (viewer.roles.includes('AUDITOR') && (programs.length === 0 || programs.includes(program))) return true;
  if (viewer.roles.includes('PROGRAM_MANAGER') && programs.includes(program)) return true;
  return viewer.participantId?.toLowerCase() === participant.id.toLowerCase();
}
