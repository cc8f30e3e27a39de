import { randomUUID } from 'node:crypto';
import { at, promiseKept, promiseMade, trustCheckInSubmitted } from '@trustline/testing';
import type { RecordedEvent, SqliteEventStore } from '@trustline/event-store';
import { READ_MODEL_PROJECTIONS } from '../read-model.projections';
import { ReadModels } from '../queries/read-models.queries';
import {
  appendFacts,
  countRows,
  dumpTables,
  openStore,
  seedProgram,
  streamOf,
  tempFolder,
} from '@trustline/testing/read-model.fixtures';
import type { Projection } from './projection.definition';
import { defineRowProjection } from './row.projection';
import { ProjectionRunner, type ProjectionLogger } from './projection.runner';
import { ReadModelDatabase } from './read-model.database';
import { rebuildReadModel } from './read-model.rebuild';

const folder = tempFolder('runner');
afterAll(() => folder.remove());

const FAST_RETRY = { initial: 10, max: 40 };
/** More than PROJECTION_TUNING.rowsPerInsert, so row projections write to SQLite before the failure. */
const FAILING_BATCH_CHECK_INS = 40;
const WAIT_MS = 5000;

const silentLogger = (): ProjectionLogger & { error: jest.Mock; log: jest.Mock } => ({
  log: jest.fn(),
  error: jest.fn(),
});

async function eventually(condition: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('The condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let files = 0;
function setUp(projections = READ_MODEL_PROJECTIONS) {
  files++;
  const eventsFile = folder.file(`events-${files}.db`);
  const readFile = folder.file(`read-${files}.db`);
  const store = openStore(eventsFile);
  const open = () => ReadModelDatabase.open({ file: readFile, projections });
  return { store, readFile, open };
}

const relationshipFacts = (id: string) => [
  promiseMade({ relationshipId: id, promiseId: randomUUID(), occurredAt: at(3) }),
  trustCheckInSubmitted({ relationshipId: id, checkInId: randomUUID(), occurredAt: at(4) }),
];

describe('a projection runner', () => {
  let store: SqliteEventStore;
  let database: ReadModelDatabase;
  let runner: ProjectionRunner;

  afterEach(async () => {
    await runner?.stop();
    database?.close();
    await store?.close();
  });

  it('catches up with the events already stored, then follows new ones live', async () => {
    const env = setUp();
    store = env.store;
    const seeded = await seedProgram(store, 2);
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    runner.start();

    expect(await runner.waitFor(seeded.lastPosition, WAIT_MS)).toBe(true);
    const reads = new ReadModels(database);
    expect(reads.countRelationships({ programId: seeded.programId })).toBe(2);

    const [first] = seeded.relationshipIds;
    const later = await appendFacts(store, streamOf('relationship', first), relationshipFacts(first));
    expect(await runner.waitFor(later, WAIT_MS)).toBe(true);
    expect(reads.relationshipFacts(first).map((fact) => fact.event.type)).toEqual([
      'RelationshipStarted',
      'PromiseMade',
      'MeetingScheduled',
      'TrustCheckInSubmitted',
      'PromiseMade',
      'TrustCheckInSubmitted',
    ]);
    expect(runner.checkpoint()).toBe(later);
  });

  it('tells listeners of each commit: the events applied, in order, and the checkpoint', async () => {
    const env = setUp();
    store = env.store;
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    const heard: { positions: bigint[]; checkpoint: bigint }[] = [];
    runner.onCommitted((batch, checkpoint) => heard.push({ positions: batch.map((e) => e.position), checkpoint }));
    runner.start();

    const seeded = await seedProgram(store, 3);
    expect(await runner.waitFor(seeded.lastPosition, WAIT_MS)).toBe(true);

    const positions = heard.flatMap((commit) => commit.positions);
    expect(positions).toEqual((await store.readAll({ maxCount: 1000 })).map((e) => e.position));
    for (const commit of heard) expect(commit.checkpoint).toBe(commit.positions[commit.positions.length - 1]);
  });

  it('keeps going when a listener throws, and logs it', async () => {
    const env = setUp();
    store = env.store;
    database = env.open();
    const logger = silentLogger();
    runner = new ProjectionRunner({ store, database, logger });
    runner.onCommitted(() => {
      throw new Error('listener broke');
    });
    runner.start();
    const seeded = await seedProgram(store, 1);
    expect(await runner.waitFor(seeded.lastPosition, WAIT_MS)).toBe(true);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('listener'), expect.any(Error));
  });

  it('stops hearing a listener once unregistered', async () => {
    const env = setUp();
    store = env.store;
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    const listener = jest.fn();
    runner.onCommitted(listener)();
    runner.start();
    const seeded = await seedProgram(store, 1);
    expect(await runner.waitFor(seeded.lastPosition, WAIT_MS)).toBe(true);
    expect(listener).not.toHaveBeenCalled();
  });

  it('resumes from its checkpoint after a restart and applies nothing twice', async () => {
    const env = setUp();
    store = env.store;
    const before = await seedProgram(store, 2);
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    runner.start();
    expect(await runner.waitFor(before.lastPosition, WAIT_MS)).toBe(true);
    await runner.stop();
    database.close();

    const after = await seedProgram(store, 2);
    const [first] = before.relationshipIds;
    const last = await appendFacts(store, streamOf('relationship', first), relationshipFacts(first));
    database = env.open();
    expect(database.checkpoint()).toBe(before.lastPosition);
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    runner.start();
    expect(await runner.waitFor(last, WAIT_MS)).toBe(true);
    await runner.stop();
    database.close();

    const relationshipEvents = (await store.readAll({ maxCount: 1000 })).filter((e) =>
      e.streamId.startsWith('relationship-'),
    );
    expect(countRows(env.readFile, 'relationship_facts')).toBe(relationshipEvents.length);
    expect(countRows(env.readFile, 'relationships')).toBe(before.relationshipIds.length + after.relationshipIds.length);
    const rebuilt = folder.file(`rebuilt-${files}.db`);
    await rebuildReadModel({ store, file: rebuilt });
    expect(dumpTables(env.readFile)).toEqual(dumpTables(rebuilt));
  });

  it('skips events of unknown types and streams but moves its checkpoint past them', async () => {
    const env = setUp();
    store = env.store;
    const seeded = await seedProgram(store, 1);
    const [relationshipId] = seeded.relationshipIds;
    await appendFacts(store, streamOf('relationship', relationshipId), [
      { type: 'SomethingFromTheFuture', data: { x: 1 } },
    ]);
    const last = await appendFacts(store, 'audit-log-1', [{ type: 'PromiseMade', data: { occurredAt: at(1) } }]);
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    runner.start();

    expect(await runner.waitFor(last, WAIT_MS)).toBe(true);
    expect(runner.checkpoint()).toBe(last);
    expect(new ReadModels(database).relationshipFacts(relationshipId)).toHaveLength(4);
    expect(runner.lastError).toBeNull();
  });

  it('answers waitFor false after the timeout when the position is not reached', async () => {
    const env = setUp();
    store = env.store;
    const seeded = await seedProgram(store, 1);
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    runner.start();
    const started = Date.now();
    expect(await runner.waitFor(seeded.lastPosition + 1000n, 50)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('answers waitFor true at once for a position already projected', async () => {
    const env = setUp();
    store = env.store;
    const seeded = await seedProgram(store, 1);
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    await runner.catchUp();
    expect(await runner.waitFor(seeded.lastPosition, 0)).toBe(true);
  });

  it('applies nothing more once stopped, and starts again where it stopped', async () => {
    const env = setUp();
    store = env.store;
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger() });
    runner.start();
    const seeded = await seedProgram(store, 1);
    expect(await runner.waitFor(seeded.lastPosition, WAIT_MS)).toBe(true);
    await runner.stop();
    expect(runner.isRunning).toBe(false);

    const [id] = seeded.relationshipIds;
    const later = await appendFacts(store, streamOf('relationship', id), relationshipFacts(id));
    expect(await runner.waitFor(later, 100)).toBe(false);
    runner.start();
    expect(await runner.waitFor(later, WAIT_MS)).toBe(true);
  });

  it('catches up page by page with catchUp and reports how many events it applied', async () => {
    const env = setUp();
    store = env.store;
    const seeded = await seedProgram(store, 5);
    database = env.open();
    runner = new ProjectionRunner({ store, database, logger: silentLogger(), catchUpBatchSize: 7, readPageSize: 3 });
    const batches: RecordedEvent[][] = [];
    runner.onCommitted((batch) => batches.push(batch));
    const all = await store.readAll({ maxCount: 1000 });

    expect(await runner.catchUp()).toEqual({ checkpoint: seeded.lastPosition, events: all.length });
    expect(batches.flat().map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(7);
    expect(await runner.catchUp()).toEqual({ checkpoint: seeded.lastPosition, events: 0 });
  });
});

describe('a projection runner moving to another read database', () => {
  it('catches a new file up to a given position and no further', async () => {
    const env = setUp();
    const store = env.store;
    const seeded = await seedProgram(store, 2);
    const all = await store.readAll({ maxCount: 1000 });
    const middle = all[Math.floor(all.length / 2)].position;
    const database = env.open();
    const runner = new ProjectionRunner({ store, database, logger: silentLogger(), readPageSize: 2 });

    expect((await runner.catchUp({ until: middle })).checkpoint).toBe(middle);
    expect((await runner.catchUp()).checkpoint).toBe(seeded.lastPosition);
    database.close();
    await store.close();
  });

  it('switches, while stopped, to a file at the same checkpoint and carries on there', async () => {
    const env = setUp();
    const store = env.store;
    const seeded = await seedProgram(store, 1);
    const live = env.open();
    const runner = new ProjectionRunner({ store, database: live, logger: silentLogger() });
    await runner.catchUp();
    const rebuilt = ReadModelDatabase.open({ file: folder.file(`switched-${files}.db`) });
    await new ProjectionRunner({ store, database: rebuilt, logger: silentLogger() }).catchUp();

    expect(runner.switchDatabase(rebuilt)).toBe(live);
    live.close();
    const [id] = seeded.relationshipIds;
    const later = await appendFacts(store, streamOf('relationship', id), relationshipFacts(id));
    runner.start();
    expect(await runner.waitFor(later, WAIT_MS)).toBe(true);
    expect(rebuilt.checkpoint()).toBe(later);
    await runner.stop();
    rebuilt.close();
    await store.close();
  });

  it('refuses to switch while running, or to a file at another checkpoint', async () => {
    const env = setUp();
    const store = env.store;
    await seedProgram(store, 1);
    const live = env.open();
    const runner = new ProjectionRunner({ store, database: live, logger: silentLogger() });
    const behind = ReadModelDatabase.open({ file: folder.file(`behind-${files}.db`) });
    await runner.catchUp();
    expect(() => runner.switchDatabase(behind)).toThrow(/stands at/);
    runner.start();
    expect(() => runner.switchDatabase(behind)).toThrow(/Stop the projection runner/);
    await expect(runner.catchUp()).rejects.toThrow(/not started/);
    await runner.stop();
    live.close();
    behind.close();
    await store.close();
  });
});

describe('a projection runner whose projection fails', () => {
  let store: SqliteEventStore;
  let database: ReadModelDatabase;
  let runner: ProjectionRunner;
  afterEach(async () => {
    await runner?.stop();
    database?.close();
    await store?.close();
  });

  it('commits nothing of the failing batch, reports the error, retries, and applies it once the projection recovers', async () => {
    let broken = false;
    // Last in the list and failing at flush: every other projection has
    // already written its rows and documents into the transaction by then.
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      tables: ['CREATE TABLE IF NOT EXISTS flaky (position INTEGER PRIMARY KEY)'],
      indexes: [],
      prepare: (db) => {
        const insert = db.prepare('INSERT OR IGNORE INTO flaky (position) VALUES (?)');
        let sawPromiseKept = false;
        return {
          apply: (events) => {
            for (const { stored } of events) {
              insert.run(stored.position);
              sawPromiseKept ||= stored.type === 'PromiseKept';
            }
          },
          flush: () => {
            const fail = broken && sawPromiseKept;
            sawPromiseKept = false;
            if (fail) throw new Error('the projection broke');
          },
          rollback: () => {
            sawPromiseKept = false;
          },
        };
      },
    };
    const env = setUp([...READ_MODEL_PROJECTIONS, flaky]);
    store = env.store;
    const seeded = await seedProgram(store, 1);
    database = env.open();
    const logger = silentLogger();
    runner = new ProjectionRunner({ store, database, logger, retryBackoffMs: FAST_RETRY });
    runner.start();
    expect(await runner.waitFor(seeded.lastPosition, WAIT_MS)).toBe(true);
    const before = dumpTables(env.readFile);

    broken = true;
    const [id] = seeded.relationshipIds;
    const promiseId = randomUUID();
    // One append, so its events reach the runner as one batch.
    const checkIns = Array.from({ length: FAILING_BATCH_CHECK_INS }, () =>
      trustCheckInSubmitted({ relationshipId: id, checkInId: randomUUID(), occurredAt: at(5) }),
    );
    const last = await appendFacts(store, streamOf('relationship', id), [
      promiseMade({ relationshipId: id, promiseId, occurredAt: at(3) }),
      promiseKept({ relationshipId: id, promiseId, occurredAt: at(4) }),
      ...checkIns,
    ]);
    await eventually(() => logger.error.mock.calls.length >= 2);

    expect(runner.lastError?.message).toBe('the projection broke');
    expect(runner.checkpoint()).toBe(seeded.lastPosition);
    expect(dumpTables(env.readFile)).toEqual(before);
    expect(await runner.waitFor(last, 20)).toBe(false);

    broken = false;
    expect(await runner.waitFor(last, WAIT_MS)).toBe(true);
    expect(runner.lastError).toBeNull();
    expect(new ReadModels(database).relationshipFacts(id)).toHaveLength(4 + 2 + FAILING_BATCH_CHECK_INS);
    expect(new ReadModels(database).getRelationship(id)?.promises.map((promise) => promise.status)).toEqual([
      'OPEN',
      'KEPT',
    ]);
    expect(countRows(env.readFile, 'flaky')).toBe((await store.readAll({ maxCount: 1000 })).length);
  });

  it('stops while waiting to retry, leaving the failed batch for the next start', async () => {
    const failing = defineRowProjection<{ type: string }>({
      name: 'failing',
      version: 1,
      columns: { type: 'TEXT' },
      indexes: [],
      rowOf: () => {
        throw new Error('always');
      },
    });
    const env = setUp([failing]);
    store = env.store;
    await seedProgram(store, 1);
    database = env.open();
    const logger = silentLogger();
    runner = new ProjectionRunner({ store, database, logger, retryBackoffMs: { initial: 60_000, max: 60_000 } });
    runner.start();
    await eventually(() => runner.lastError !== null);

    await runner.stop();
    expect(runner.isRunning).toBe(false);
    expect(runner.checkpoint()).toBeNull();
  });
});
