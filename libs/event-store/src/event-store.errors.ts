import type { ExpectedRevision } from './event-store.port';

export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

const describeRevision = (revision: ExpectedRevision | bigint | 'no_stream'): string =>
  typeof revision === 'bigint' ? revision.toString() : revision;

/** The stream was not at the revision the writer expected: re-read and decide again. */
export class WrongExpectedVersion extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or `no_stream`. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId} is at ${describeRevision(actual)}, the append expected ${describeRevision(expected)}`);
  }
}

export class StreamNotFound extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} does not exist`);
  }
}

/** Bad input to the store: a bad stream name, non-JSON data, an oversized event. */
export class InvalidAppend extends EventStoreError {
  readonly code = 'INVALID_APPEND';
  constructor(
    readonly reason: 'stream-name' | 'event-id' | 'event-type' | 'not-json' | 'too-large' | 'empty',
    message: string,
  ) {
    super(message);
  }
}

/** The store cannot be opened: a file that is not a Trustline store, or a corrupt one. */
export class StoreUnavailable extends EventStoreError {
  readonly code = 'STORE_UNAVAILABLE';
}

/**
 * An event id (every id a mutation with an idempotency key writes is derived
 * from the key) is already stored, in another stream: refused inside the
 * append's own transaction, so two concurrent calls cannot both write it.
 */
export class DuplicateEventId extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(readonly streamId: string) {
    super(`An event of this append is already stored under another stream than ${streamId}`);
  }
}

/**
 * The storage under the store failed for a reason that may pass (disk full,
 * an I/O error): nothing was written; the caller may retry later.
 */
export class StorageFailure extends EventStoreError {
  readonly code = 'STORAGE_FAILURE';
  readonly retryable = true;
  constructor(
    message: string,
    readonly sqliteCode?: string,
  ) {
    super(message);
  }
}

// SQLite's result codes for a disk that is full or failing (extended codes start with these).
const STORAGE_CODES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_NOMEM'];
// SQLite's result codes for a damaged file.
const CORRUPTION_CODES = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];

const sqliteCodeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
};

/** True for a failure of the storage that may pass: disk full, I/O errors (SQLite's or a StorageFailure). */
export const isStorageFailure = (error: unknown): boolean =>
  error instanceof StorageFailure || STORAGE_CODES.some((code) => sqliteCodeOf(error)?.startsWith(code));

/** True for SQLite's "this file is damaged". */
export const isCorruption = (error: unknown): boolean =>
  CORRUPTION_CODES.some((code) => sqliteCodeOf(error)?.startsWith(code));
