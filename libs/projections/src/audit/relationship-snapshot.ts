import {
  deriveEvidence,
  evolveRelationship,
  type ExistingRelationship,
  factsAsOf,
  initialRelationshipState,
  orderFacts,
  type RelationshipEvent,
  type RelationshipEvidence,
  type RelationshipFact,
  relationshipStatusAt,
  type RelationshipStatusAt,
  toMillis,
} from '@trustline/domain';
import { type RecordedEvent, upcast } from '@trustline/event-store';

/** A relationship's stored events as the trust model reads them (upcast to the current schema versions). */
export const relationshipFactsOf = (events: readonly RecordedEvent[]): RelationshipFact[] =>
  events.map((stored) => {
    const event = upcast(stored);
    return {
      eventId: event.id,
      position: event.position,
      revision: Number(event.revision),
      recordedAt: String(event.metadata.recordedAt ?? (event.data as { occurredAt?: string }).occurredAt ?? ''),
      event: { type: event.type, data: event.data } as RelationshipEvent,
    };
  });

export interface RelationshipSnapshot {
  relationshipId: string;
  at: string;
  knownAt: string | null;
  eventsApplied: number;
  status: RelationshipStatusAt;
  /** The folded state: promises and meetings as they stood (private content still sealed). */
  state: ExistingRelationship;
  evidence: RelationshipEvidence;
}

/**
 * The relationship rebuilt from its own stream as of `at` (facts whose
 * effective instant is <= at) and, with `knownAt`, as known then (recordedAt
 * <= knownAt): what relationshipAsOf and `trustline replay` both answer.
 */
export function relationshipSnapshot(allFacts: readonly RelationshipFact[], at: string, knownAt: string | null): RelationshipSnapshot | null {
  const facts = factsAsOf(allFacts, at, knownAt ?? undefined);
  const state = orderFacts(facts).reduce((folded, timed) => evolveRelationship(folded, timed.fact.event), initialRelationshipState());
  if (state.status === 'none') return null;
  return {
    relationshipId: state.relationshipId,
    at,
    knownAt,
    eventsApplied: facts.length,
    status: relationshipStatusAt(state, at) as RelationshipStatusAt,
    state,
    evidence: deriveEvidence(facts, toMillis(at)),
  };
}
