import {
  deriveEvidence,
  factsAsOf,
  orderFacts,
  type RelationshipEvent,
  type RelationshipEvidence,
  type RelationshipFact,
  toMillis,
} from '@trustline/domain';
import { readFact, type RecordedEvent } from '@trustline/event-store';
import {
  evolveRelationshipView,
  relationshipStatusAt,
  type RelationshipStatusAt,
  type RelationshipView,
} from '../relationships/relationship.view';

/** A relationship's stored events as the trust model reads them, through the typed reader (strict, upcast). */
export const relationshipFactsOf = (events: readonly RecordedEvent[]): RelationshipFact[] =>
  events.map((stored) => readFact(stored, 'relationship') as RelationshipFact & { event: RelationshipEvent });

export interface RelationshipSnapshot {
  relationshipId: string;
  at: string;
  knownAt: string | null;
  eventsApplied: number;
  status: RelationshipStatusAt;
  /** The same view the read model keeps: promises and meetings as they stood (private content still sealed). */
  state: RelationshipView;
  evidence: RelationshipEvidence;
}

/**
 * The relationship rebuilt from its own stream as of `at` (facts whose
 * effective instant is <= at) and, with `knownAt`, as known then (recordedAt
 * <= knownAt): what relationshipAsOf and `trustline replay` both answer.
 */
export function relationshipSnapshot(
  allFacts: readonly RelationshipFact[],
  at: string,
  knownAt: string | null,
): RelationshipSnapshot | null {
  const facts = factsAsOf(allFacts, at, knownAt ?? undefined);
  // Folded from the facts known as of then, in effective order.
  const state = orderFacts(facts).reduce<RelationshipView | null>(
    (folded, timed) => evolveRelationshipView(folded, timed.fact.event),
    null,
  );
  if (state === null) return null;
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
