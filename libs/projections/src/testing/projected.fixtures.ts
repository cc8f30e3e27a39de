import { eventIdAt } from '@trustline/testing';
import type { RecordedEvent } from '@trustline/event-store';
import { toProjectedEvent, type ProjectedEvent } from '../runner/projected-event';

export interface StoredOptions {
  position?: bigint;
  revision?: bigint;
  metadata?: Record<string, unknown>;
}

/** A fact as the store hands it back, with the metadata the API writes. */
export function storedEvent(
  streamId: string,
  fact: { type: string; data: unknown },
  { position = 1n, revision = 0n, metadata = {} }: StoredOptions = {},
): RecordedEvent {
  const occurredAt = (fact.data as { occurredAt?: string } | null)?.occurredAt ?? '2025-01-06T00:00:00.000Z';
  return {
    id: eventIdAt(position),
    type: fact.type,
    streamId,
    revision,
    position,
    data: fact.data,
    metadata: { occurredAt, recordedAt: occurredAt, actor: 'test', schemaVersion: 1, ...metadata },
  };
}

export const projected = (streamId: string, fact: { type: string; data: unknown }, options?: StoredOptions): ProjectedEvent =>
  toProjectedEvent(storedEvent(streamId, fact, options));
