import {
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as ClientAppendResult,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  type ResolvedEvent,
  START,
} from '@eventstore/db-client';
import { StoreUnavailable, StreamNotFound } from '../event-store.errors';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { DEFAULT_READ_PAGE_SIZE } from '../event-store.port';
import { assertValidStreamName, serialiseForAppend } from '../event-validation';
import {
  isUserEvent,
  positionOf,
  toEventData,
  toReadPosition,
  toRecordedEvent,
  toStoreError,
  trustedAppendPosition,
} from './eventstoredb.mapping';
import { followAll } from './eventstoredb-subscription';

export interface EventStoreDbOptions {
  /** The largest page readAll returns when maxCount is not given (as the SQLite adapter). */
  defaultPageSize?: number;
  /** How long ping waits for an answer. */
  pingDeadlineMs?: number;
}

const DEFAULTS = { defaultPageSize: DEFAULT_READ_PAGE_SIZE, pingDeadlineMs: 2_000 };
// Raw $all events fetched per request while filling a readAll page; system
// events are dropped client side, so a page may need several requests.
const READ_ALL_BATCH_LIMIT = 4096;

/**
 * EventStoreDB over gRPC: the distributed engine for deployments that outgrow
 * one machine. Needs EventStoreDB 22.6 or later (events read from a stream
 * carry their $all position since then).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly defaultPageSize: number;
  private readonly pingDeadlineMs: number;
  private closed = false;

  /** The client connects lazily: a server that is down shows in ping and in each call, not here. */
  static connect(connectionString: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(connectionString);
    } catch (error) {
      // The client's message repeats the whole string, credentials included.
      const expected = (error as { expected?: unknown }).expected;
      throw new StoreUnavailable(
        `The EventStoreDB connection string is invalid${typeof expected === 'string' ? ` (expected ${expected})` : ''}`,
      );
    }
    return new EventStoreDbEventStore(client, options);
  }

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions,
  ) {
    this.defaultPageSize = options.defaultPageSize ?? DEFAULTS.defaultPageSize;
    this.pingDeadlineMs = options.pingDeadlineMs ?? DEFAULTS.pingDeadlineMs;
  }

  async appendToStream(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const serialised = serialiseForAppend(streamId, events);
    // The port's expectations are EventStoreDB's own; with an explicit one the
    // server answers a retry of the same event ids as it answered the first time.
    const expectedRevision: AppendExpectedRevision = options.expectedRevision;
    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(streamId, serialised.map(toEventData), { expectedRevision });
    } catch (error) {
      throw toStoreError(error, { streamId, expected: options.expectedRevision });
    }
    const nextRevision = result.nextExpectedRevision;
    const position = trustedAppendPosition(result.position) ?? (await this.positionOfRevision(streamId, nextRevision));
    return { nextRevision, position };
  }

  // For a write the server acknowledged without a usable position (an
  // idempotent retry may answer so): the stored event knows its own.
  private async positionOfRevision(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new StoreUnavailable(`EventStoreDB acknowledged ${streamId}@${revision} but does not return it`);
    return event.position;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    // A name we could never have written cannot hold events (and must not reach system streams).
    try {
      assertValidStreamName(streamId);
    } catch {
      throw new StreamNotFound(streamId);
    }
    const backwards = options.direction === 'backwards';
    if (options.maxCount !== undefined && options.maxCount <= 0) {
      await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      return [];
    }
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      maxCount: options.maxCount,
    });
    const resolved = await this.drain(read, { streamId });
    return resolved.map((r) => {
      if (!r.event) throw new StoreUnavailable(`EventStoreDB returned an empty record from ${streamId}`);
      const position = positionOf(r);
      if (position === undefined) {
        throw new StoreUnavailable(
          'This EventStoreDB server gives no $all positions on stream reads (22.6 or later needed)',
        );
      }
      return toRecordedEvent(r.event, position);
    });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const wanted = options.maxCount ?? this.defaultPageSize;
    const page: RecordedEvent[] = [];
    let after = options.fromPosition;
    while (page.length < wanted) {
      // One more than needed: the read starts at the checkpoint itself.
      const batchSize = Math.min(wanted - page.length + 1, READ_ALL_BATCH_LIMIT);
      const batch = await this.drain(
        this.client.readAll({ direction: FORWARDS, fromPosition: toReadPosition(after), maxCount: batchSize }),
      );
      let advanced = false;
      for (const resolved of batch) {
        const position = positionOf(resolved);
        if (position === undefined)
          throw new StoreUnavailable('EventStoreDB returned an $all event without its position');
        if (after !== undefined && position <= after) continue;
        after = position;
        advanced = true;
        if (resolved.event && isUserEvent(resolved.event)) page.push(toRecordedEvent(resolved.event, position));
        if (page.length === wanted) break;
      }
      if (batch.length < batchSize || !advanced) break;
    }
    return page;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const subscription = followAll({
      fromPosition: options.fromPosition,
      // The server drops system events; the follower still checks, for streams named `$…`.
      open: (after) =>
        this.client.subscribeToAll({ fromPosition: toReadPosition(after), filter: excludeSystemEvents() }),
      onEnded: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.drain(
      this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline: this.pingDeadlineMs }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Subscriptions first: disposing the client under them would leave their iterations hanging.
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async drain<T extends ResolvedEvent | AllStreamResolvedEvent>(
    read: AsyncIterable<T>,
    context: { streamId?: string } = {},
  ): Promise<T[]> {
    const items: T[] = [];
    try {
      for await (const item of read) items.push(item);
    } catch (error) {
      throw toStoreError(error, context);
    }
    return items;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('The event store is closed');
  }
}
