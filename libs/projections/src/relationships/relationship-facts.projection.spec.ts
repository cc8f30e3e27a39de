import { at, fixtureIds, participantRegistered, promiseKept } from '@trustline/testing';
import { projected } from '@trustline/testing/projected.fixtures';
import { relationshipFactsProjection } from './relationship-facts.projection';

const rowOf = relationshipFactsProjection.spec.rowOf;
const stream = `relationship-${fixtureIds.relationship}`;

describe('the relationship facts read model', () => {
  it('keeps each relationship fact with its place, identity, data and instants', () => {
    const kept = promiseKept({ occurredAt: at(8) });
    const event = projected(stream, kept, { position: 12n, revision: 4n, metadata: { recordedAt: at(9) } });
    expect(rowOf(event)).toEqual({
      relationship_id: fixtureIds.relationship,
      revision: 4,
      event_id: event.stored.id,
      type: 'PromiseKept',
      data: JSON.stringify(kept.data),
      occurred_at: at(8),
      recorded_at: at(9),
    });
  });

  it('keeps nothing of an event type the domain does not know', () => {
    expect(rowOf(projected(stream, { type: 'SomethingNew', data: { occurredAt: at(1) } }))).toBeNull();
  });

  it('keeps nothing of another stream type', () => {
    expect(rowOf(projected(`participant-${fixtureIds.mentor}`, participantRegistered()))).toBeNull();
  });
});
