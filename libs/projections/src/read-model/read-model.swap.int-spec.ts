import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore, streamName } from '@trustline/event-store';
import { ReadModels } from '../queries/read-models.queries';
import { ProjectionRunner } from '../runner/projection.runner';
import { ReadModelDatabase } from '../runner/read-model.database';
import { rebuildReadModel } from '../runner/read-model.rebuild';
import {
  DEFAULT_READ_MODEL_FILE,
  newReadModelFileName,
  readReadModelPointer,
  READ_MODEL_POINTER_FILE,
  writeReadModelPointer,
} from './read-model.pointer';
import { ReadModelSwap } from './read-model.swap';

const quiet = { log: () => undefined, error: () => undefined };

describe('the read-model pointer', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-pointer-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('names read.db while there is none', () => {
    expect(readReadModelPointer(dataDir)).toEqual({ file: DEFAULT_READ_MODEL_FILE });
  });

  it('reads back what was written, and leaves no temporary file', () => {
    const file = newReadModelFileName(new Date('2025-03-14T10:15:00.123Z'));
    expect(file).toBe('read-20250314T101500123Z.db');
    writeReadModelPointer(dataDir, { file, previous: 'read.db' });
    expect(readReadModelPointer(dataDir)).toEqual({ file, previous: 'read.db' });
    expect(fs.readdirSync(dataDir)).toEqual([READ_MODEL_POINTER_FILE]);
  });

  it.each(['../events.db', '/etc/passwd', 'events.db', 'read-x/../../y.db'])(
    'refuses to follow %j out of the read files',
    (name) => {
      fs.writeFileSync(path.join(dataDir, READ_MODEL_POINTER_FILE), JSON.stringify({ file: name }));
      expect(() => readReadModelPointer(dataDir)).toThrow('must name a read database file in DATA_DIR');
      expect(() => writeReadModelPointer(dataDir, { file: name })).toThrow('is not a read database file name');
    },
  );
});

describe('a server swapping its read models', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  let live: ReadModelDatabase;
  let runner: ProjectionRunner;
  let readModels: ReadModels;
  let swap: ReadModelSwap;
  const announced: bigint[] = [];

  const launch = async (name: string) => {
    const programId = randomUUID();
    const occurredAt = new Date().toISOString();
    const result = await store.appendToStream(
      streamName('program', programId),
      [
        {
          id: randomUUID(),
          type: 'ProgramLaunched',
          data: { programId, name, cadenceDays: 14, sessionMinutes: 60, occurredAt },
          metadata: { occurredAt, recordedAt: occurredAt },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return result.position;
  };

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-swap-'));
    store = SqliteEventStore.open({ file: path.join(dataDir, 'events.db'), synchronous: 'NORMAL' });
    for (let i = 0; i < 5; i++) await launch(`before ${i}`);
    live = ReadModelDatabase.open({ file: path.join(dataDir, DEFAULT_READ_MODEL_FILE) });
    runner = new ProjectionRunner({ store, database: live, logger: quiet });
    readModels = new ReadModels(live);
    await runner.catchUp();
    announced.length = 0;
    runner.onCommitted((events) => announced.push(...events.map((event) => event.position)));
    runner.start();
    swap = new ReadModelSwap({ dataDir, store, runner, readModels, database: live });
  });
  afterEach(async () => {
    await swap.stop();
    await runner.stop();
    swap.database.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('to a rebuilt file that fell behind while events kept coming', () => {
    it('brings it up to the live position, answers from it and deletes the old file, announcing each event once', async () => {
      const name = newReadModelFileName();
      await rebuildReadModel({ store, file: path.join(dataDir, name) });
      const meanwhile = [await launch('meanwhile 1'), await launch('meanwhile 2')];
      expect(await runner.waitFor(meanwhile[1], 2000)).toBe(true);

      writeReadModelPointer(dataDir, { file: name, previous: DEFAULT_READ_MODEL_FILE });
      await swap.check();

      expect(swap.database.file).toBe(path.join(dataDir, name));
      expect(swap.database.checkpoint()).toBe(meanwhile[1]);
      expect(readModels.countPrograms()).toBe(7);
      expect(fs.existsSync(path.join(dataDir, DEFAULT_READ_MODEL_FILE))).toBe(false);

      const after = await launch('after');
      expect(await runner.waitFor(after, 2000)).toBe(true);
      expect(readModels.countPrograms()).toBe(8);
      expect(announced).toEqual([...meanwhile, after]);
    });
  });

  describe('when the pointer names a file that does not exist', () => {
    it('keeps serving from the file it has', async () => {
      writeReadModelPointer(dataDir, { file: 'read-missing.db' });
      await swap.check();
      expect(swap.database).toBe(live);
      expect(readModels.countPrograms()).toBe(5);
      const position = await launch('still projected');
      expect(await runner.waitFor(position, 2000)).toBe(true);
    });
  });
});
