import { promiseMade } from '@trustline/testing';
import { projected } from '@trustline/testing/projected.fixtures';
import { eventIndexProjection } from './event-index.projection';

const rowOf = eventIndexProjection.spec.rowOf;

describe('the event index', () => {
  it('records where an event appended under an idempotency key landed, with its input hash and mutation', () => {
    const event = projected('relationship-x', promiseMade(), {
      position: 7n,
      metadata: { idempotencyKey: 'key-1', inputHash: 'abc', mutation: 'makePromise' },
    });
    expect(rowOf(event)).toEqual({
      event_id: event.stored.id,
      stream_id: 'relationship-x',
      idempotency_key: 'key-1',
      input_hash: 'abc',
      mutation: 'makePromise',
    });
  });

  it('skips an event appended without a key', () => {
    expect(rowOf(projected('relationship-x', promiseMade()))).toBeNull();
  });

  it('keeps a non-text input hash as its JSON and a missing mutation as null', () => {
    const event = projected('relationship-x', promiseMade(), {
      metadata: { idempotencyKey: 'k', inputHash: { v: 1 } },
    });
    expect(rowOf(event)).toMatchObject({ input_hash: '{"v":1}', mutation: null });
  });
});
