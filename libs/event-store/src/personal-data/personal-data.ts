import { StreamNotFound } from '../event-store.errors';
import type { EventStore } from '../event-store.port';
import { parseStreamName } from '../stream-names';
import { erasedValue, open, parseEnvelope, seal } from './field-cipher';
import type { KeyStore } from './key-store.port';
import { personalFieldsOf } from './personal-fields';

type DomainEvent = { type: string; data: unknown };

/** The participants whose erasure destroys the key of this stream's personal values. */
export function keyOwnersOf(streamId: string, events: readonly DomainEvent[]): string[] {
  const stream = parseStreamName(streamId);
  if (stream?.type === 'participant') return [stream.id];
  const started = events.find((event) => event.type === 'RelationshipStarted')?.data as
    { mentorId?: string; menteeId?: string } | undefined;
  return [started?.mentorId, started?.menteeId].filter((id): id is string => typeof id === 'string');
}

/**
 * Crypto-shredding at the edges of the store: personal fields are sealed
 * just before an event is appended and opened only where a caller reads
 * them; projections, deciders and the hash chain only ever see envelopes.
 */
export class PersonalData {
  /** `store`, when given, tells a relationship's parties (its first event) to a key created after the stream. */
  constructor(
    private readonly keys: KeyStore,
    private readonly store?: EventStore,
  ) {}

  /**
   * The events with their personal fields sealed under the key of `streamId`,
   * created when new for its owners: `owners`, else those the events or the
   * stream's first event name (keyOwnersOf).
   */
  async protect<E extends DomainEvent>(
    streamId: string,
    events: readonly E[],
    owners?: readonly string[],
  ): Promise<E[]> {
    if (!events.some((event) => personalFieldsOf(event.type).length > 0)) return [...events];
    const key = await this.keys.keyForWriting(streamId, owners ?? (await this.ownersOf(streamId, events)));
    return events.map((event) => {
      const fields = personalFieldsOf(event.type);
      if (fields.length === 0) return event;
      const data: Record<string, unknown> = { ...(event.data as Record<string, unknown>) };
      for (const field of fields) {
        const value = data[field];
        if (typeof value !== 'string') continue;
        data[field] = key === null ? erasedValue(streamId) : seal(value, streamId, key.version, key.key);
      }
      return { ...event, data };
    });
  }

  private async ownersOf(streamId: string, events: readonly DomainEvent[]): Promise<string[]> {
    const owners = keyOwnersOf(streamId, events);
    if (owners.length > 0 || this.store === undefined) return owners;
    try {
      return keyOwnersOf(streamId, await this.store.readStream(streamId, { maxCount: 1 }));
    } catch (error) {
      if (error instanceof StreamNotFound) return [];
      throw error;
    }
  }

  /** The plaintext of a stored value; null once its subject is erased (or a sealed value does not open). */
  async reveal(value: string | null | undefined): Promise<string | null> {
    if (value === null || value === undefined) return null;
    const envelope = parseEnvelope(value);
    if (envelope === null) return value;
    switch (envelope.kind) {
      case 'erased':
        return null;
      case 'legacy':
        return (await this.keys.isErased(envelope.subject)) ? null : envelope.text;
      case 'sealed': {
        const key = await this.keys.keyForReading(envelope.subject, envelope.version);
        return key === null ? null : open(envelope, key);
      }
    }
  }

  /** An (upcast) event's data with its personal fields opened: erased values are null. */
  async revealData(type: string, data: unknown): Promise<unknown> {
    const fields = personalFieldsOf(type);
    if (fields.length === 0 || data === null || typeof data !== 'object') return data;
    const revealed: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const field of fields) {
      if (typeof revealed[field] === 'string') revealed[field] = await this.reveal(revealed[field] as string);
    }
    return revealed;
  }

  /** Whether a subject (`participant-<id>`, `relationship-<id>`) was erased. */
  isErased(subject: string): Promise<boolean> {
    return this.keys.isErased(subject);
  }

  /**
   * Destroys the keys of a participant and of every relationship it is a
   * party to (its keys' owners, plus `relationshipIds` known elsewhere, for
   * relationships recorded before keys existed). Resolves once destroyed.
   */
  async eraseParticipant(
    participantStream: string,
    participantId: string,
    relationshipStreams: readonly string[],
    erasedAt: string,
  ): Promise<string[]> {
    const owned = await this.keys.subjectsOwnedBy(participantId);
    const subjects = [...new Set([participantStream, ...owned, ...relationshipStreams])].sort();
    await this.keys.erase(subjects, erasedAt);
    return subjects;
  }
}
