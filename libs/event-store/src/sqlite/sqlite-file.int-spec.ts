import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { READ_AHEAD_MIN_BYTES, readAheadInBackground } from './sqlite-file';

// The read-ahead of a start's integrity check (sqlite-file.ts) reads real files on a worker thread.
describe('readAheadInBackground', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-read-ahead-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the whole file, across several of its large reads, and leaves it as it was', async () => {
    const file = path.join(dir, 'store.db');
    // Not a multiple of the worker's 4 MiB buffer: the last read is short.
    const bytes = crypto.randomBytes(9 * 2 ** 20 + 12_345);
    fs.writeFileSync(file, bytes);
    const readAhead = readAheadInBackground(file, 0);
    await expect(readAhead.done).resolves.toBe(bytes.length);
    readAhead.stop();
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('does nothing for a file below the threshold, the default being tens of MiB', async () => {
    expect(READ_AHEAD_MIN_BYTES).toBeGreaterThanOrEqual(2 ** 20);
    const file = path.join(dir, 'small.db');
    fs.writeFileSync(file, Buffer.alloc(4096, 1));
    await expect(readAheadInBackground(file).done).resolves.toBe(0);
    await expect(readAheadInBackground(file, 4097).done).resolves.toBe(0);
    await expect(readAheadInBackground(file, 4096).done).resolves.toBe(4096);
  });

  it('leaves a missing or unreadable file to the check that follows', async () => {
    await expect(readAheadInBackground(path.join(dir, 'absent.db'), 0).done).resolves.toBe(0);
    // A directory can be stat'ed but not read: the worker's error ends it, nothing is thrown here.
    await expect(readAheadInBackground(dir, 0).done).resolves.toBe(0);
  });
});
