import { type EventStore, openEventStore, openKeyStore, PersonalData } from '@trustline/event-store';
import type { AppConfig } from '@trustline/config';
import { UsageError } from './cli.io';

/** The store the server would use with this configuration: EventStoreDB when configured, else DATA_DIR/events.db. */
export const openConfiguredStore = (config: AppConfig): Promise<EventStore> =>
  openEventStore({
    connectionString: config.EVENTSTORE_CONNECTION_STRING,
    dataDir: config.DATA_DIR,
    synchronous: config.SQLITE_SYNCHRONOUS,
  });

export const describeStore = (config: AppConfig): string =>
  config.EVENTSTORE_CONNECTION_STRING ? 'EventStoreDB' : `${config.DATA_DIR}/events.db`;

/** The key store beside that event store, so the CLI opens what a caller may see (erased stays erased). */
export const openConfiguredPersonalData = async (
  config: AppConfig,
  store?: EventStore,
): Promise<{ personalData: PersonalData; close: () => Promise<void> }> => {
  const keys = await openKeyStore({ connectionString: config.EVENTSTORE_CONNECTION_STRING, dataDir: config.DATA_DIR });
  return { personalData: new PersonalData(keys, store), close: () => keys.close() };
};

/** An instant option: ISO-8601 with a zone, as the API's DateTime. */
export function instantOption(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ||
    Number.isNaN(Date.parse(text))
  ) {
    throw new UsageError(`--${name} must be an ISO-8601 instant with a zone (2026-03-01T09:00:00Z), not "${text}"`);
  }
  return new Date(text).toISOString();
}
