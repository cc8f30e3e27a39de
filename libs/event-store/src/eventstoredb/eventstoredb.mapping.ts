import {
  AccessDeniedError,
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  type EventData,
  InvalidArgumentError,
  type JSONType,
  MaxAppendSizeExceededError,
  NotLeaderError,
  type Position,
  type ReadPosition,
  type RecordedEvent as ClientRecordedEvent,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreError,
  InvalidAppend,
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '../event-store.errors';
import type { ExpectedRevision, RecordedEvent } from '../event-store.port';
import type { SerialisedEvent } from '../event-validation';

// Pure translations between the port and @eventstore/db-client, kept apart
// from the adapter so they can be tested without a server.

// gRPC carries positions as uint64, so the server's "-1, no position" arrives
// as 2^64 - 1; no real log position comes anywhere near 2^63.
const LARGEST_REAL_POSITION = 2n ** 63n - 1n;

/**
 * Position 0 holds the log's first record, never a user event; servers older
 * than 22.6 report 0 (or -1) for events read from a stream.
 */
const isRealPosition = (position: bigint | undefined): position is bigint =>
  position !== undefined && position > 0n && position <= LARGEST_REAL_POSITION;

/** The commit position of a read or delivered event, or undefined when the server did not give a real one. */
export function positionOf(resolved: { event?: { position?: Position }; commitPosition?: bigint }): bigint | undefined {
  const commit = resolved.event?.position?.commit;
  if (isRealPosition(commit)) return commit;
  return isRealPosition(resolved.commitPosition) ? resolved.commitPosition : undefined;
}

/**
 * An append's position can be trusted when it is real and commit equals
 * prepare, as it does for every write outside an explicit (legacy TCP)
 * transaction; otherwise the adapter looks the position up.
 */
export function trustedAppendPosition(position: Position | undefined): bigint | undefined {
  return position && isRealPosition(position.commit) && position.prepare === position.commit
    ? position.commit
    : undefined;
}

/**
 * Where to start reading or subscribing to $all for a checkpoint. Our
 * positions are commit positions of events written outside explicit
 * transactions, whose prepare position equals their commit position, so
 * `{ commit: c, prepare: c }` is the exact log address of the event at `c`.
 * Reads start at that address inclusively, subscriptions exclusively: callers
 * drop anything at or before the checkpoint either way.
 */
export function toReadPosition(after: bigint | undefined): ReadPosition {
  return after === undefined ? START : { commit: after, prepare: after };
}

/** EventStoreDB reserves `$` for its own streams and event types (links, metadata, statistics, projections). */
export function isUserEvent(event: Pick<ClientRecordedEvent, 'type' | 'streamId'>): boolean {
  return !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

/** The client sends a Uint8Array byte for byte but JSON-encodes anything else, a Buffer included. */
const utf8Bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

export function toEventData(event: SerialisedEvent): EventData {
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    // The client serialises `data` only after an await; a private copy of what
    // was validated keeps a caller's later mutation out of the store.
    data: JSON.parse(event.data) as JSONType,
    metadata: utf8Bytes(event.metadata),
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

// Events we did not write may carry bytes; readers of the port expect JSON values.
function decodeData(event: ClientRecordedEvent): unknown {
  if (event.isJson) return event.data;
  const text = Buffer.from(event.data).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toRecordedEvent(event: ClientRecordedEvent, position: bigint): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position,
    data: decodeData(event),
    metadata: isPlainObject(event.metadata) ? event.metadata : {},
  };
}

/** The client reports "no stream" as a string from one code path and as -1 from another. */
export function toActualRevision(actual: bigint | 'no_stream'): bigint | 'no_stream' {
  return actual === 'no_stream' || actual < 0n ? 'no_stream' : actual;
}

const CONNECTION_FAILURES = [UnavailableError, DeadlineExceededError, TimeoutError, NotLeaderError, CancelledError];
// The client's cluster discovery gives up with a plain Error.
const DISCOVERY_FAILURE = /^Failed to discover/;

export function isConnectionFailure(error: unknown): boolean {
  return (
    CONNECTION_FAILURES.some((type) => error instanceof type) ||
    (error instanceof Error && DISCOVERY_FAILURE.test(error.message))
  );
}

export interface ErrorContext {
  streamId?: string;
  expected?: ExpectedRevision;
}

// Some calls (the client's first capability check, notably) reject with the
// raw gRPC error rather than the client's own error classes.
const asClientError = (error: unknown): unknown => (error instanceof Error ? convertToCommandError(error) : error);

/** Translates the client's errors into the port's; anything unexpected passes through unchanged. */
export function toStoreError(raw: unknown, context: ErrorContext = {}): unknown {
  if (raw instanceof EventStoreError) return raw;
  const error = asClientError(raw);
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedVersion(
      context.streamId ?? error.streamName,
      context.expected ?? error.expectedVersion,
      toActualRevision(error.actualVersion),
    );
  }
  // Trustline never deletes streams; one deleted behind its back reads as absent.
  if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) {
    return new StreamNotFound(context.streamId ?? error.streamName);
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidAppend('too-large', `EventStoreDB refuses appends over ${error.maxAppendSize} bytes`);
  }
  if (isConnectionFailure(error)) {
    return new StoreUnavailable(`EventStoreDB is unavailable: ${(error as Error).message || (error as Error).name}`);
  }
  return raw;
}

const PERMANENT_FAILURES = [AccessDeniedError, InvalidArgumentError, UnsupportedError];

/**
 * Whether a dropped subscription is worth opening again. Our own errors (an
 * event the adapter cannot map) and refusals by the server would only repeat.
 */
export function isTransientSubscriptionError(error: unknown): boolean {
  if (error instanceof EventStoreError) return false;
  const converted = asClientError(error);
  return !PERMANENT_FAILURES.some((type) => converted instanceof type);
}
