import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import {
  DuplicateEventId,
  isStorageFailure,
  StorageFailure,
  StoreUnavailable,
  WrongExpectedVersion,
} from '../event-store.errors';
import { SqliteEventStore } from './sqlite-event-store';

// Faults around the write path: damaged files, a full disk, one event id twice.

const PAGE = 4096;
const event = (id: string = randomUUID(), size = 10) => ({ id, type: 'Noted', data: { text: 'x'.repeat(size) } });
const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('the SQLite event store, faced with faults', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-store-faults-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses to open a file damaged in its middle pages, naming it, and leaves its bytes as they were', async () => {
    const file = path.join(dir, 'events.db');
    const store = SqliteEventStore.open({ file });
    for (let i = 0; i < 200; i++)
      await store.appendToStream(`relationship-${i}`, [event(undefined, 800)], { expectedRevision: 'no_stream' });
    await store.close();
    const pages = fs.statSync(file).size / PAGE;
    expect(pages).toBeGreaterThan(20);
    const handle = fs.openSync(file, 'r+');
    fs.writeSync(handle, Buffer.alloc(PAGE, 0xa5), 0, PAGE, Math.floor(pages / 2) * PAGE);
    fs.closeSync(handle);
    const before = digest(file);

    expect(() => SqliteEventStore.open({ file })).toThrow(StoreUnavailable);
    expect(() => SqliteEventStore.open({ file })).toThrow(file);
    expect(digest(file)).toBe(before);
  });

  it('refuses an event id already stored in another stream, inside the append, and writes nothing', async () => {
    const store = SqliteEventStore.open({ file: path.join(dir, 'events.db') });
    const id = randomUUID();
    await store.appendToStream('relationship-a', [event(id)], { expectedRevision: 'no_stream' });
    await expect(
      store.appendToStream('relationship-b', [event(), event(id)], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow(DuplicateEventId);
    await expect(store.readStream('relationship-b')).rejects.toThrow('does not exist');
    expect((await store.readAll()).map((e) => e.id)).toEqual([id]);
    await store.close();
  });

  it('refuses, among appends committed together, only the one whose later event repeats a stored id: the others commit, their positions with no gap', async () => {
    const store = SqliteEventStore.open({ file: path.join(dir, 'events.db') });
    const id = randomUUID();
    await store.appendToStream('relationship-a', [event(id)], { expectedRevision: 'no_stream' });
    // Made in one turn of the event loop, so committed as one group.
    const outcomes = await Promise.allSettled([
      store.appendToStream('relationship-b', [event(), event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('relationship-c', [event(), event(id)], { expectedRevision: 'no_stream' }),
      store.appendToStream('relationship-d', [event(), event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('relationship-b', [event()], { expectedRevision: 0n }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventId);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
    expect(outcomes[0]).toMatchObject({ value: { nextRevision: 1n, position: 3n } });
    expect(outcomes[2]).toMatchObject({ value: { nextRevision: 1n, position: 5n } });
    await expect(store.readStream('relationship-c')).rejects.toThrow('does not exist');
    const all = await store.readAll();
    expect(all.map((e) => [e.position, e.streamId])).toEqual([
      [1n, 'relationship-a'],
      [2n, 'relationship-b'],
      [3n, 'relationship-b'],
      [4n, 'relationship-d'],
      [5n, 'relationship-d'],
    ]);
    // The next append continues right after them: nothing of the refused one was left behind.
    const next = await store.appendToStream('relationship-c', [event()], { expectedRevision: 'no_stream' });
    expect(next).toEqual({ nextRevision: 0n, position: 6n });
    await store.close();
  });

  it('adds the unique index on event ids to a store created before it existed', async () => {
    const file = path.join(dir, 'events.db');
    await SqliteEventStore.open({ file }).close();
    const raw = new Database(file);
    raw.exec('DROP INDEX events_id');
    raw.close();
    const store = SqliteEventStore.open({ file });
    const id = randomUUID();
    await store.appendToStream('relationship-a', [event(id)], { expectedRevision: 'no_stream' });
    await expect(
      store.appendToStream('relationship-b', [event(id)], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow(DuplicateEventId);
    await store.close();
  });

  it('answers a full disk with a retryable StorageFailure, and appends again once there is room', async () => {
    const file = path.join(dir, 'events.db');
    const store = SqliteEventStore.open({ file });
    await store.appendToStream('relationship-a', [event()], { expectedRevision: 'no_stream' });
    // SQLite's own "database or disk is full" (SQLITE_FULL), as on a full file system.
    const limit = new Database(file);
    const pages = limit.pragma('page_count', { simple: true }) as number;
    limit.close();
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${pages}`);
    const failure = await store
      .appendToStream('relationship-b', [event(undefined, 64 * 1024)], { expectedRevision: 'no_stream' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageFailure);
    expect(isStorageFailure(failure)).toBe(true);
    expect((failure as StorageFailure).sqliteCode).toBe('SQLITE_FULL');
    db.pragma('max_page_count = 1073741823');
    await store.appendToStream('relationship-b', [event(undefined, 64 * 1024)], { expectedRevision: 'no_stream' });
    expect(await store.readAll()).toHaveLength(2);
    await store.close();
  });
});
