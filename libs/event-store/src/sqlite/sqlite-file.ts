import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

const SQLITE_HEADER = 'SQLite format 3\u0000';

// What the event store and the read database agree on as SQLite files.

/** SQLite's side files of a database in WAL mode; they exist while a connection has it open. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm'] as const;

/** How long a connection waits for another's lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

export type SqliteFileState = 'absent' | 'empty' | 'sqlite' | 'not-sqlite';

/**
 * Opening a non-SQLite file with SQLite can fail late or, for an empty WAL,
 * not at all: callers check the header first so such a file is never touched.
 * Throws the file system's error when the file exists but cannot be read.
 */
export function sqliteFileState(file: string): SqliteFileState {
  let handle: number;
  try {
    handle = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = fs.readSync(handle, header, 0, header.length, 0);
    if (read === 0) return 'empty';
    return read === header.length && header.toString('latin1') === SQLITE_HEADER ? 'sqlite' : 'not-sqlite';
  } finally {
    fs.closeSync(handle);
  }
}

/** Below this size a start's integrity check is quick even from disk: no read-ahead. */
export const READ_AHEAD_MIN_BYTES = 64 * 2 ** 20;

/** The read-ahead's own loop, run on a worker thread: front to back in large reads, into the OS page cache. */
const READ_AHEAD_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const buffer = Buffer.allocUnsafe(4 * 2 ** 20);
let total = 0;
const handle = fs.openSync(workerData.file, 'r');
try {
  for (let read; (read = fs.readSync(handle, buffer, 0, buffer.length, total)) > 0; ) total += read;
} finally {
  fs.closeSync(handle);
}
parentPort.postMessage(total);
`;

export interface ReadAhead {
  /** The bytes read once it has reached the end; 0 when it did not run, was stopped, or could not read. */
  readonly done: Promise<number>;
  /** Stops reading (the check it served is over); harmless once done. */
  stop(): void;
}

/**
 * Reads a SQLite file front to back on a worker thread, so that the
 * integrity check run next on this thread (quick_check, which visits pages in
 * b-tree order, one 4 KiB read each) finds them in the OS page cache. On a
 * cold cache that check read page by page: 32 s for the 1.5 GB of a
 * 1M-event data directory (bench:trend), where reading the file in order
 * takes about a second. Advisory only: a file it cannot read is left to the
 * check, and the process never waits for it.
 */
export function readAheadInBackground(file: string, minBytes: number = READ_AHEAD_MIN_BYTES): ReadAhead {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return { done: Promise.resolve(0), stop: () => undefined };
  }
  if (size < minBytes) return { done: Promise.resolve(0), stop: () => undefined };
  const worker = new Worker(READ_AHEAD_SOURCE, { eval: true, workerData: { file } });
  worker.unref();
  const done = new Promise<number>((resolve) => {
    worker.once('message', (total: number) => resolve(total));
    worker.once('error', () => resolve(0));
    worker.once('exit', () => resolve(0));
  });
  return { done, stop: () => void worker.terminate() };
}

/** Runs a start's integrity check of `file` (see readAheadInBackground) with the file read ahead meanwhile. */
export function checkWithReadAhead<T>(file: string, check: () => T): T {
  const readAhead = readAheadInBackground(file);
  try {
    return check();
  } finally {
    readAhead.stop();
  }
}
