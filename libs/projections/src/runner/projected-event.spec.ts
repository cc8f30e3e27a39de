import { fixtureIds, promiseMade, relationshipStarted } from '@trustline/testing';
import { storedEvent } from '@trustline/testing/projected.fixtures';
import { domainFact, toProjectedEvent } from './projected-event';

const relationshipStream = `relationship-${fixtureIds.relationship}`;

describe('a stored event seen by the projections', () => {
  it('names its stream type and entity id', () => {
    expect(toProjectedEvent(storedEvent(relationshipStream, relationshipStarted())).stream).toEqual({
      type: 'relationship',
      id: fixtureIds.relationship,
    });
  });

  it('has no stream for a stream Trustline does not name', () => {
    expect(toProjectedEvent(storedEvent('$system-thing', relationshipStarted())).stream).toBeNull();
  });

  it('is the domain fact of its stream type when its type is one the domain knows', () => {
    const event = toProjectedEvent(storedEvent(relationshipStream, promiseMade(), { position: 5n, revision: 2n }));
    expect(domainFact(event, 'relationship')).toMatchObject({
      eventId: event.stored.id,
      position: 5n,
      revision: 2,
      recordedAt: promiseMade().data.occurredAt,
      event: promiseMade(),
    });
  });

  it('is no domain fact for another stream type', () => {
    expect(domainFact(toProjectedEvent(storedEvent(relationshipStream, promiseMade())), 'program')).toBeNull();
  });

  it('is no domain fact when its type is unknown', () => {
    expect(
      domainFact(toProjectedEvent(storedEvent(relationshipStream, { type: 'Unheard', data: {} })), 'relationship'),
    ).toBeNull();
  });

  it('takes recordedAt from the metadata, else from the fact itself', () => {
    const withRecordedAt = storedEvent(relationshipStream, promiseMade(), {
      metadata: { recordedAt: '2030-01-01T00:00:00.000Z' },
    });
    const without = storedEvent(relationshipStream, promiseMade());
    delete without.metadata.recordedAt;
    expect(toProjectedEvent(withRecordedAt).fact?.recordedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(toProjectedEvent(without).fact?.recordedAt).toBe(promiseMade().data.occurredAt);
  });
});
