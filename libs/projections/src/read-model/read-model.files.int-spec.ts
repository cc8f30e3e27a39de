import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ReadModelDatabase } from '../runner/read-model.database';
import {
  newReadModelFileName,
  removeUnusedReadModelFiles,
  retireReadModelFile,
  writeReadModelPointer,
} from './read-model.pointer';

// Read databases in DATA_DIR are deleted only when nobody has them open: two
// servers may share a directory, and a rebuild may be running beside them.

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** A rebuild in a process of its own, killed with SIGKILL once its file is open. */
async function rebuildKilledMidway(file: string): Promise<void> {
  const script =
    "const { ReadModelDatabase } = require('./libs/projections/src/runner/read-model.database');" +
    "ReadModelDatabase.open({ file: process.argv[1], mode: 'rebuild' }); process.stdout.write('open\\n'); setInterval(() => {}, 1000);";
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script, file],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' },
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('open') && resolve());
    child.on('close', (code) => reject(new Error(`exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('read databases nobody uses any more', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-read-files-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are removed, like the file of a rebuild that was killed midway; the live one and those in use stay', async () => {
    const killed = path.join(dir, newReadModelFileName(new Date('2025-01-01T00:00:00Z')));
    await rebuildKilledMidway(killed);
    expect(fs.existsSync(killed)).toBe(true);
    const live = ReadModelDatabase.open({ file: path.join(dir, 'read.db') });
    const building = ReadModelDatabase.open({ file: path.join(dir, newReadModelFileName()), mode: 'rebuild' });

    expect(removeUnusedReadModelFiles(dir)).toEqual([path.basename(killed)]);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith(path.basename(killed)))).toEqual([]);
    expect(fs.existsSync(live.file) && fs.existsSync(building.file)).toBe(true);
    live.close();
    building.close();
    // read.db is the live file (no pointer): kept even when closed; the finished rebuild nobody adopted goes.
    expect(removeUnusedReadModelFiles(dir)).toEqual([path.basename(building.file)]);
    expect(fs.existsSync(live.file)).toBe(true);
  }, 30_000);

  it('a replaced file stays while another server still has it open, and goes when the last one lets go', () => {
    const old = path.join(dir, 'read.db');
    const mine = ReadModelDatabase.open({ file: old });
    const theirs = ReadModelDatabase.open({ file: old });
    writeReadModelPointer(dir, { file: newReadModelFileName(), previous: 'read.db' });
    mine.close();
    expect(retireReadModelFile(old)).toBe(false);
    expect(fs.existsSync(old)).toBe(true);
    expect(theirs.connection.prepare('SELECT position FROM read_model_checkpoint').get()).toEqual({ position: null });
    theirs.close();
    expect(retireReadModelFile(old)).toBe(true);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('read.db'))).toEqual([]);
  });
});
