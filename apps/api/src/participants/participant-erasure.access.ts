import { apiError } from '../graphql/api-errors';
import { type RequestContext, requireViewer } from '../graphql/request-context';

// The one check eraseParticipant makes (authorization.md §3: ADMIN only),
// kept apart so that it is rewired to the access policy (@trustline/access)
// when that lands, without touching the mutation.
export function authorizeErasure(request: RequestContext): void {
  const viewer = requireViewer(request);
  if (!viewer.roles.includes('ADMIN')) throw apiError('FORBIDDEN', 'Only an administrator may erase a participant');
}
