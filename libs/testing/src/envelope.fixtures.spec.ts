import { EVENT_SCHEMA_VERSIONS } from '@trustline/event-store/event-types';
import { verifyChain } from '@trustline/event-store/hash-chain';
import { envelopeMetadata, eventsToAppend } from './envelope.fixtures';
import { at } from './fixtures/common.fixtures';
import { promiseKept, promiseMade } from './fixtures/relationship.fixtures';

describe('an event envelope built for a test or a benchmark', () => {
  it('carries the metadata the API writes, recorded when it occurred unless told otherwise', () => {
    const fact = promiseMade({ occurredAt: at(3) });
    expect(envelopeMetadata(fact, { correlationId: 'c-1' })).toEqual({
      occurredAt: at(3),
      recordedAt: at(3),
      actor: 'test',
      correlationId: 'c-1',
      causationId: 'c-1',
      // The version the write path records today (PromiseMade is sealed from version 2 on).
      schemaVersion: EVENT_SCHEMA_VERSIONS.PromiseMade,
    });
    expect(envelopeMetadata(fact, { recordedAt: at(5), actor: null }).recordedAt).toBe(at(5));
  });

  it('marks a keyed mutation with its key, input hash and, by default, the event type as mutation', () => {
    const metadata = envelopeMetadata(promiseMade(), { idempotency: { key: 'k-1', inputHash: 'h' } });
    expect(metadata).toMatchObject({ idempotencyKey: 'k-1', inputHash: 'h', mutation: 'PromiseMade' });
  });

  it('chains the events of an append on from the stream head, one correlation for all of them', () => {
    const first = eventsToAppend([promiseMade({ occurredAt: at(1) })], null);
    const next = eventsToAppend(
      [promiseKept({ occurredAt: at(2) }), promiseKept({ occurredAt: at(3) })],
      String(first[0].metadata?.hash),
    );
    expect(verifyChain([...first, ...next]).ok).toBe(true);
    expect(new Set(next.map((event) => event.metadata?.correlationId)).size).toBe(1);
    expect(next[0].metadata?.correlationId).not.toBe(first[0].metadata?.correlationId);
  });

  it('takes an envelope per event when given a function of its index', () => {
    const events = eventsToAppend([promiseMade(), promiseKept()], null, (index) => ({ actor: `actor-${index}` }));
    expect(events.map((event) => event.metadata?.actor)).toEqual(['actor-0', 'actor-1']);
  });
});
