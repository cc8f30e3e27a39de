import * as fs from 'node:fs';
import * as path from 'node:path';
import { SQLITE_SIDE_FILES } from '@trustline/event-store';
import { ReadModelUnavailable } from '../runner/read-model.database';
import { FileLock } from './file-lock';
import { useLockOf } from './read-model.use-lock';

// Which read database file in DATA_DIR is the live one. A rebuild writes a new
// file beside the live one and then re-points; the server follows the pointer
// (at start, and while it runs) so it can swap files without stopping.

export const READ_MODEL_POINTER_FILE = 'read-model.json';
/** The live file when there is no pointer: what every server used before the first rebuild. */
export const DEFAULT_READ_MODEL_FILE = 'read.db';
const READ_MODEL_FILE_NAME = /^read(-[A-Za-z0-9_.-]+)?\.db$/;

export interface ReadModelPointer {
  /** A file name in DATA_DIR, never a path: the pointer cannot send the server elsewhere. */
  file: string;
  /** The file this one replaced, deleted by whoever stops using it last (the server after a swap, or the CLI). */
  previous?: string;
}

export const isReadModelFileName = (name: string): boolean =>
  READ_MODEL_FILE_NAME.test(name) && path.basename(name) === name;

/** A fresh, sortable name for a rebuilt file: `read-20250314T101500123Z.db`. */
export const newReadModelFileName = (now: Date = new Date()): string =>
  `read-${now.toISOString().replace(/[-:.]/g, '')}.db`;

/** The pointer in DATA_DIR; the default file when there is none. Throws ReadModelUnavailable when it is unreadable. */
export function readReadModelPointer(dataDir: string): ReadModelPointer {
  const file = path.join(dataDir, READ_MODEL_POINTER_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: DEFAULT_READ_MODEL_FILE };
    throw new ReadModelUnavailable(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ReadModelUnavailable(`${file} is not JSON`);
  }
  const { file: name, previous } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || !isReadModelFileName(name)) {
    throw new ReadModelUnavailable(`${file} must name a read database file in DATA_DIR, like {"file":"read.db"}`);
  }
  const valid = typeof previous === 'string' && isReadModelFileName(previous) && previous !== name;
  return valid ? { file: name, previous } : { file: name };
}

/** Replaces the pointer atomically (write, then rename), so a reader sees the old one or the new one. */
export function writeReadModelPointer(dataDir: string, pointer: ReadModelPointer): void {
  for (const name of [pointer.file, pointer.previous]) {
    if (name !== undefined && !isReadModelFileName(name)) throw new Error(`${name} is not a read database file name`);
  }
  const file = path.join(dataDir, READ_MODEL_POINTER_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(pointer)}\n`);
  fs.renameSync(temporary, file);
}

/**
 * Deletes a read database (with its side files and use lock) unless a
 * process still has it open; true when it is gone. Whoever stops using a
 * replaced file last (a server after its swap, the CLI, the next start) removes it.
 */
export function retireReadModelFile(file: string): boolean {
  const absolute = path.resolve(file);
  const lock = FileLock.tryExclusive(useLockOf(absolute));
  if (lock === null) return false;
  try {
    fs.rmSync(absolute, { force: true });
    for (const suffix of SQLITE_SIDE_FILES) fs.rmSync(`${absolute}${suffix}`, { force: true });
    fs.rmSync(useLockOf(absolute), { force: true });
  } finally {
    lock.release();
  }
  return true;
}

/**
 * Removes every read database in DATA_DIR that the pointer does not name and
 * nobody has open: files a swap left to a process that has gone since, and
 * the half-built file of a rebuild that was killed. Returns the names removed.
 */
export function removeUnusedReadModelFiles(dataDir: string): string[] {
  const live = readReadModelPointer(dataDir).file;
  const removed: string[] = [];
  for (const name of fs.readdirSync(dataDir)) {
    const database = name.endsWith('.lock') ? name.slice(0, -'.lock'.length) : name;
    if (!isReadModelFileName(database) || database === live || removed.includes(database)) continue;
    if (retireReadModelFile(path.join(dataDir, database))) removed.push(database);
  }
  return removed;
}
