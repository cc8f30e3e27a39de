import * as fs from 'node:fs';
import Database from 'better-sqlite3';
import type { SqliteEventStore } from '@trustline/event-store';
import { programsProjection } from '../programs/programs.projection';
import { READ_MODEL_PROJECTIONS } from '../read-model.projections';
import { countRows, dumpTables, openStore, seedProgram, tempFolder } from '@trustline/testing/read-model.fixtures';
import { ProjectionRunner } from './projection.runner';
import { ReadModelDatabase, ReadModelUnavailable } from './read-model.database';

const folder = tempFolder('read-db');
afterAll(() => folder.remove());

let count = 0;
const nextFile = (name: string) => folder.file(`${name}-${++count}.db`);
const quiet = { log: () => undefined, error: () => undefined };

async function projectedStore(): Promise<{ store: SqliteEventStore; file: string; last: bigint }> {
  const store = openStore(nextFile('events'));
  const seeded = await seedProgram(store, 3);
  const file = nextFile('read');
  const database = ReadModelDatabase.open({ file });
  await new ProjectionRunner({ store, database, logger: quiet }).catchUp();
  database.close();
  return { store, file, last: seeded.lastPosition };
}

describe('a new read database', () => {
  it('is a WAL file with every projection table and no checkpoint yet', () => {
    const file = nextFile('new');
    const database = ReadModelDatabase.open({ file });
    expect(database.checkpoint()).toBeNull();
    expect(database.wasReset).toBe(false);
    database.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const tables = Object.keys(dumpTables(file));
    for (const projection of READ_MODEL_PROJECTIONS) expect(tables).toContain(projection.name);
  });
});

describe('a read database with events applied', () => {
  it('keeps its checkpoint and rows across a reopen', async () => {
    const { store, file, last } = await projectedStore();
    const again = ReadModelDatabase.open({ file });
    expect(again.checkpoint()).toBe(last);
    expect(again.wasReset).toBe(false);
    again.close();
    await store.close();
  });

  it('changes nothing when every event is delivered again', async () => {
    const { store, file } = await projectedStore();
    const before = dumpTables(file);
    // As if the checkpoint were lost: the documents' revisions and the rows'
    // keys are the second line of defence.
    const raw = new Database(file);
    raw.prepare('UPDATE read_model_checkpoint SET position = NULL').run();
    raw.close();
    const database = ReadModelDatabase.open({ file });
    const all = await store.readAll({ maxCount: 1000 });
    database.applyBatch(all);
    database.close();
    expect(dumpTables(file)).toEqual(before);
    await store.close();
  });

  it('drops events at or before its checkpoint', async () => {
    const { store, file, last } = await projectedStore();
    const database = ReadModelDatabase.open({ file });
    expect(database.applyBatch(await store.readAll({ maxCount: 1000 }))).toEqual([]);
    expect(database.checkpoint()).toBe(last);
    database.close();
    await store.close();
  });

  it('refuses a batch whose events go back in position, and applies none of it', async () => {
    const store = openStore(nextFile('events'));
    await seedProgram(store, 1);
    const [first, second] = await store.readAll({ maxCount: 2 });
    const file = nextFile('read');
    const database = ReadModelDatabase.open({ file });
    expect(() => database.applyBatch([second, first])).toThrow(/out of order/);
    expect(database.checkpoint()).toBeNull();
    database.close();
    expect(countRows(file, 'programs')).toBe(0);
    await store.close();
  });

  it('is emptied and starts over when the projections it was built by have changed', async () => {
    const { store, file } = await projectedStore();
    const changed = READ_MODEL_PROJECTIONS.map((p) =>
      p === programsProjection ? { ...p, version: p.version + 1 } : p,
    );
    const database = ReadModelDatabase.open({ file, projections: changed });
    expect(database.wasReset).toBe(true);
    expect(database.checkpoint()).toBeNull();
    database.close();
    expect(countRows(file, 'relationships')).toBe(0);
    await store.close();
  });
});

describe('opening a read database', () => {
  it('refuses a SQLite database of another application and leaves it untouched', () => {
    const file = nextFile('foreign');
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')");
    foreign.close();
    const bytes = fs.readFileSync(file);
    expect(() => ReadModelDatabase.open({ file })).toThrow(ReadModelUnavailable);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a file that is not a SQLite database and leaves it untouched', () => {
    const file = nextFile('text');
    fs.writeFileSync(file, 'not a database, just some notes\n'.repeat(4));
    expect(() => ReadModelDatabase.open({ file })).toThrow(ReadModelUnavailable);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a database, just some notes\n'.repeat(4));
  });

  it('refuses two projections with the same name', () => {
    expect(() =>
      ReadModelDatabase.open({ file: nextFile('twice'), projections: [programsProjection, programsProjection] }),
    ).toThrow(/Two projections/);
  });
});

describe('a read database batch', () => {
  it('is one at a time', () => {
    const database = ReadModelDatabase.open({ file: nextFile('batches') });
    const batch = database.beginBatch();
    expect(() => database.beginBatch()).toThrow(/already open/);
    batch.abort();
    database.beginBatch().abort();
    database.close();
  });

  it('leaves nothing behind when aborted', async () => {
    const store = openStore(nextFile('events'));
    await seedProgram(store, 1);
    const file = nextFile('read');
    const database = ReadModelDatabase.open({ file });
    const batch = database.beginBatch();
    batch.add(await store.readAll({ maxCount: 1000 }));
    batch.abort();
    expect(database.checkpoint()).toBeNull();
    database.close();
    expect(countRows(file, 'relationship_facts')).toBe(0);
    expect(countRows(file, 'programs')).toBe(0);
    await store.close();
  });
});
