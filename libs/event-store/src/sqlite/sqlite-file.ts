import * as fs from 'node:fs';

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
