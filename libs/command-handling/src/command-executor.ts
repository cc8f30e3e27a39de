import { conflict, type Decider } from '@trustline/domain';
import {
  aggregateStream,
  backoffDelayMs,
  chainEvents,
  DuplicateEventId,
  type EventOfStream,
  type EventStore,
  schemaVersionOf,
  type StreamType,
  WrongExpectedVersion,
} from '@trustline/event-store';
import { COMMAND_HANDLING_TUNING } from './command-handling.tuning';
import type { CommandIdentity } from './command-identity';
import { StreamLanes } from './stream-lanes';
import { type WriteState, WriteStateCache } from './write-state.cache';

/** Who and what caused a command; becomes the metadata of every event it appends. */
export interface CommandContext {
  identity: CommandIdentity;
  mutation: string;
  inputHash: string;
  actor: string | null;
  correlationId: string;
  /** The request's `now`: when the server learned of the command. */
  recordedAt: string;
}

export interface CommandOutcome<S> {
  /** Global position of the last event the command appended (or, for a retry, had appended). */
  position: bigint;
  /** The stream's decision state after the command. */
  state: S;
  /** True when the idempotency key found the first call's events and nothing was appended. */
  replayed: boolean;
}

/** Where an event id was already written, whatever its stream: keys are global, a stream's events are not. */
export interface IdempotencyIndex {
  findIdempotentEvent(eventId: string): { streamId: string } | null;
}

export interface CommandExecutorOptions {
  /** Refuses a key already used on another stream; without one, only the stream's own events are checked. */
  idempotencyIndex?: IdempotencyIndex;
  /** Streams whose folded state is kept between commands; 0 reads every stream whole. */
  cacheStreams?: number;
  /**
   * Seals the personal fields of the events about to be appended (crypto-shredding: PersonalData.protect).
   * Called before the hash chain is computed, so the chain covers the stored ciphertext (docs/erasure.md).
   */
  seal?: <E extends { type: string; data: unknown }>(streamId: string, events: readonly E[]) => Promise<E[]>;
}

type StreamDecider<S extends StreamType, C, State> = Decider<C, EventOfStream[S], State>;

/**
 * The one write path: read the stream through the typed reader (only the
 * events after the state already held), fold, decide, append at the revision
 * read; on a concurrency conflict, forget what was held, re-read and decide
 * again (bounded).
 */
export class CommandExecutor {
  private readonly cache: WriteStateCache;
  private readonly index: IdempotencyIndex | undefined;
  private readonly lanes = new StreamLanes();

  constructor(
    private readonly store: EventStore,
    options: CommandExecutorOptions = {},
  ) {
    this.cache = new WriteStateCache(options.cacheStreams ?? COMMAND_HANDLING_TUNING.writeStateCacheStreams);
    this.index = options.idempotencyIndex;
    this.seal = options.seal;
  }

  private readonly seal: CommandExecutorOptions['seal'];

  async execute<S extends StreamType, C, State>(
    streamType: S,
    streamId: string,
    decider: StreamDecider<S, C, State>,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome<State>> {
    // Commands on one stream from this process take turns: racing them would only make all but one conflict,
    // re-read and retry (the revision check still guards against other processes).
    return this.lanes.run(streamId, () => this.executeInTurn(streamType, streamId, decider, command, context));
  }

  private async executeInTurn<S extends StreamType, C, State>(
    streamType: S,
    streamId: string,
    decider: StreamDecider<S, C, State>,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome<State>> {
    this.refuseKeyUsedElsewhere(streamId, context);
    const { attempts } = COMMAND_HANDLING_TUNING.retry;
    for (let attempt = 1; ; attempt++) {
      const held = await this.read(streamType, streamId, decider);
      const replay = findReplay(held, context);
      if (replay !== null) return { position: replay, state: held?.state ?? decider.initialState(), replayed: true };

      const state = held?.state ?? decider.initialState();
      const events = decider.decide(command, state);
      if (events.length === 0) return { position: held?.position ?? 0n, state, replayed: false };
      const stored = this.seal ? await this.seal(streamId, events) : events;
      const toAppend = chainEvents(
        stored.map((event, index) => ({
          id: context.identity.eventId(index),
          type: event.type,
          data: event.data,
          metadata: metadataFor(event, context),
        })),
        held?.lastHash ?? null,
      );
      try {
        const result = await this.store.appendToStream(streamId, toAppend, {
          expectedRevision: held ? held.revision : 'no_stream',
        });
        const next = events.reduce(decider.evolve, state);
        this.remember(streamId, held, next, result, toAppend);
        return { position: result.position, state: next, replayed: false };
      } catch (error) {
        // The key's events are stored in another stream (a concurrent call won the append): keys are global.
        if (error instanceof DuplicateEventId && context.identity.idempotencyKey) throw keyReused();
        if (!(error instanceof WrongExpectedVersion)) throw error;
        // Someone else wrote this stream (another request, another process): what was held is stale.
        this.cache.invalidate(streamId);
        if (attempt >= attempts) throw error;
        await backoff(attempt);
      }
    }
  }

  /** A stream's current decision state (the initial state when the stream does not exist). */
  async load<S extends StreamType, C, State>(
    streamType: S,
    streamId: string,
    decider: StreamDecider<S, C, State>,
  ): Promise<State> {
    return (await this.read(streamType, streamId, decider))?.state ?? decider.initialState();
  }

  /** The stream as held, brought up to date with the events after it; undefined when the stream does not exist. */
  private async read<S extends StreamType, C, State>(
    streamType: S,
    streamId: string,
    decider: StreamDecider<S, C, State>,
  ): Promise<WriteState<State> | undefined> {
    const held = this.cache.get<State>(streamId);
    const { state, revision, facts } = await aggregateStream(this.store, streamId, streamType, {
      initialState: decider.initialState,
      evolve: decider.evolve,
      from: held === undefined ? undefined : { state: held.state, revision: held.revision },
    });
    if (revision === null) return undefined;
    if (facts.length === 0 && held !== undefined) return held;
    const keys = held?.keys ?? new Map<string, { position: bigint; inputHashes: Set<string> }>();
    for (const fact of facts) noteKey(keys, fact.stored.metadata, fact.stored.position);
    const last = facts[facts.length - 1].stored;
    const current: WriteState<State> = {
      state,
      revision,
      position: last.position,
      lastHash: (last.metadata.hash as string | undefined) ?? null,
      keys,
    };
    this.cache.set(streamId, current);
    return current;
  }

  private remember<State>(
    streamId: string,
    held: WriteState<State> | undefined,
    state: State,
    result: { nextRevision: bigint; position: bigint },
    appended: { metadata: Record<string, unknown> }[],
  ): void {
    const keys = held?.keys ?? new Map<string, { position: bigint; inputHashes: Set<string> }>();
    // One command's events share its key, and the key's position is that of the last of them.
    for (const event of appended) noteKey(keys, event.metadata, result.position);
    this.cache.set(streamId, {
      state,
      revision: result.nextRevision,
      position: result.position,
      lastHash: (appended[appended.length - 1].metadata.hash as string | undefined) ?? null,
      keys,
    });
  }

  // Keys are global: one already used on another stream (by another mutation) is refused.
  private refuseKeyUsedElsewhere(streamId: string, context: CommandContext): void {
    if (!context.identity.idempotencyKey || this.index === undefined) return;
    const earlier = this.index.findIdempotentEvent(context.identity.eventId(0));
    if (earlier && earlier.streamId !== streamId) throw keyReused();
  }
}

// Committed events only ever add to what a key has written, so the map may be shared and grown in place.
function noteKey(
  keys: Map<string, { position: bigint; inputHashes: Set<string> }>,
  metadata: Record<string, unknown>,
  position: bigint,
): void {
  const key = metadata.idempotencyKey;
  if (typeof key !== 'string') return;
  const entry = keys.get(key) ?? { position, inputHashes: new Set<string>() };
  if (position > entry.position) entry.position = position;
  entry.inputHashes.add(String(metadata.inputHash));
  keys.set(key, entry);
}

/** The position the first call reached, when this command is its retry. */
function findReplay<State>(held: WriteState<State> | undefined, context: CommandContext): bigint | null {
  const key = context.identity.idempotencyKey;
  if (!key || held === undefined) return null;
  const earlier = held.keys.get(key);
  if (earlier === undefined) return null;
  if ([...earlier.inputHashes].some((hash) => hash !== context.inputHash)) throw keyReused();
  return earlier.position;
}

function metadataFor(event: { type: string; data: unknown }, context: CommandContext): Record<string, unknown> {
  return {
    occurredAt: (event.data as { occurredAt: string }).occurredAt,
    recordedAt: context.recordedAt,
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.identity.commandId,
    schemaVersion: schemaVersionOf(event.type),
    ...(context.identity.idempotencyKey
      ? { idempotencyKey: context.identity.idempotencyKey, inputHash: context.inputHash, mutation: context.mutation }
      : {}),
  };
}

const keyReused = () =>
  conflict('idempotency.key-reused', 'This idempotency key was already used with another input or mutation');

function backoff(attempt: number): Promise<void> {
  const { baseDelayMs, maxDelayMs } = COMMAND_HANDLING_TUNING.retry;
  const ceiling = backoffDelayMs(attempt, { initialMs: baseDelayMs, factor: 2, maxMs: maxDelayMs });
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
