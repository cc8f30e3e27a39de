import {
  type AccessDecision,
  type Caller,
  canReadParticipant,
  canReadProgram,
  canReadRelationship,
} from '@trustline/access';
import type { GraphQLError } from 'graphql';
import { apiError } from '../graphql/api-errors';
import { type RequestContext, requireViewer } from './request-context';
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

export type EntityKind = 'program' | 'participant' | 'relationship';

/**
 * May the caller read this entity (`program(id)`, `participant(id)`,
 * `relationship(id)`, and each `node(id)` / element of `nodes(ids)` by its
 * type), from the entity's stored facts.
 */
export async function canReadEntity(
  caller: Caller,
  facts: ScopeFacts,
  kind: EntityKind,
  id: string,
): Promise<AccessDecision> {
  switch (kind) {
    case 'program':
      return canReadProgram(caller, id, await facts.program(id));
    case 'participant':
      return canReadParticipant(caller, id, await facts.participant(id), facts.relationshipsOf(id));
    case 'relationship':
      return canReadRelationship(caller, await facts.relationship(id));
  }
}

/** The error a refusal answers with: FORBIDDEN (with the policy's rule, if any); null when allowed or unknown. */
export function refusalOf(decision: AccessDecision): GraphQLError | null {
  if (decision.outcome !== 'forbidden') return null;
  return apiError('FORBIDDEN', decision.reason, decision.rule ? { rule: decision.rule } : {});
}

/** FORBIDDEN unless the decision allows; `unknown` passes (the field answers null) or is NOT_FOUND. */
export function enforce(decision: AccessDecision, unknown: 'pass' | 'not-found' = 'pass', what = 'It'): void {
  const refusal = refusalOf(decision);
  if (refusal) throw refusal;
  if (decision.outcome === 'unknown' && unknown === 'not-found') throw apiError('NOT_FOUND', `${what} does not exist`);
}
