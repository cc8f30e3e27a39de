import { randomUUID } from 'node:crypto';
import { canonicalJson, sha256 } from '@trustline/event-store';
import { v5 as uuidv5 } from 'uuid';

// With an idempotency key, every id a mutation creates (the entity's and its
// events') is derived from the key, so a retried mutation finds what the first
// call wrote instead of writing it again. Without one, ids are random.
const NAMESPACE = '6f1d2a8e-3c55-4b7e-9a0f-5d2c8e7b1a43';

export class CommandIdentity {
  private constructor(
    readonly idempotencyKey: string | null,
    /** The id of this command: the causation of the events it appends. */
    readonly commandId: string,
  ) {}

  static forKey(idempotencyKey: string | null | undefined): CommandIdentity {
    return idempotencyKey
      ? new CommandIdentity(idempotencyKey, uuidv5(`command:${idempotencyKey}`, NAMESPACE))
      : new CommandIdentity(null, randomUUID());
  }

  /** The id of a new entity (program, promise, meeting…) this command creates. */
  entityId(kind: string): string {
    return this.idempotencyKey ? uuidv5(`${kind}:${this.idempotencyKey}`, NAMESPACE) : randomUUID();
  }

  /** The id of the index-th event this command appends. */
  eventId(index: number): string {
    return this.idempotencyKey ? uuidv5(`event:${this.idempotencyKey}:${index}`, NAMESPACE) : randomUUID();
  }
}

/** Tells a retry (same mutation, same input) from a reuse of the key for something else. */
export const inputHash = (mutation: string, input: unknown): string => sha256(canonicalJson({ mutation, input }));
