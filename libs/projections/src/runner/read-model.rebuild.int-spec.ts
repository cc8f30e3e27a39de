import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { at, promiseKept, promiseMade, relationshipPaused } from '@trustline/testing';
import { ReadModels } from '../queries/read-models.queries';
import {
  appendFacts,
  dumpTables,
  openStore,
  seedProgram,
  streamOf,
  tempFolder,
} from '@trustline/testing/read-model.fixtures';
import { ProjectionRunner } from './projection.runner';
import { ReadModelDatabase, ReadModelUnavailable } from './read-model.database';
import { rebuildReadModel, replaceReadModelFile } from './read-model.rebuild';

const folder = tempFolder('rebuild');
afterAll(() => folder.remove());
const quiet = { log: () => undefined, error: () => undefined };

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
