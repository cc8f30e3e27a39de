import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { SqliteEventStore } from '@trustline/event-store';
import { at, promiseMade } from '@trustline/testing';
import { projectedProgram, type ProjectedProgram } from '@trustline/testing/projected-program.fixtures';
import { appendFacts, streamOf, tempFolder } from '@trustline/testing/read-model.fixtures';
import { ReadModelDatabase } from '../runner/read-model.database';
import { ReadModels } from './read-models.queries';

// A relationship's revision is asked for on every trust read; between commits it is answered without a read
// transaction. Whatever connection (or process) commits, the next answer is what the read file holds.

const folder = tempFolder('revisions');
let fixture: ProjectedProgram;
let store: SqliteEventStore;
let database: ReadModelDatabase;
let reads: ReadModels;
let program: ProjectedProgram['program'];
/** Another connection on the same file, as a second server's; it reads and writes the rows directly. */
let raw: Database.Database;

beforeAll(async () => {
  fixture = await projectedProgram(folder, 3);
  ({ store, database, readModels: reads, program } = fixture);
  raw = new Database(folder.file('read.db'));
});

afterAll(async () => {
  raw.close();
  await fixture.close();
  folder.remove();
});

afterEach(() => jest.restoreAllMocks());

/** The oracle: the stored revision, read afresh through the other connection. */
const stored = (id: string): number | null =>
  (raw.prepare('SELECT revision FROM relationships WHERE id = ?').pluck().get(id.toLowerCase()) as
    number | undefined) ?? null;

/** The point queries ReadModels runs. */
const pointQueries = (models: ReadModels) =>
  jest.spyOn(
    (models as unknown as { statements: { relationshipRevision: Database.Statement } }).statements.relationshipRevision,
    'get',
  );

describe('a revision asked for again with nothing committed in between', () => {
  it('is answered without reading the file again, whatever case the id is in, an unknown id included', () => {
    const [id] = program.relationshipIds;
    const unknown = randomUUID();
    expect(reads.relationshipRevision(id)).toBe(stored(id));
    expect(reads.relationshipRevision(unknown)).toBeNull();
    const queries = pointQueries(reads);
    expect(reads.relationshipRevision(id.toUpperCase())).toBe(stored(id));
    expect(reads.relationshipRevision(id)).toBe(stored(id));
    expect(reads.relationshipRevision(unknown)).toBeNull();
    expect(queries).not.toHaveBeenCalled();
  });
});

describe('a revision asked for after a commit', () => {
  it("by this connection's runner: the projected fact's revision", async () => {
    const [, id] = program.relationshipIds;
    const before = reads.relationshipRevision(id)!;
    await appendFacts(store, streamOf('relationship', id), [
      promiseMade({ relationshipId: id, promiseId: randomUUID(), occurredAt: at(3) }),
    ]);
    // Stored, not projected yet: the read file still holds the old revision.
    expect(reads.relationshipRevision(id)).toBe(before);
    await fixture.project();
    expect(reads.relationshipRevision(id)).toBe(before + 1);
    expect(reads.relationshipRevision(id)).toBe(stored(id));
  });

  it("by another process's runner on the same file: the next answer has it", async () => {
    const [, , id] = program.relationshipIds;
    const before = reads.relationshipRevision(id)!;
    const other = ReadModelDatabase.open({ file: folder.file('read.db') });
    try {
      await appendFacts(store, streamOf('relationship', id), [
        promiseMade({ relationshipId: id, promiseId: randomUUID(), occurredAt: at(4) }),
      ]);
      await fixture.project(other);
    } finally {
      other.close();
    }
    expect(reads.relationshipRevision(id)).toBe(before + 1);
  });

  it('of any other connection, in any order with the reads: always what the file holds', () => {
    // Deterministic pseudo-random interleavings of writes (each its own commit) and reads.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ids = [...program.relationshipIds, randomUUID()];
    const bump = raw.prepare('UPDATE relationships SET revision = revision + ? WHERE id = ?');
    for (let step = 0; step < 300; step++) {
      const id = ids[next(ids.length)];
      if (next(3) === 0) bump.run(1 + next(5), id.toLowerCase());
      expect(reads.relationshipRevision(id)).toBe(stored(id));
    }
  });

  it('inside an open transaction of this connection: its own uncommitted write, then the rollback', () => {
    const [id] = program.relationshipIds;
    const before = reads.relationshipRevision(id)!;
    const db = database.connection;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare('UPDATE relationships SET revision = revision + 10 WHERE id = ?').run(id.toLowerCase());
      expect(reads.relationshipRevision(id)).toBe(before + 10);
    } finally {
      db.exec('ROLLBACK');
    }
    expect(reads.relationshipRevision(id)).toBe(before);
    expect(stored(id)).toBe(before);
  });
});

/** A file the revisions cannot be kept for: each call reads it. */
function expectReadOnEveryCall(file: ReadModelDatabase): void {
  try {
    const models = new ReadModels(file);
    const queries = pointQueries(models);
    const id = randomUUID();
    expect(models.relationshipRevision(id)).toBeNull();
    expect(models.relationshipRevision(id)).toBeNull();
    expect(queries).toHaveBeenCalledTimes(2);
  } finally {
    file.close();
  }
}

describe('a WAL file whose index is in this process only (EXCLUSIVE locking)', () => {
  it('is read on every call', () => {
    const exclusive = ReadModelDatabase.open({ file: folder.file('exclusive.db') });
    exclusive.connection.pragma('locking_mode = EXCLUSIVE');
    expectReadOnEveryCall(exclusive);
  });
});

describe('a read file that is not in WAL mode (a rebuild under way)', () => {
  it('is read on every call', () => {
    expectReadOnEveryCall(ReadModelDatabase.open({ file: folder.file('rebuild.db'), mode: 'rebuild' }));
  });
});

describe('after the switch to another read file', () => {
  it('answers from the new file', async () => {
    const [id] = program.relationshipIds;
    const models = new ReadModels(database);
    expect(models.relationshipRevision(id)).toBe(stored(id));
    const copy = ReadModelDatabase.open({ file: folder.file('copy.db') });
    try {
      models.switchTo(copy);
      // The copy has projected nothing yet.
      expect(models.relationshipRevision(id)).toBeNull();
      await fixture.project(copy);
      const inCopy = copy.connection.prepare('SELECT revision FROM relationships WHERE id = ?').pluck();
      expect(models.relationshipRevision(id)).toBe(inCopy.get(id.toLowerCase()));
      expect(models.relationshipRevision(id)).toBeGreaterThan(0);
    } finally {
      copy.close();
    }
  });
});
