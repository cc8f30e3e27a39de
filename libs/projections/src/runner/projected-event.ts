import type { Recorded } from '@trustline/domain';
import {
  type DomainEvent,
  type DomainFact,
  type EventOfStream,
  parseStreamName,
  readFact,
  type RecordedEvent,
  type StreamType,
} from '@trustline/event-store';

export type { EventOfStream } from '@trustline/event-store';

/** A stored event as every projection of a batch sees it: parsed once, read (and upcast) once by the typed reader. */
export interface ProjectedEvent {
  /** The stored event with its data lifted to the current schema version. */
  readonly stored: RecordedEvent;
  /** Its stream's type and entity id; null for a stream Trustline does not name. */
  readonly stream: { readonly type: StreamType; readonly id: string } | null;
  /** The domain fact; null when the stream or the type is not one the domain knows. */
  readonly fact: DomainFact<DomainEvent> | null;
}

/** The fact typed as its stream's domain event, or null when the stream or the type is not one the domain knows. */
export function domainFact<S extends StreamType>(
  event: ProjectedEvent,
  streamType: S,
): Recorded<EventOfStream[S]> | null {
  if (event.stream?.type !== streamType || event.fact === null) return null;
  return event.fact as DomainFact<EventOfStream[S]>;
}

// Streams recur event after event: parse each name once. Cleared when full, which is rare and cheap.
const STREAM_NAME_CACHE_SIZE = 100_000;
const streamNames = new Map<string, ProjectedEvent['stream']>();

const parsedStream = (streamId: string): ProjectedEvent['stream'] => {
  let stream = streamNames.get(streamId);
  if (stream === undefined) {
    if (streamNames.size >= STREAM_NAME_CACHE_SIZE) streamNames.clear();
    stream = parseStreamName(streamId);
    streamNames.set(streamId, stream);
  }
  return stream;
};

/** Reads a stored event for the projections, leniently: what the domain does not know is passed over, never thrown on. */
export function toProjectedEvent(stored: RecordedEvent): ProjectedEvent {
  const stream = parsedStream(stored.streamId);
  const fact = stream === null ? null : readFact(stored, stream.type, 'lenient');
  return { stored: fact?.stored ?? stored, stream, fact };
}
