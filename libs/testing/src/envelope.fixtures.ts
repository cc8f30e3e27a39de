import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '@trustline/event-store/event-store.port';
import { EVENT_SCHEMA_VERSIONS } from '@trustline/event-store/event-types';
import { chainEvents } from '@trustline/event-store/hash-chain';
import { FIXTURE_EPOCH } from './fixtures/common.fixtures';

// The one place tests and benchmarks put a stored event's envelope together,
// with the fields the API's write path writes (see DESIGN.md, "Event metadata"),
// so a fixture's events look like production's to every reader.

type Fact = { type: string; data: unknown };

export interface Envelope {
  /** Default 'test'. */
  actor?: string | null;
  /** When the store learned of the event; default its occurredAt. */
  recordedAt?: string;
  /** Default a fresh UUID, shared by the events of one append as by one command's. */
  correlationId?: string;
  /** Default the correlationId. */
  causationId?: string;
  /** Marks the event as a keyed mutation's: its idempotency key, input hash and mutation. */
  idempotency?: { key: string; inputHash: string; mutation?: string };
}

export const occurredAtOf = (fact: Fact): string => {
  const occurredAt = (fact.data as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof occurredAt === 'string' ? occurredAt : FIXTURE_EPOCH;
};

/** The metadata of one event as the API writes it, the hash chain aside. */
export function envelopeMetadata(fact: Fact, envelope: Envelope = {}): Record<string, unknown> {
  const occurredAt = occurredAtOf(fact);
  const correlationId = envelope.correlationId ?? randomUUID();
  const { idempotency } = envelope;
  return {
    occurredAt,
    recordedAt: envelope.recordedAt ?? occurredAt,
    actor: envelope.actor === undefined ? 'test' : envelope.actor,
    correlationId,
    causationId: envelope.causationId ?? correlationId,
    // A type the API never writes (a test's foreign event) is at version 1.
    schemaVersion: EVENT_SCHEMA_VERSIONS[fact.type] ?? 1,
    ...(idempotency === undefined
      ? {}
      : {
          idempotencyKey: idempotency.key,
          inputHash: idempotency.inputHash,
          mutation: idempotency.mutation ?? fact.type,
        }),
  };
}

/**
 * Facts ready for appendToStream: a fresh id, the envelope, and the hash chain
 * continuing from `previousHash` (the stream's last hash, null for a new stream).
 * `envelope` may differ per event: give a function of the fact's index.
 */
export function eventsToAppend(
  facts: readonly Fact[],
  previousHash: string | null,
  envelope: Envelope | ((index: number) => Envelope) = {},
): EventToAppend[] {
  const correlationId = randomUUID();
  const events = facts.map((fact, index) => ({
    id: randomUUID(),
    type: fact.type,
    data: fact.data,
    metadata: envelopeMetadata(fact, {
      correlationId,
      ...(typeof envelope === 'function' ? envelope(index) : envelope),
    }),
  }));
  return chainEvents(events, previousHash);
}
