// The one port through which Trustline stores and reads events. Two adapters
// implement it (embedded SQLite, EventStoreDB) and both must pass the same
// contract suite (event-store.contract.ts).

/** Events per readAll page when the caller gives no maxCount, in either adapter. */
export const DEFAULT_READ_PAGE_SIZE = 4096;

/** What the writer believes the stream's current revision is. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventToAppend {
  /** A UUID. Appending the same ids again with the same expectation is a no-op. */
  id: string;
  /** A stable, past-tense stored type name, e.g. `PromiseKept`. */
  type: string;
  /** Must be JSON-serialisable. */
  data: unknown;
  metadata?: Record<string, unknown>;
}

export interface RecordedEvent {
  id: string;
  type: string;
  streamId: string;
  /** Revision within the stream, from 0. */
  revision: bigint;
  /** Global commit position: strictly increasing in commit order. */
  position: bigint;
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextRevision: bigint;
  /** Global position of the last event appended (or found, for an idempotent retry). */
  position: bigint;
}

export interface ReadStreamOptions {
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position (a checkpoint). Omit for the beginning. */
  fromPosition?: bigint;
  maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive: deliver events after this position (a checkpoint). Omit for the beginning. */
  fromPosition?: bigint;
}

/**
 * Catches up from the given position, then follows live appends until closed,
 * with no gap and no duplicate across the switch.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  appendToStream(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult>;
  /** Throws StreamNotFound when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** User events in global order (no system events). */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Resolves when the store answers; used by health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * The embedded adapter's SQLite file, for a reader that reads its events
   * table with SQL rather than page by page (the read-model rebuild; see
   * attachEventStoreReadOnly). Absent for a store that is not a local file.
   */
  readonly sqliteFile?: string;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
