import {
  ANY,
  EventStoreDBClient,
  jsonEvent,
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { KeyStore, SubjectKey } from './key-store.port';
import {
  KEY_EVENT_TYPES,
  keyOfVersion,
  keyStreamOf,
  newKeyEvent,
  ownerStreamOf,
} from './eventstoredb-key-store.mapping';

type Read = { state: 'erased' } | { state: 'absent' } | { state: 'present'; events: { type: string; data: unknown }[] };

/**
 * Keys in the EventStoreDB cluster every replica already trusts with the
 * events: one stream per subject, created with expected revision NO_STREAM
 * (two replicas racing agree on the first key), erased with tombstoneStream
 * (a hard delete: the stream can never be written again, so a key is never
 * recreated). No cache: an erasure on one replica holds on every other at once.
 */
export class EventStoreDbKeyStore implements KeyStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  static connect(connectionString: string): EventStoreDbKeyStore {
    return new EventStoreDbKeyStore(EventStoreDBClient.connectionString(connectionString));
  }

  private async read(stream: string): Promise<Read> {
    try {
      const events: { type: string; data: unknown }[] = [];
      for await (const resolved of this.client.readStream(stream)) {
        if (resolved.event) events.push({ type: resolved.event.type, data: resolved.event.data });
      }
      return { state: 'present', events };
    } catch (error) {
      if (error instanceof StreamDeletedError) return { state: 'erased' };
      if (error instanceof StreamNotFoundError) return { state: 'absent' };
      throw error;
    }
  }

  async keyForWriting(subject: string, owners: readonly string[]): Promise<SubjectKey | null> {
    const stream = keyStreamOf(subject);
    const found = await this.read(stream);
    if (found.state === 'erased') return null;
    if (found.state === 'present') {
      const key = keyOfVersion(found.events, 'latest');
      if (key) return { subject, ...key };
    }
    // The owners first: a key whose owners are not recorded could outlive their erasure.
    for (const owner of owners) {
      await this.client.appendToStream(
        ownerStreamOf(owner),
        jsonEvent({ type: KEY_EVENT_TYPES.owned, data: { subject } }),
        { expectedRevision: ANY },
      );
    }
    try {
      await this.client.appendToStream(
        stream,
        jsonEvent({ type: KEY_EVENT_TYPES.created, data: { ...newKeyEvent(subject, new Date().toISOString()) } }),
        {
          expectedRevision: NO_STREAM,
        },
      );
    } catch (error) {
      if (error instanceof StreamDeletedError) return null;
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    const created = await this.read(stream);
    if (created.state !== 'present') return null;
    const key = keyOfVersion(created.events, 'latest');
    return key ? { subject, ...key } : null;
  }

  async keyForReading(subject: string, version: number): Promise<Buffer | null> {
    const found = await this.read(keyStreamOf(subject));
    return found.state === 'present' ? (keyOfVersion(found.events, version)?.key ?? null) : null;
  }

  async isErased(subject: string): Promise<boolean> {
    return (await this.read(keyStreamOf(subject))).state === 'erased';
  }

  async subjectsOwnedBy(participantId: string): Promise<string[]> {
    const found = await this.read(ownerStreamOf(participantId));
    if (found.state !== 'present') return [];
    return [...new Set(found.events.map((event) => (event.data as { subject: string }).subject))].sort();
  }

  async erase(subjects: readonly string[]): Promise<void> {
    for (const subject of subjects) {
      try {
        await this.client.tombstoneStream(keyStreamOf(subject), { expectedRevision: ANY });
      } catch (error) {
        // Already erased: erasure is idempotent.
        if (!(error instanceof StreamDeletedError)) throw error;
      }
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
