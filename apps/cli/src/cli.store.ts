import { type EventStore, openEventStore } from '@trustline/event-store';
import type { AppConfig } from '@trustline/config';

/** The store the server would use with this configuration: EventStoreDB when configured, else DATA_DIR/events.db. */
export const openConfiguredStore = (config: AppConfig): Promise<EventStore> =>
  openEventStore({
    connectionString: config.EVENTSTORE_CONNECTION_STRING,
    dataDir: config.DATA_DIR,
    synchronous: config.SQLITE_SYNCHRONOUS,
  });

export const describeStore = (config: AppConfig): string =>
  config.EVENTSTORE_CONNECTION_STRING ? 'EventStoreDB' : `${config.DATA_DIR}/events.db`;
