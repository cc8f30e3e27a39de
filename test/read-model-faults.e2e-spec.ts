import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ProjectionRunner, readReadModelPointer } from '@trustline/projections';
import { arrangeRelationship, mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// A damaged read database is never served: the server builds a new one from the events.

const PAGE = 4096;
const VIEW = `query ($program: ID!, $relationship: ID!) {
  program(id: $program) { name }
  relationship(id: $relationship) { id mentor { displayName } }
}`;

/** Garbage over every page but the first (the schema), as a failing disk or a bad copy leaves it. */
function damageDataPages(file: string): void {
  const pages = Math.floor(fs.statSync(file).size / PAGE);
  const handle = fs.openSync(file, 'r+');
  for (let page = 1; page < pages; page++) fs.writeSync(handle, Buffer.alloc(PAGE, 0xa5), 0, PAGE, page * PAGE);
  fs.closeSync(handle);
}

describe('a server whose read database is damaged', () => {
  let dir: string;
  let server: TestApp | undefined;
  const start = async () => (server = await startTestApp({ dataDir: dir, env: { RATE_LIMIT_PER_MINUTE: '0' } }));
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-read-damage-'))));
  afterEach(async () => {
    await server?.close();
    server = undefined;
    removeDir(dir);
  });
  const view = (ids: { programId: string; relationshipId: string }) =>
    server!.graphql(VIEW, { program: ids.programId, relationship: ids.relationshipId }, { token: server!.token() });
  const expected = { program: { name: 'Spring cohort' }, relationship: { mentor: { displayName: 'Grace Hopper' } } };

  it('while stopped: the next start builds a new file from the events and answers rightly', async () => {
    const first = await start();
    const ids = await arrangeRelationship(first, first.token());
    await first.close();
    server = undefined;
    damageDataPages(path.join(dir, 'read.db'));

    await start();
    expect((await view(ids)).data).toMatchObject(expected);
    const pointer = readReadModelPointer(dir);
    expect(pointer).toEqual({ file: expect.stringMatching(/^read-.+\.db$/), previous: 'read.db' });
    expect(fs.existsSync(path.join(dir, 'read.db'))).toBe(false);
    expect(await (await fetch(`${server!.url}/health`)).json()).toMatchObject({ status: 'ok' });
  }, 60_000);

  it('while serving: the batch that meets the damage is not retried for ever; a rebuilt file takes over', async () => {
    const running = await start();
    const ids = await arrangeRelationship(running, running.token());
    const file = path.join(dir, 'read.db');
    // Between two batches, so every page is in the main file when the damage lands there.
    const runner = running.app.get(ProjectionRunner, { strict: false });
    await runner.stop();
    const raw = new Database(file);
    expect(raw.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    damageDataPages(file);
    // A write by another connection makes the server's connection drop the pages it cached.
    raw.pragma('user_version = 7');
    raw.close();
    runner.start();

    const written = await mutate<{ position: string }>(
      running,
      running.token(),
      'recordProgramCommunication',
      { programId: ids.programId, channel: 'email', summary: 'after the damage' },
      'position',
    );
    for (let i = 0; i < 600 && readReadModelPointer(dir).file === 'read.db'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readReadModelPointer(dir)).toEqual({ file: expect.stringMatching(/^read-.+\.db$/), previous: 'read.db' });
    expect((await view(ids)).data).toMatchObject(expected);
    const trend = await running.graphql<{ program: { trustTrend: { communications: number }[] } }>(
      'query ($id: ID!) { program(id: $id) { trustTrend(bucket: MONTH) { communications } } }',
      { id: ids.programId },
      { token: running.token() },
    );
    expect(trend.data!.program.trustTrend.reduce((sum, point) => sum + point.communications, 0)).toBe(1);
    expect(BigInt(written.position)).toBeGreaterThan(0n);
  }, 60_000);
});
