import * as path from 'node:path';
import type { EventStore } from './event-store.port';
import { SqliteEventStore, type SqliteSynchronous } from './sqlite/sqlite-event-store';

export interface EventStoreSettings {
  /** When set, events live in EventStoreDB; otherwise in `<dataDir>/events.db`. */
  connectionString?: string;
  dataDir: string;
  synchronous?: SqliteSynchronous;
}

export const EVENTS_FILE = 'events.db';

/** Picks the adapter the configuration asks for; the server and the CLI open the store alike. */
export async function openEventStore(settings: EventStoreSettings): Promise<EventStore> {
  if (settings.connectionString) {
    // Loaded on demand: the embedded default never loads (or pays start-up time for) the gRPC client.
    const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store');
    return EventStoreDbEventStore.connect(settings.connectionString);
  }
  return SqliteEventStore.open({ file: path.join(settings.dataDir, EVENTS_FILE), synchronous: settings.synchronous });
}
