import * as path from 'node:path';
import { FileLock, FileLockBusy } from './file-lock';

// The data directory's lock. Servers hold it shared, so two of them can serve
// one directory (two replicas on one machine); a tool that must be alone with
// the files (seed-demo runs the application's own projections) holds it
// exclusively, and neither starts while the other runs.

export const DATA_DIR_LOCK_FILE = 'trustline.lock';

/** Who is using the directory in a way that excludes the caller. */
export class DataDirInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirInUse';
  }
}

/** What this process holds exclusively: it has what a shared lock would give, so it does not ask again. */
const heldExclusively = new Map<string, FileLock>();

const lockFileOf = (dataDir: string): string => path.join(path.resolve(dataDir), DATA_DIR_LOCK_FILE);

export interface DataDirLock {
  readonly dataDir: string;
  release(): void;
}

/** For a server: shared with other servers; refused while an exclusive tool works on the directory. */
export function holdDataDirShared(dataDir: string): DataDirLock {
  const file = lockFileOf(dataDir);
  if (heldExclusively.get(file)?.isHeld) return { dataDir: path.resolve(dataDir), release: () => undefined };
  try {
    const lock = FileLock.shared(file);
    return { dataDir: path.resolve(dataDir), release: () => lock.release() };
  } catch (error) {
    if (error instanceof FileLockBusy) {
      throw new DataDirInUse(
        `${path.resolve(dataDir)} is in use by a tool that needs it alone (seed-demo?): wait for it to finish`,
      );
    }
    throw error;
  }
}

/** For a tool that must be alone with the directory: refused while any server (or other tool) uses it. */
export function holdDataDirExclusive(dataDir: string): DataDirLock {
  const file = lockFileOf(dataDir);
  const lock = FileLock.tryExclusive(file);
  if (lock === null) {
    throw new DataDirInUse(
      `${path.resolve(dataDir)} is in use by a running server (or another tool): ` +
        'stop the server on this data directory first',
    );
  }
  heldExclusively.set(file, lock);
  return {
    dataDir: path.resolve(dataDir),
    release: () => {
      heldExclusively.delete(file);
      lock.release();
    },
  };
}
