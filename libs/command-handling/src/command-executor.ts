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

/** An event of a command, before the hash chain. */
interface Appending {
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** A command waiting for its stream's turn. */
interface Queued {
  readonly decider: unknown;
  readonly command: unknown;
  readonly context: CommandContext;
  readonly resolve: (outcome: CommandOutcome<unknown>) => void;
  readonly reject: (error: unknown) => void;
}

/** What one command of a shared append came to, before the append. */
type Planned<State> =
  | { kind: 'append'; queued: Queued; state: State; end: number }
  | { kind: 'none'; queued: Queued; state: State; end: number }
  | { kind: 'replay'; queued: Queued; state: State; position: bigint }
  | { kind: 'error'; queued: Queued; error: unknown };

/**
 * The one write path: read the stream through the typed reader (only the
 * events after the state already held), fold, decide, append at the revision
 * read; on a concurrency conflict, forget what was held, re-read and decide
 * again (bounded).
 */
export class CommandExecutor {
  private readonly cache: WriteStateCache;
  private readonly index: IdempotencyIndex | undefined;
  /** Per stream, the commands waiting while one of its turns runs (a stream without a turn running has none). */
  private readonly queues = new Map<string, Queued[]>();

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
    // re-read and retry (the revision check still guards against other processes). The commands that came
    // while a turn ran are decided together in the next, one after the other as if each had its own turn, and
    // appended at once: one append, one sync, for all of them.
    return new Promise<CommandOutcome<State>>((resolve, reject) => {
      const queued: Queued = {
        decider,
        command,
        context,
        resolve: resolve as (outcome: CommandOutcome<unknown>) => void,
        reject,
      };
      const waiting = this.queues.get(streamId);
      if (waiting !== undefined) {
        waiting.push(queued);
        return;
      }
      this.queues.set(streamId, []);
      void this.turns(streamType, streamId, [queued]);
    });
  }

  /** Runs the stream's turns until no command waits; settles every command it is given. */
  private async turns(streamType: StreamType, streamId: string, first: Queued[]): Promise<void> {
    let turn = first;
    for (;;) {
      if (turn.length === 1) {
        const [queued] = turn;
        await this.executeInTurn(
          streamType,
          streamId,
          queued.decider as StreamDecider<StreamType, unknown, unknown>,
          queued.command,
          queued.context,
        ).then(queued.resolve, queued.reject);
      } else {
        // Never leave a command unsettled (nor the stream's turns stopped): an unforeseen error fails the turn.
        await this.executeShared(streamType, streamId, turn).catch((error: unknown) =>
          turn.forEach((queued) => queued.reject(error)),
        );
      }
      const waiting = this.queues.get(streamId) ?? [];
      if (waiting.length === 0) {
        this.queues.delete(streamId);
        return;
      }
      turn = takeTurn(waiting);
    }
  }

  /**
   * The commands of one turn (same decider, distinct idempotency keys), each
   * decided on the state the ones before it left, their events appended
   * together. Should the append fail, each command runs again on its own, as
   * it would have without sharing (its own retries, its own error).
   */
  private async executeShared(streamType: StreamType, streamId: string, turn: Queued[]): Promise<void> {
    const decider = turn[0].decider as StreamDecider<StreamType, unknown, unknown>;
    const alone = async (): Promise<void> => {
      for (const queued of turn) {
        await this.executeInTurn(streamType, streamId, decider, queued.command, queued.context).then(
          queued.resolve,
          queued.reject,
        );
      }
    };
    let held: WriteState<unknown> | undefined;
    try {
      held = await this.read(streamType, streamId, decider);
    } catch {
      return alone();
    }
    let state = held?.state ?? decider.initialState();
    const planned: Planned<unknown>[] = [];
    const toAppend: Appending[] = [];
    for (const queued of turn) {
      const { context } = queued;
      try {
        this.refuseKeyUsedElsewhere(streamId, context);
        const replay = findReplay(held, context);
        if (replay !== null) {
          planned.push({ kind: 'replay', queued, state, position: replay });
          continue;
        }
        const events = decider.decide(queued.command, state);
        if (events.length === 0) {
          planned.push({ kind: 'none', queued, state, end: toAppend.length });
          continue;
        }
        const stored = this.seal ? await this.seal(streamId, events) : events;
        stored.forEach((event, index) =>
          toAppend.push({
            id: context.identity.eventId(index),
            type: event.type,
            data: event.data,
            metadata: metadataFor(event, context),
          }),
        );
        state = events.reduce(decider.evolve, state);
        planned.push({ kind: 'append', queued, state, end: toAppend.length });
      } catch (error) {
        planned.push({ kind: 'error', queued, error });
      }
    }
    let positions: bigint[] = [];
    if (toAppend.length > 0) {
      const chained = chainEvents(toAppend, held?.lastHash ?? null);
      let result: { nextRevision: bigint; position: bigint };
      try {
        result = await this.store.appendToStream(streamId, chained, {
          expectedRevision: held ? held.revision : 'no_stream',
        });
      } catch (error) {
        if (error instanceof WrongExpectedVersion) this.cache.invalidate(streamId);
        return alone();
      }
      positions = await this.positionsOf(streamId, held, chained, result.position);
      // A command's events share its key, whose position is that of the command's last event.
      const keyPositions: bigint[] = [];
      let start = 0;
      for (const plan of planned) {
        if (plan.kind !== 'append') continue;
        for (let index = start; index < plan.end; index++) keyPositions.push(positions[plan.end - 1]);
        start = plan.end;
      }
      this.remember(streamId, held, state, result, chained, keyPositions);
    }
    const before = held?.position ?? 0n;
    for (const plan of planned) {
      switch (plan.kind) {
        case 'append':
        case 'none':
          plan.queued.resolve({
            position: plan.end === 0 ? before : positions[plan.end - 1],
            state: plan.state,
            replayed: false,
          });
          break;
        case 'replay':
          plan.queued.resolve({ position: plan.position, state: plan.state, replayed: true });
          break;
        default:
          plan.queued.reject(plan.error);
      }
    }
  }

  /** The global position of each event of an append, read back (a store's positions need not be consecutive). */
  private async positionsOf(
    streamId: string,
    held: WriteState<unknown> | undefined,
    appended: readonly Appending[],
    last: bigint,
  ): Promise<bigint[]> {
    const fromRevision = held ? held.revision + 1n : 0n;
    try {
      const stored = await this.store.readStream(streamId, { fromRevision, maxCount: appended.length });
      if (stored.length === appended.length && stored.every((event, i) => event.id === appended[i].id)) {
        return stored.map((event) => event.position);
      }
    } catch {
      // Then every command waits for the last position: later than its own, never earlier.
    }
    return appended.map(() => last);
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
        // One command's events share its key, and the key's position is that of the last of them.
        this.remember(
          streamId,
          held,
          next,
          result,
          toAppend,
          toAppend.map(() => result.position),
        );
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
    /** The position each appended event's idempotency key is noted at. */
    keyPositions: readonly bigint[],
  ): void {
    const keys = held?.keys ?? new Map<string, { position: bigint; inputHashes: Set<string> }>();
    appended.forEach((event, index) => noteKey(keys, event.metadata, keyPositions[index]));
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

/**
 * The next turn: the waiting commands from the first on, while they share its
 * decider and no idempotency key repeats (a repeated key is the replay of the
 * one before, which needs its outcome), up to the bound.
 */
function takeTurn(waiting: Queued[]): Queued[] {
  const keys = new Set<string>();
  let count = 0;
  for (const queued of waiting) {
    if (count >= COMMAND_HANDLING_TUNING.maxCommandsPerTurn || queued.decider !== waiting[0].decider) break;
    const key = queued.context.identity.idempotencyKey;
    if (key) {
      if (keys.has(key)) break;
      keys.add(key);
    }
    count++;
  }
  return waiting.splice(0, Math.max(1, count));
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
