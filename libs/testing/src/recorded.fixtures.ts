import type { Instant } from '@trustline/domain/shared/instant';
import type { Recorded } from '@trustline/domain/shared/recorded';

type AnyEvent = { type: string; data: unknown };

/** A deterministic, UUID-shaped event id for a global position. */
export const eventIdAt = (position: bigint): string =>
  `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`;

const occurredAtOf = (event: AnyEvent): Instant | undefined => {
  const data = event.data as { occurredAt?: unknown } | null;
  return typeof data?.occurredAt === 'string' ? data.occurredAt : undefined;
};

export interface RecordingOptions {
  /** Position of the first event; the rest follow one by one. Default 1. */
  firstPosition?: bigint;
  /** Stream revision of the first event. Default 0. */
  firstRevision?: number;
  /** When the store learned of every event; default each event's own occurredAt. */
  recordedAt?: Instant;
}

/** The events as the store would hand them back, in the order given. */
export const recordAll = <E extends AnyEvent>(events: E[], options: RecordingOptions = {}): Recorded<E>[] => {
  const firstPosition = options.firstPosition ?? 1n;
  const firstRevision = options.firstRevision ?? 0;
  return events.map((event, index) => {
    const position = firstPosition + BigInt(index);
    const recordedAt = options.recordedAt ?? occurredAtOf(event);
    if (recordedAt === undefined) throw new Error(`Give a recordedAt for ${event.type}: it has no occurredAt`);
    return { eventId: eventIdAt(position), position, revision: firstRevision + index, recordedAt, event };
  });
};
