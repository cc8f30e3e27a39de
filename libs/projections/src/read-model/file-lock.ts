import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

// A reader/writer lock between processes on one machine, made of SQLite's own
// file locking (POSIX advisory locks, which the OS drops when a process dies,
// however it dies): a shared holder keeps a read transaction open on an empty
// lock file; an exclusive holder keeps an EXCLUSIVE transaction. Nothing is
// ever written to the lock file, so it stays empty and cannot be damaged.
// SQLite also keeps the locks of two connections in one process apart, so
// in-process tests see what two processes would.

export const FILE_LOCK_TUNING = {
  /** How long taking a shared lock waits out an exclusive holder (a probe that is about to let go). */
  sharedWaitMs: 1000,
} as const;

/** The lock is held by someone else in a way that excludes us. */
export class FileLockBusy extends Error {
  constructor(readonly file: string) {
    super(`${file} is locked by another process`);
    this.name = 'FileLockBusy';
  }
}

export class FileLock {
  private released = false;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    readonly mode: 'shared' | 'exclusive',
  ) {}

  /** Many processes may hold it shared at once; throws FileLockBusy while one holds it exclusively. */
  static shared(file: string, waitMs: number = FILE_LOCK_TUNING.sharedWaitMs): FileLock {
    const db = openLockFile(file, waitMs);
    try {
      db.exec('BEGIN');
      // Any read takes SQLITE's SHARED lock, kept until the transaction ends.
      db.pragma('schema_version');
    } catch (error) {
      db.close();
      throw busyOr(error, file);
    }
    return new FileLock(db, path.resolve(file), 'shared');
  }

  /** The lock, held alone; null while anyone else holds it (shared or exclusive). Never waits. */
  static tryExclusive(file: string): FileLock | null {
    const db = openLockFile(file, 0);
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if (isBusy(error)) return null;
      throw error;
    }
    return new FileLock(db, path.resolve(file), 'exclusive');
  }

  get isHeld(): boolean {
    return !this.released;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    // Closing ends the transaction, which drops the lock.
    this.db.close();
  }
}

function openLockFile(file: string, waitMs: number): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma(`busy_timeout = ${waitMs}`);
  return db;
}

const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY');

const busyOr = (error: unknown, file: string): unknown =>
  isBusy(error) ? new FileLockBusy(path.resolve(file)) : error;
