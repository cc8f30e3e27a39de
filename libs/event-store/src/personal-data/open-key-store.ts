import * as path from 'node:path';
import type { KeyStore } from './key-store.port';
import { KEYS_FILE, SqliteKeyStore } from './sqlite-key-store';

export interface KeyStoreSettings {
  /** As the event store: EventStoreDB when set, else `<dataDir>/keys.db`. */
  connectionString?: string;
  dataDir: string;
}

/** The key store beside the configured event store; the server and the CLI open it alike. */
export async function openKeyStore(settings: KeyStoreSettings): Promise<KeyStore> {
  if (settings.connectionString) {
    const { EventStoreDbKeyStore } = await import('./eventstoredb-key-store');
    return EventStoreDbKeyStore.connect(settings.connectionString);
  }
  return SqliteKeyStore.open(path.join(settings.dataDir, KEYS_FILE));
}
