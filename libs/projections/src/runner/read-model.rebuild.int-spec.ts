import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { streamName } from '@trustline/event-store';
import {
  at,
  meetingCancelled,
  meetingScheduled,
  participantRegistered,
  promiseKept,
  promiseMade,
  relationshipPaused,
} from '@trustline/testing';
import { ReadModels } from '../queries/read-models.queries';
import {
  appendFacts,
  dumpTables,
  openStore,
  seedProgram,
  streamOf,
  tempFolder,
} from '@trustline/testing/read-model.fixtures';
import { READ_MODEL_PROJECTIONS } from '../read-model.projections';
import { relationshipsProjection } from '../relationships/relationships.projection';
import { defineDocumentProjection } from './document.projection';
import { ProjectionRunner } from './projection.runner';
import { ReadModelDatabase, ReadModelUnavailable } from './read-model.database';
import { rebuildReadModel, replaceReadModelFile } from './read-model.rebuild';

const folder = tempFolder('rebuild');
afterAll(() => folder.remove());
const quiet = { log: () => undefined, error: () => undefined };

/** Every row of every table, every column (the time-dependent ones too) and the rowid, in rowid order. */
function wholeTables(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const rows = (table: string) =>
      db.prepare(`SELECT rowid AS _rowid, * FROM "${table}" ORDER BY rowid`).safeIntegers(true).all();
    return { schema, ...Object.fromEntries(names.map((table) => [table, rows(table)])) };
  } finally {
    db.close();
  }
}

describe('rebuilding the read models', () => {
  it('gives the same tables as projecting live, after read.db is deleted', async () => {
    const store = openStore(folder.file('events.db'));
    const live = folder.file('read.db');
    const database = ReadModelDatabase.open({ file: live });
    const runner = new ProjectionRunner({ store, database, logger: quiet, maxBatchSize: 5 });
    runner.start();
    // Appended while the runner follows, in many small batches.
    const seeded = await seedProgram(store, 4);
    for (const id of seeded.relationshipIds) {
      const promiseId = randomUUID();
      await appendFacts(store, streamOf('relationship', id), [
        promiseMade({ relationshipId: id, promiseId, occurredAt: at(3) }),
      ]);
      await appendFacts(store, streamOf('relationship', id), [
        promiseKept({ relationshipId: id, promiseId, occurredAt: at(4) }),
      ]);
    }
    const last = await appendFacts(store, streamOf('relationship', seeded.relationshipIds[0]), [
      relationshipPaused({ relationshipId: seeded.relationshipIds[0], occurredAt: at(9) }),
    ]);
    expect(await runner.waitFor(last, 5000)).toBe(true);
    await runner.stop();
    database.close();
    const projectedLive = dumpTables(live);

    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${live}${suffix}`, { force: true });
    const built = folder.file('read.rebuilt.db');
    const result = await rebuildReadModel({ store, file: built, batchSize: 7 });
    replaceReadModelFile(built, live);

    expect(result).toMatchObject({ checkpoint: last, events: (await store.readAll({ maxCount: 1000 })).length });
    expect(dumpTables(live)).toEqual(projectedLive);
    const reopened = ReadModelDatabase.open({ file: live });
    expect(reopened.wasReset).toBe(false);
    expect(new ReadModels(reopened).getRelationship(seeded.relationshipIds[0])?.status).toBe('paused');
    reopened.close();
    await store.close();
  });

  it('from the embedded store, writes what the runner writes event by event, odd events included', async () => {
    const store = openStore(folder.file('events-odd.db'));
    const seeded = await seedProgram(store, 3);
    const [first, second] = seeded.relationshipIds;
    const relationship = streamOf('relationship', first);
    const meetingId = randomUUID();
    await appendFacts(
      store,
      relationship,
      [
        meetingScheduled({ relationshipId: first, meetingId, startsAt: at(5), occurredAt: at(2) }),
        // Escapes JSON.stringify writes: a control character, a lone surrogate, a quote.
        promiseMade({ relationshipId: first, description: 'tab\tbell\u0007 lone\ud800 "quoted"', occurredAt: at(2) }),
      ],
      { idempotencyKey: randomUUID() },
    );
    const head = (await store.readStream(relationship)).at(-1)!;
    // Stored by older code: a MeetingCancelled at schema version 1 (upcast to 2), a ParticipantRegistered in plain text.
    const { noticeHours: _notice, ...v1 } = meetingCancelled({
      relationshipId: first,
      meetingId,
      startsAt: at(5),
      occurredAt: at(3),
    }).data;
    await store.appendToStream(
      relationship,
      [
        { id: randomUUID(), type: 'MeetingCancelled', data: v1, metadata: { schemaVersion: 1, recordedAt: at(3) } },
        // A type this code does not know, keyed with metadata of odd shapes; and one with no recordedAt.
        {
          id: randomUUID(),
          type: 'SomethingNoted',
          data: { occurredAt: at(3) },
          metadata: { idempotencyKey: 'odd-key', inputHash: 42, mutation: { name: 'x' } },
        },
        {
          id: randomUUID(),
          type: 'PromiseKept',
          data: { ...promiseKept({ relationshipId: first, occurredAt: at(4) }).data },
        },
        // A recordedAt SQLite does not store as it is (a lone surrogate), which the facts row holds as SQLite does.
        {
          id: randomUUID(),
          type: 'PromiseMade',
          data: promiseMade({ relationshipId: first, occurredAt: at(4) }).data,
          metadata: { recordedAt: `${at(4)}\udc00` },
        },
      ],
      { expectedRevision: head.revision },
    );
    const legacy = randomUUID();
    await store.appendToStream(
      streamName('participant', legacy),
      [
        {
          id: randomUUID(),
          type: 'ParticipantRegistered',
          data: participantRegistered({ participantId: legacy, programId: seeded.programId, email: 'old@example.com' })
            .data,
          metadata: { schemaVersion: 1, idempotencyKey: 'plain-key', inputHash: null },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await store.appendToStream(
      'notes-1',
      [{ id: randomUUID(), type: 'Noted', data: [1, 'two'], metadata: { idempotencyKey: 'k' } }],
      {
        expectedRevision: 'no_stream',
      },
    );
    await appendFacts(store, streamOf('relationship', second), [
      relationshipPaused({ relationshipId: second, occurredAt: at(6) }),
    ]);

    const now = Date.parse('2026-06-01T00:00:00.000Z');
    const clock = () => now;
    const built = (name: string) => folder.file(`odd-${name}.db`);
    // The oracle keeps no facts in memory: every summary is derived from the facts read back, as a server does.
    const runner = await rebuildReadModel({ store, file: built('runner'), clock, bulk: false, keptBytes: 0 });
    const bulk = await rebuildReadModel({ store, file: built('bulk'), clock });
    expect(bulk).toMatchObject({ checkpoint: runner.checkpoint, events: runner.events });
    const expected = wholeTables(built('runner'));
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['relationship_facts', 'event_index']));
    expect(wholeTables(built('bulk'))).toEqual(expected);
    // Memory for some relationships' facts only: the others are read back, the same rows either way.
    await rebuildReadModel({ store, file: built('bulk-bounded'), clock, keptBytes: 2000 });
    expect(wholeTables(built('bulk-bounded'))).toEqual(expected);
    await rebuildReadModel({ store, file: built('runner-kept'), clock, bulk: false });
    expect(wholeTables(built('runner-kept'))).toEqual(expected);
    await store.close();
  });

  it('folds the documents it creates in place to what the copying fold writes, in one batch and in many', async () => {
    const store = openStore(folder.file('events-owned.db'));
    const seeded = await seedProgram(store, 3);
    for (const [n, id] of seeded.relationshipIds.entries()) {
      const promiseId = randomUUID();
      const meetingId = randomUUID();
      await appendFacts(store, streamOf('relationship', id), [
        promiseMade({ relationshipId: id, promiseId, occurredAt: at(3) }),
        meetingScheduled({ relationshipId: id, meetingId, startsAt: at(6), occurredAt: at(3) }),
        promiseKept({ relationshipId: id, promiseId, occurredAt: at(4) }),
        ...(n === 0 ? [relationshipPaused({ relationshipId: id, occurredAt: at(5) })] : []),
        meetingCancelled({ relationshipId: id, meetingId, startsAt: at(6), occurredAt: at(5) }),
      ]);
    }
    // The oracle: the same projections, the relationships folded by copying only.
    const { evolveOwned: _inPlace, ...copying } = relationshipsProjection.spec;
    const oracle = READ_MODEL_PROJECTIONS.map((projection) =>
      projection === relationshipsProjection ? defineDocumentProjection(copying) : projection,
    );
    const clock = () => Date.parse('2026-06-01T00:00:00.000Z');
    const file = (name: string) => folder.file(`owned-${name}.db`);
    await rebuildReadModel({ store, file: file('oracle'), projections: oracle, clock, bulk: false, batchSize: 1000 });
    const expected = wholeTables(file('oracle'));
    await rebuildReadModel({ store, file: file('bulk'), clock });
    // Batches of 4: documents created in one batch are folded on by copying in the next.
    await rebuildReadModel({ store, file: file('batches'), clock, bulk: false, batchSize: 4 });
    expect(wholeTables(file('bulk'))).toEqual(expected);
    expect(wholeTables(file('batches'))).toEqual(expected);
    await store.close();
  });

  it('writes a new file and refuses to overwrite one', async () => {
    const store = openStore(folder.file('events-2.db'));
    const existing = folder.file('existing.db');
    fs.writeFileSync(existing, '');
    await expect(rebuildReadModel({ store, file: existing })).rejects.toThrow(ReadModelUnavailable);
    await store.close();
  });

  it('builds an empty read database from an empty store', async () => {
    const store = openStore(folder.file('events-3.db'));
    const result = await rebuildReadModel({ store, file: folder.file('empty.db') });
    expect(result).toMatchObject({ checkpoint: null, events: 0 });
    await store.close();
  });

  it('leaves no half-built file behind when it fails', async () => {
    const store = openStore(folder.file('events-4.db'));
    await seedProgram(store, 1);
    const file = folder.file('failed.db');
    const broken = {
      name: 'broken',
      version: 1,
      tables: [],
      indexes: [],
      prepare: () => ({
        apply: () => {
          throw new Error('broken projection');
        },
        flush: () => undefined,
        rollback: () => undefined,
      }),
    };
    await expect(rebuildReadModel({ store, file, projections: [broken] })).rejects.toThrow('broken projection');
    expect(fs.existsSync(file)).toBe(false);
    await store.close();
  });
});
