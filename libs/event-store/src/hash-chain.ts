import { createHash } from 'node:crypto';

// Each stored event carries `previousHash` (the hash of the event before it in
// its stream, null for the first) and `hash`: SHA-256 over the canonical JSON
// of its type, data and metadata (previousHash included, hash itself excluded).
// Altering any stored byte of an event, or removing or reordering events,
// breaks the chain from that event on.

/** JSON with object keys sorted at every depth, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface HashableEvent {
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

export function eventHash(event: HashableEvent): string {
  const { hash: _hash, ...metadata } = event.metadata ?? {};
  return sha256(canonicalJson({ type: event.type, data: event.data, metadata }));
}

export type Chained<E extends HashableEvent> = E & {
  metadata: NonNullable<E['metadata']> & { previousHash: string | null; hash: string };
};

/** Adds previousHash and hash to each event of a batch, continuing the chain after `previousHash`. */
export function chainEvents<E extends HashableEvent>(events: E[], previousHash: string | null): Chained<E>[] {
  let previous = previousHash;
  return events.map((event) => {
    const metadata = { ...event.metadata, previousHash: previous };
    const hash = eventHash({ ...event, metadata });
    previous = hash;
    return { ...event, metadata: { ...metadata, hash } } as Chained<E>;
  });
}

export interface ChainReport {
  ok: boolean;
  eventsChecked: number;
  firstBrokenEventId: string | null;
  reason: string | null;
}

/**
 * Why one event does not continue the chain after `previous` (the stored hash
 * of the event before it, null for a stream's first), or null when it does.
 */
export function chainBreak(event: HashableEvent, previous: string | null): string | null {
  const metadata = event.metadata ?? {};
  if ((metadata.previousHash ?? null) !== previous) {
    return previous === null
      ? 'the first event of the stream must have previousHash null'
      : 'previousHash does not match the hash of the event before it (an event was removed, inserted or reordered)';
  }
  const stored = metadata.hash;
  if (typeof stored !== 'string' || eventHash(event) !== stored) {
    return 'the stored hash does not match the event as stored (its type, data or metadata was altered)';
  }
  return null;
}

/** Recomputes the chain of one stream, in revision order, and names the first event that does not match. */
export function verifyChain(events: (HashableEvent & { id: string })[]): ChainReport {
  let previous: string | null = null;
  let checked = 0;
  for (const event of events) {
    checked++;
    const reason = chainBreak(event, previous);
    if (reason !== null) return { ok: false, eventsChecked: checked, firstBrokenEventId: event.id, reason };
    previous = event.metadata?.hash as string;
  }
  return { ok: true, eventsChecked: checked, firstBrokenEventId: null, reason: null };
}
