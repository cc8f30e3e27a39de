import { StoreUnavailable, StreamNotFound } from '../event-store.errors';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// What the adapter decides before any network call (the client connects lazily).

describe('connecting with a connection string', () => {
  it('that is malformed fails as unavailable without repeating the credentials it holds', () => {
    const attempt = () => EventStoreDbEventStore.connect('esdb://admin:s3cret@node1:not-a-port?tls=false');
    expect(attempt).toThrow(StoreUnavailable);
    expect(attempt).not.toThrow(/s3cret/);
  });
});

describe('an EventStoreDB store', () => {
  let store: EventStoreDbEventStore;
  beforeEach(() => {
    store = EventStoreDbEventStore.connect('esdb://127.0.0.1:2113?tls=false');
  });
  afterEach(() => store.close());

  it.each(['$all', '$$relationship-1', '', 'a stream'])(
    'reports %j as not found without asking the server',
    async (name) => {
      await expect(store.readStream(name)).rejects.toBeInstanceOf(StreamNotFound);
    },
  );

  describe('once closed', () => {
    beforeEach(() => store.close());

    it.each([
      ['append', () => store.appendToStream('s-1', [], { expectedRevision: 'any' })],
      ['read', () => store.readStream('s-1')],
      ['read $all', () => store.readAll()],
      ['ping', () => store.ping()],
    ])('refuses to %s', async (_, call) => {
      await expect(call()).rejects.toBeInstanceOf(StoreUnavailable);
    });

    it('refuses to subscribe', () => {
      expect(() => store.subscribeToAll()).toThrow(StoreUnavailable);
    });

    it('can be closed again', async () => {
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
});
