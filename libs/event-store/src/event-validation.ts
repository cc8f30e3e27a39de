import { InvalidAppend } from './event-store.errors';
import type { EventToAppend } from './event-store.port';

/** The largest event either adapter accepts (data and metadata as JSON). */
export const MAX_EVENT_BYTES = 1024 * 1024;

// Stream names are ours (`relationship-<uuid>`, …); anything starting with `$`
// is reserved by EventStoreDB for system streams.
const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

export function assertValidStreamName(streamId: string): void {
  if (typeof streamId !== 'string' || !STREAM_NAME.test(streamId)) {
    throw new InvalidAppend('stream-name', `Invalid stream name ${JSON.stringify(streamId)}`);
  }
}

/** Throws unless `value` survives JSON unchanged: no undefined, functions, bigints, NaN, cycles or class instances. */
export function assertJsonValue(value: unknown, path = '$', seen = new Set<unknown>()): void {
  const fail = (what: string): never => {
    throw new InvalidAppend('not-json', `${path} is not JSON-serialisable (${what})`);
  };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(String(value));
      return;
    case 'object': {
      if (value === null) return;
      if (seen.has(value)) fail('a cycle');
      const proto = Object.getPrototypeOf(value);
      if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
        fail(`an instance of ${(value as object).constructor?.name ?? 'a class'}`);
      }
      seen.add(value);
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        assertJsonValue(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, seen);
      }
      seen.delete(value);
      return;
    }
    default:
      fail(typeof value);
  }
}

export interface SerialisedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

/** Validates a batch for appending and serialises each event once. */
export function serialiseForAppend(streamId: string, events: EventToAppend[]): SerialisedEvent[] {
  assertValidStreamName(streamId);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppend('empty', 'An append needs at least one event');
  }
  const ids = new Set<string>();
  return events.map((event, index) => {
    if (typeof event.id !== 'string' || !UUID.test(event.id)) {
      throw new InvalidAppend('event-id', `Event ${index} has no UUID id`);
    }
    if (ids.has(event.id)) throw new InvalidAppend('event-id', `Event id ${event.id} appears twice in one append`);
    ids.add(event.id);
    if (typeof event.type !== 'string' || !TYPE_NAME.test(event.type)) {
      throw new InvalidAppend('event-type', `Event ${index} has an invalid type ${JSON.stringify(event.type)}`);
    }
    assertJsonValue(event.data, `events[${index}].data`);
    assertJsonValue(event.metadata ?? {}, `events[${index}].metadata`);
    const data = JSON.stringify(event.data);
    const metadata = JSON.stringify(event.metadata ?? {});
    const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
    if (bytes > MAX_EVENT_BYTES) {
      throw new InvalidAppend('too-large', `Event ${index} is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}`);
    }
    return { id: event.id.toLowerCase(), type: event.type, data, metadata };
  });
}
