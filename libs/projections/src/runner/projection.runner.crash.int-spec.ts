import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { at, promiseMade, trustCheckInSubmitted } from '@trustline/testing';
import {
  appendFacts,
  countRows,
  dumpTables,
  openStore,
  seedProgram,
  streamOf,
  tempFolder,
} from '@trustline/testing/read-model.fixtures';
import { ProjectionRunner } from './projection.runner';
import { ReadModelDatabase } from './read-model.database';
import { rebuildReadModel } from './read-model.rebuild';

// A projector is killed with SIGKILL at random moments, mostly in the middle
// of a batch; each restart resumes from the checkpoint. In the end the read
// models must equal a rebuild: nothing applied twice, nothing skipped.
const KILLS = 6;
const RELATIONSHIPS_PER_ROUND = 40;
/** About how many batches (of the child's 25 events) each round appends: the kill comes after fewer. */
const COMMITS_PER_ROUND = 6;
const CHILD = path.join(__dirname, 'crash-projector.child.ts');
const REPOSITORY_ROOT = path.resolve(__dirname, '../../../..');

function runProjectorUntilKilled(eventsFile: string, readFile: string, killAfterCommits: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', CHILD, eventsFile, readFile],
      {
        cwd: REPOSITORY_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
      },
    );
    let commits = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      commits += chunk.split('committed').length - 1;
      if (commits >= killAfterCommits) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`the projector exited by itself (${signal ?? code})`)),
    );
  });
}

describe('a projection runner killed mid-batch', () => {
  const folder = tempFolder('projector-crash');
  afterAll(() => folder.remove());

  it(`applies every event exactly once across ${KILLS} kills`, async () => {
    const eventsFile = folder.file('events.db');
    const readFile = folder.file('read.db');
    const store = openStore(eventsFile);
    for (let kill = 0; kill < KILLS; kill++) {
      const seeded = await seedProgram(store, RELATIONSHIPS_PER_ROUND);
      for (const id of seeded.relationshipIds.slice(0, 5)) {
        await appendFacts(store, streamOf('relationship', id), [
          promiseMade({ relationshipId: id, promiseId: randomUUID(), occurredAt: at(3) }),
          trustCheckInSubmitted({ relationshipId: id, checkInId: randomUUID(), occurredAt: at(4) }),
        ]);
      }
      await runProjectorUntilKilled(eventsFile, readFile, 1 + Math.floor(Math.random() * COMMITS_PER_ROUND));
    }

    const database = ReadModelDatabase.open({ file: readFile });
    await new ProjectionRunner({ store, database, logger: { log: () => undefined, error: () => undefined } }).catchUp();
    database.close();
    const rebuilt = folder.file('rebuilt.db');
    await rebuildReadModel({ store, file: rebuilt });
    const all = await store.readAll({ maxCount: 100_000 });
    await store.close();

    expect(countRows(readFile, 'relationship_facts')).toBe(
      all.filter((e) => e.streamId.startsWith('relationship-')).length,
    );
    expect(dumpTables(readFile)).toEqual(dumpTables(rebuilt));
  }, 120_000);
});
