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
    super(
      `Stream ${streamId} is at ${describeRevision(actual)}, the append expected ${describeRevision(expected)}`,
    );
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
