import type { AccessDecision, Caller } from '@trustline/access';
import { apiError } from '../graphql/api-errors';
import { type RequestContext, requireViewer } from '../graphql/request-context';
import type { ScopeFacts } from './scope-facts.service';

const callers = new WeakMap<RequestContext, Promise<Caller>>();

/** The caller of this request with its stored participant, looked up once per request. */
export function callerOf(context: RequestContext, facts: ScopeFacts): Promise<Caller> {
  const viewer = requireViewer(context);
  let caller = callers.get(context);
  if (!caller) {
    caller = facts.caller(viewer);
    callers.set(context, caller);
  }
  return caller;
}

/** The caller the access guard looked up for this request, if it did (subscription filters run outside DI). */
export const knownCallerOf = (context: RequestContext): Promise<Caller> | undefined => callers.get(context);

/** FORBIDDEN (with the policy's rule, if any) unless the decision allows; `unknown` passes. */
export function enforce(decision: AccessDecision, unknown: 'pass' | 'not-found' = 'pass', what = 'It'): void {
  if (decision.outcome === 'forbidden') {
    throw apiError('FORBIDDEN', decision.reason, decision.rule ? { rule: decision.rule } : {});
  }
  if (decision.outcome === 'unknown' && unknown === 'not-found') throw apiError('NOT_FOUND', `${what} does not exist`);
}
