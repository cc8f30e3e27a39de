import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { StoreUnavailable } from '../event-store.errors';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// The real client against a port nobody listens on: no server needed, so this
// runs everywhere and checks what a down EventStoreDB looks like to callers.

// Long enough for several failed resubscriptions at the default backoff.
const STILL_WAITING_AFTER_MS = 300;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an EventStoreDB store whose server is down', () => {
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    store = EventStoreDbEventStore.connect(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
  });
  afterAll(async () => {
    await store.close();
  });

  const calls: [string, () => Promise<unknown>][] = [
    ['ping', () => store.ping()],
    [
      'append',
      () =>
        store.appendToStream('relationship-1', [{ id: randomUUID(), type: 'X', data: {} }], {
          expectedRevision: 'any',
        }),
    ],
    ['stream read', () => store.readStream('relationship-1')],
    ['$all read', () => store.readAll()],
  ];

  it.each(calls)('fails a %s as unavailable', async (_, call) => {
    await expect(call()).rejects.toBeInstanceOf(StoreUnavailable);
  });

  it('keeps a subscription waiting for the server until it is closed', async () => {
    const subscription = store.subscribeToAll();
    let delivered = 0;
    const done = (async () => {
      for await (const _ of subscription) delivered++;
    })();
    const outcome = await Promise.race([
      done.then(() => 'ended'),
      new Promise((r) => setTimeout(r, STILL_WAITING_AFTER_MS, 'waiting')),
    ]);
    expect(outcome).toBe('waiting');
    await subscription.close();
    await done;
    expect(delivered).toBe(0);
  });
});
