import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describeEventStoreContract } from '../event-store.contract';
import { StoreUnavailable } from '../event-store.errors';
import { SqliteEventStore } from './sqlite-event-store';

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-store-'));
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

describeEventStoreContract('embedded SQLite', async () =>
  SqliteEventStore.open({ file: path.join(tempDir, `contract-${Date.now()}.db`) }),
);

describe('the SQLite event store file', () => {
  it('survives a reopen with every event and its position', async () => {
    const file = path.join(tempDir, 'reopen.db');
    const first = SqliteEventStore.open({ file });
    const appended = await first.appendToStream(
      'relationship-1',
      [{ id: '00000000-0000-4000-8000-000000000001', type: 'A', data: {} }],
      {
        expectedRevision: 'no_stream',
      },
    );
    await first.close();
    const again = SqliteEventStore.open({ file });
    const [event] = await again.readStream('relationship-1');
    expect(event.position).toBe(appended.position);
    await again.close();
  });

  it('runs in WAL mode with full synchronous durability by default', async () => {
    const file = path.join(tempDir, 'pragmas.db');
    await SqliteEventStore.open({ file }).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a file that is not a SQLite database and leaves it untouched', () => {
    const file = path.join(tempDir, 'notes.db');
    fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(10));
    const before = fs.readFileSync(file);
    expect(() => SqliteEventStore.open({ file })).toThrow(StoreUnavailable);
    expect(() => SqliteEventStore.open({ file })).toThrow(/not a SQLite database/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a SQLite database of another application and leaves it untouched', () => {
    const file = path.join(tempDir, 'other-app.db');
    const other = new Database(file);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    other.close();
    const before = fs.readFileSync(file);
    expect(() => SqliteEventStore.open({ file })).toThrow(/another application/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a corrupt database with a clear error', async () => {
    const file = path.join(tempDir, 'corrupt.db');
    const store = SqliteEventStore.open({ file });
    await store.close();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xff, 16, 100); // keep the header magic, destroy the page-1 fields
    fs.writeFileSync(file, bytes);
    expect(() => SqliteEventStore.open({ file })).toThrow(StoreUnavailable);
  });

  it('lets a subscription in one process see appends made through another connection', async () => {
    const file = path.join(tempDir, 'two-writers.db');
    const reader = SqliteEventStore.open({ file, pollIntervalMs: 20 });
    const writer = SqliteEventStore.open({ file });
    const subscription = reader.subscribeToAll();
    const first = (async () => {
      for await (const event of subscription) return event;
    })();
    await writer.appendToStream(
      'program-1',
      [{ id: '00000000-0000-4000-8000-000000000002', type: 'A', data: { from: 'writer' } }],
      {
        expectedRevision: 'any',
      },
    );
    await expect(first).resolves.toMatchObject({ data: { from: 'writer' } });
    await subscription.close();
    await writer.close();
    await reader.close();
  });

  describe('two connections appending to the same stream by turns', () => {
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

    it("reads the other connection's events after its own last append, from the stream and from $all", async () => {
      const file = path.join(tempDir, 'by-turns.db');
      const one = SqliteEventStore.open({ file });
      const other = SqliteEventStore.open({ file });
      const stream = 'relationship-turns';
      let next: bigint | 'no_stream' = 'no_stream';
      let last = 0n;
      for (let n = 1; n <= 6; n++) {
        const [writer, reader] = n % 2 ? [one, other] : [other, one];
        const from = next === 'no_stream' ? 0n : next + 1n;
        // Each connection has read up to its own last append: the other's must not be hidden from it.
        if (next !== 'no_stream') expect(await writer.readStream(stream, { fromRevision: from })).toEqual([]);
        const appended = await writer.appendToStream(stream, [{ id: id(n), type: 'A', data: { n } }], {
          expectedRevision: next,
        });
        expect(await writer.readStream(stream, { fromRevision: appended.nextRevision + 1n })).toEqual([]);
        const seen = await reader.readStream(stream, { fromRevision: from });
        expect(seen.map((event) => event.data)).toEqual([{ n }]);
        expect((await reader.readAll({ fromPosition: last })).map((event) => event.data)).toEqual([{ n }]);
        expect(await writer.readAll({ fromPosition: appended.position })).toEqual([]);
        next = appended.nextRevision;
        last = appended.position;
      }
      await one.close();
      await other.close();
    });

    it('refuses an append at a revision the other connection has since moved on from', async () => {
      const file = path.join(tempDir, 'stale-revision.db');
      const one = SqliteEventStore.open({ file });
      const other = SqliteEventStore.open({ file });
      const stream = 'relationship-stale';
      const first = await one.appendToStream(stream, [{ id: id(11), type: 'A', data: {} }], {
        expectedRevision: 'no_stream',
      });
      expect(await one.readStream(stream, { fromRevision: first.nextRevision + 1n })).toEqual([]);
      await other.appendToStream(stream, [{ id: id(12), type: 'A', data: {} }], {
        expectedRevision: first.nextRevision,
      });
      await expect(
        one.appendToStream(stream, [{ id: id(13), type: 'A', data: {} }], { expectedRevision: first.nextRevision }),
      ).rejects.toThrow(/expected/i);
      expect((await one.readStream(stream, { fromRevision: first.nextRevision + 1n })).map((e) => e.id)).toEqual([
        id(12),
      ]);
      await one.close();
      await other.close();
    });
  });
});
