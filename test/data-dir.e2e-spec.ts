import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { DATA_DIR_LOCK_FILE, readReadModelPointer, ReadModelSwap } from '@trustline/projections';
import type { CliOutput } from '../apps/cli/src/cli.io';
import { runCli } from '../apps/cli/src/trustline.cli';
import { ProjectionLifecycle } from '../apps/api/src/projections/projections.module';
import { arrangeRelationship } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// The server keeps its read models across restarts and rebuild swaps, whether
// DATA_DIR is given relative to the working directory (the default ./data) or absolute.

const capture = (): CliOutput & { stdout: string[]; stderr: string[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
};
/** What seed-demo does first, in a process of its own: holds DATA_DIR exclusively until told to let go. */
function holdExclusivelyInAnotherProcess(dataDir: string): Promise<{ release(): Promise<void> }> {
  const script =
    "const { holdDataDirExclusive } = require('./libs/projections/src/read-model/data-dir.lock');" +
    "holdDataDirExclusive(process.argv[1]); process.stdout.write('held\\n'); process.stdin.resume();" +
    "process.stdin.on('end', () => process.exit(0));";
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, dataDir], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' },
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve({ release: async () => (child.stdin.end(), await exited) });
    });
    child.on('close', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
}

const PROGRAM = 'query ($id: ID!) { program(id: $id) { name } }';
const startupOf = (server: TestApp) => server.app.get(ProjectionLifecycle, { strict: false }).startup!;
const swapOf = (server: TestApp) => server.app.get(ReadModelSwap, { strict: false });

describe.each([
  ['relative to the working directory', (dir: string) => path.relative(process.cwd(), dir)],
  ['absolute', (dir: string) => dir],
])('a server on a DATA_DIR given %s', (_, given) => {
  let dir: string;
  let server: TestApp | undefined;
  const start = async () => (server = await startTestApp({ dataDir: given(dir), env: { RATE_LIMIT_PER_MINUTE: '0' } }));
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-data-dir-'))));
  afterEach(async () => {
    await server?.close();
    server = undefined;
    removeDir(dir);
  });

  it('keeps its read database while it runs and across a restart, projecting nothing again', async () => {
    const first = await start();
    const { programId } = await arrangeRelationship(first, first.token());
    // What the swap poll does every second: it must find nothing to swap.
    await swapOf(first).check();
    await swapOf(first).check();
    expect(fs.existsSync(path.join(dir, 'read.db'))).toBe(true);
    expect(swapOf(first).database.file).toBe(path.join(dir, 'read.db'));
    await first.close();
    server = undefined;

    const second = await start();
    expect(startupOf(second)).toEqual({ file: path.join(dir, 'read.db'), eventsApplied: 0 });
    expect((await second.graphql(PROGRAM, { id: programId }, { token: second.token() })).data).toEqual({
      program: { name: 'Spring cohort' },
    });
  }, 60_000);

  it('serves a rebuilt file, keeps it, and starts on it next time without projecting again', async () => {
    const first = await start();
    const { programId } = await arrangeRelationship(first, first.token());
    const output = capture();
    const rebuilding = runCli(['rebuild', '--data-dir', given(dir)], output);
    // The CLI waits for the server to swap; the server swaps when it reads the pointer.
    while (readReadModelPointer(dir).file === 'read.db') await new Promise((resolve) => setTimeout(resolve, 20));
    const rebuilt = readReadModelPointer(dir).file;
    await swapOf(first).check();
    expect(await rebuilding).toBe(0);
    await swapOf(first).check();
    expect(swapOf(first).database.file).toBe(path.join(dir, rebuilt));
    expect(fs.existsSync(path.join(dir, rebuilt))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'read.db'))).toBe(false);
    await first.close();
    server = undefined;

    const second = await start();
    expect(startupOf(second)).toEqual({ file: path.join(dir, rebuilt), eventsApplied: 0 });
    expect((await second.graphql(PROGRAM, { id: programId }, { token: second.token() })).data).toEqual({
      program: { name: 'Spring cohort' },
    });
  }, 60_000);
});

describe('the DATA_DIR lock', () => {
  let dir: string;
  const servers: TestApp[] = [];
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-lock-'))));
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    removeDir(dir);
  });

  it('lets two servers share one data directory, and both answer from the same events', async () => {
    servers.push(await startTestApp({ dataDir: dir }), await startTestApp({ dataDir: dir }));
    const [a, b] = servers;
    const { programId } = await arrangeRelationship(a, a.token());
    const answer = { program: { name: 'Spring cohort' } };
    expect((await a.graphql(PROGRAM, { id: programId }, { token: a.token() })).data).toEqual(answer);
    // The second server follows the appends of the first (it polls the store).
    let fromB: unknown;
    for (let i = 0; i < 200 && fromB === undefined; i++) {
      fromB =
        (await b.graphql<{ program: unknown }>(PROGRAM, { id: programId }, { token: b.token() })).data?.program ??
        undefined;
      if (fromB === null || fromB === undefined) {
        fromB = undefined;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(fromB).toEqual(answer.program);
  }, 60_000);

  it('keeps seed-demo away from a running server, whatever side files exist', async () => {
    servers.push(await startTestApp({ dataDir: dir }));
    const output = capture();
    expect(await runCli(['seed-demo', '--relationships', '2', '--months', '1', '--data-dir', dir], output)).toBe(2);
    expect(output.stderr.join('\n')).toContain('stop the server on this data directory first');
  }, 60_000);

  it('lets seed-demo run once the server stopped, even after an abrupt stop left side files', async () => {
    servers.push(await startTestApp({ dataDir: dir }));
    await servers.pop()!.close();
    // What a SIGKILL leaves: the WAL and shared-memory files of both databases.
    for (const name of ['events.db-wal', 'events.db-shm', 'read.db-wal', 'read.db-shm']) {
      if (!fs.existsSync(path.join(dir, name))) fs.writeFileSync(path.join(dir, name), '');
    }
    const output = capture();
    const code = await runCli(['seed-demo', '--relationships', '2', '--months', '1', '--data-dir', dir], output);
    expect({ code, stderr: output.stderr }).toEqual({ code: 0, stderr: [] });
  }, 60_000);

  it('keeps a server from starting while an exclusive tool in another process holds the directory', async () => {
    const tool = await holdExclusivelyInAnotherProcess(dir);
    try {
      await expect(startTestApp({ dataDir: dir })).rejects.toThrow(/in use by a tool that needs it alone/);
    } finally {
      await tool.release();
    }
    expect(fs.existsSync(path.join(dir, DATA_DIR_LOCK_FILE))).toBe(true);
    servers.push(await startTestApp({ dataDir: dir }));
  }, 60_000);
});
