import type { Recorded } from '@trustline/domain';
import { StreamNotFound } from '../event-store.errors';
import type { EventStore, RecordedEvent } from '../event-store.port';
import type { StreamType } from '../stream-names';
import { DOMAIN_EVENTS, type EventOfStream, type EventRegistry } from './event-registry';

// The one door from stored data to domain facts. Every reader of events (the
// write path, the projections, the auditor's fold) comes through here, so an
// event stored at an old schema version reaches each of them in today's shape.

/** A domain event as read back: the fact the domain folds, and the stored envelope (data upcast) it came in. */
export interface DomainFact<E extends { type: string; data: unknown }> extends Recorded<E> {
  readonly stored: RecordedEvent;
}

/** A stored event this code cannot read as asked (an unknown type in a domain stream, a version from newer code). */
export class UnreadableEvent extends Error {
  constructor(
    readonly eventId: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableEvent';
  }
}

/**
 * strict (the write path, the auditor): a type the stream should not hold, or a
 * version newer than this code, is an error; deciding on a partial history is worse.
 * lenient (the projections): such an event is passed over, as it always was, so
 * one odd event cannot stall every read model.
 */
export type ReadMode = 'strict' | 'lenient';

const storedVersion = (event: RecordedEvent): number => {
  const version = event.metadata.schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1;
};

/** The envelope with its data lifted, step by step, to the current version of its type (unchanged when already there). */
export function upcastStored(event: RecordedEvent, registry: EventRegistry = DOMAIN_EVENTS): RecordedEvent {
  const definition = registry[event.type];
  if (definition === undefined) return event;
  let version = storedVersion(event);
  if (version >= definition.version) return event;
  let data = event.data;
  for (; version < definition.version; version++) {
    const lift = definition.upcasters[version];
    if (!lift) throw new UnreadableEvent(event.id, `No upcaster for ${event.type} from schema version ${version}`);
    data = lift(data);
  }
  return { ...event, data, metadata: { ...event.metadata, schemaVersion: definition.version } };
}

// Metadata written by the API always has recordedAt; the event's own
// occurredAt stands in for an event written by another tool without it.
const recordedAtOf = (event: RecordedEvent): string => {
  const recordedAt = event.metadata.recordedAt;
  if (typeof recordedAt === 'string') return recordedAt;
  const occurredAt = (event.data as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof occurredAt === 'string' ? occurredAt : '';
};

/**
 * The stored event as a fact of the given stream type, upcast; null (lenient)
 * or an UnreadableEvent (strict) when it is not an event that stream type holds.
 */
export function readFact<S extends StreamType>(
  stored: RecordedEvent,
  streamType: S,
  mode: ReadMode = 'strict',
  registry: EventRegistry = DOMAIN_EVENTS,
): DomainFact<EventOfStream[S]> | null {
  const definition = registry[stored.type];
  if (definition === undefined || definition.stream !== streamType) {
    if (mode === 'lenient') return null;
    throw new UnreadableEvent(stored.id, `A ${streamType} stream holds an event of unknown type ${stored.type}`);
  }
  if (mode === 'strict' && storedVersion(stored) > definition.version) {
    throw new UnreadableEvent(
      stored.id,
      `${stored.type} was stored at schema version ${storedVersion(stored)}; this code reads up to ${definition.version}`,
    );
  }
  const upcast = upcastStored(stored, registry);
  return {
    eventId: upcast.id,
    position: upcast.position,
    revision: Number(upcast.revision),
    recordedAt: recordedAtOf(upcast),
    // The one cast from stored data to a domain event: the registry vouches
    // for the type and the upcasters for the shape of today's version.
    event: { type: upcast.type, data: upcast.data } as EventOfStream[S],
    stored: upcast,
  };
}

export interface ReadStreamFactsOptions {
  /** Inclusive: facts from this revision on. */
  fromRevision?: bigint;
  registry?: EventRegistry;
}

/** A stream's facts in revision order, strictly read; none when the stream does not exist. */
export async function readStreamFacts<S extends StreamType>(
  store: EventStore,
  streamId: string,
  streamType: S,
  options: ReadStreamFactsOptions = {},
): Promise<DomainFact<EventOfStream[S]>[]> {
  let stored: RecordedEvent[];
  try {
    stored = await store.readStream(
      streamId,
      options.fromRevision === undefined ? undefined : { fromRevision: options.fromRevision },
    );
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
  return stored.map((event) => readFact(event, streamType, 'strict', options.registry)!);
}

export interface AggregateStreamOptions<State, E> {
  initialState: () => State;
  evolve: (state: State, event: E) => State;
  /** Continue from a state already folded up to this revision (a cache); only later facts are read. */
  from?: { state: State; revision: bigint };
  registry?: EventRegistry;
}

export interface AggregateStreamResult<State, E extends { type: string; data: unknown }> {
  state: State;
  /** Revision of the last fact folded; null when the stream does not exist. */
  revision: bigint | null;
  /** The facts read by this call (after `from`, when given), in order. */
  facts: DomainFact<E>[];
}

/** Reads a stream through the typed reader and folds it (from `from` when given). */
export async function aggregateStream<S extends StreamType, State>(
  store: EventStore,
  streamId: string,
  streamType: S,
  options: AggregateStreamOptions<State, EventOfStream[S]>,
): Promise<AggregateStreamResult<State, EventOfStream[S]>> {
  const from = options.from;
  const facts = await readStreamFacts(store, streamId, streamType, {
    fromRevision: from === undefined ? undefined : from.revision + 1n,
    registry: options.registry,
  });
  let state = from === undefined ? options.initialState() : from.state;
  for (const fact of facts) state = options.evolve(state, fact.event);
  const last = facts.at(-1);
  return { state, revision: last !== undefined ? last.stored.revision : (from?.revision ?? null), facts };
}
