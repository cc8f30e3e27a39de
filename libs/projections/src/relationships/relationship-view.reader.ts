import { type EventStore, readStreamFacts, streamName } from '@trustline/event-store';
import { evolveRelationshipView, type RelationshipView } from './relationship.view';

/** The view folded from the relationship's own stream, for a caller that cannot wait for the read model to reach it. */
export async function relationshipViewFromStream(
  store: EventStore,
  relationshipId: string,
): Promise<RelationshipView | null> {
  const facts = await readStreamFacts(store, streamName('relationship', relationshipId), 'relationship');
  return facts.reduce<RelationshipView | null>((view, fact) => evolveRelationshipView(view, fact.event), null);
}
