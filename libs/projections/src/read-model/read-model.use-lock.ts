import * as path from 'node:path';
import { FileLock } from './file-lock';

/**
 * The lock file beside a read database: everyone who has the database open
 * (a server serving it, a rebuild building it) holds it shared, so whoever
 * gets it exclusively knows nobody uses the database and may delete it.
 */
export const useLockOf = (file: string): string => `${path.resolve(file)}.lock`;

/** Held while the file is open; see useLockOf. */
export const holdReadModelFile = (file: string): FileLock => FileLock.shared(useLockOf(file));
