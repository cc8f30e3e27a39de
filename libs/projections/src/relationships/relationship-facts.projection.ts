import type { Recorded, RelationshipEvent } from '@trustline/domain';
import { storedJsonOf } from '@trustline/event-store';
import { domainFact } from '../runner/projected-event';
import { defineRowProjection } from '../runner/row.projection';

export type RelationshipFactRow = {
  relationship_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  occurred_at: string;
  recorded_at: string;
};

/** Every fact of every relationship stream, indexed by relationship then position: what the trust engine folds. */
export const relationshipFactsProjection = defineRowProjection<RelationshipFactRow>({
  name: 'relationship_facts',
  // 2: facts are stored as the typed reader gives them (MeetingCancelled at schema version 2, with its notice);
  // a read database built before is projected again rather than served in the old shape.
  version: 2,
  columns: {
    relationship_id: 'TEXT',
    revision: 'INTEGER',
    event_id: 'TEXT',
    type: 'TEXT',
    data: 'TEXT',
    occurred_at: 'TEXT',
    recorded_at: 'TEXT',
  },
  indexes: [['relationship_id', 'position']],
  rowOf: (event) => {
    const fact = domainFact(event, 'relationship');
    if (fact === null || event.stream === null) return null;
    return {
      relationship_id: event.stream.id,
      revision: fact.revision,
      event_id: fact.eventId,
      type: fact.event.type,
      // The stored text when the data is as stored (not upcast): the same JSON, not serialised again.
      data: storedJsonOf(fact.event.data),
      occurred_at: fact.event.data.occurredAt,
      recorded_at: fact.recordedAt,
    };
  },
});

/** The columns every reader of the facts selects, in this order, as raw rows. */
export const RELATIONSHIP_FACT_COLUMNS = 'relationship_id, position, revision, event_id, type, data, recorded_at';
export type RelationshipFactTuple = [
  relationshipId: string,
  position: bigint,
  revision: bigint,
  eventId: string,
  type: string,
  data: string,
  recordedAt: string,
];

/**
 * A stored fact as the trust engine folds it. The rows are our own read model,
 * written from facts the typed reader produced at today's schema versions (the
 * projection's version changes with them), so they are trusted as such.
 */
export const factOfRow = (row: RelationshipFactTuple): Recorded<RelationshipEvent> =>
  factOfColumns(row[3], row[1], Number(row[2]), row[6], row[4], row[5]);

/** factOfRow from the column values themselves. */
export const factOfColumns = (
  eventId: string,
  position: bigint,
  revision: number,
  recordedAt: string,
  type: string,
  data: string,
): Recorded<RelationshipEvent> => ({
  eventId,
  position,
  revision,
  recordedAt,
  event: { type, data: JSON.parse(data) } as RelationshipEvent,
});
