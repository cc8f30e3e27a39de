import type { RecordedEvent } from '@trustline/event-store';
import { toProjectedEvent, type ProjectedEvent } from '@trustline/projections/runner/projected-event';
import { envelopeMetadata } from './envelope.fixtures';
import { eventIdAt } from './recorded.fixtures';

// Imported by path (`@trustline/testing/projected.fixtures`), not through the
// index: it reaches into the projections library.

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
  const id = eventIdAt(position);
  return {
    id,
    type: fact.type,
    streamId,
    revision,
    position,
    data: fact.data,
    metadata: { ...envelopeMetadata(fact, { correlationId: id }), ...metadata },
  };
}

export const projected = (
  streamId: string,
  fact: { type: string; data: unknown },
  options?: StoredOptions,
): ProjectedEvent => toProjectedEvent(storedEvent(streamId, fact, options));
