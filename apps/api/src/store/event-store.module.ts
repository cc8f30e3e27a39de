import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  EVENT_STORE,
  type EventStore,
  KEY_STORE,
  type KeyStore,
  openEventStore,
  openKeyStore,
  PersonalData,
} from '@trustline/event-store';
import { type DataDirLock, holdDataDirShared } from '@trustline/projections';
import type { AppConfig } from '@trustline/config';
import { Metrics } from '../metrics/metrics.service';
import { instrumentEventStore, StorageHealth } from './instrumented-event-store';

/** The server's shared hold on DATA_DIR: other servers may share it, seed-demo and other exclusive tools may not. */
export const DATA_DIR_LOCK = Symbol('DATA_DIR_LOCK');

// EventStoreDB when a connection string is configured, else the embedded
// SQLite file under DATA_DIR.
@Global()
@Module({
  providers: [
    {
      provide: DATA_DIR_LOCK,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): DataDirLock =>
        holdDataDirShared(config.get('DATA_DIR', { infer: true })),
    },
    { provide: StorageHealth, useFactory: () => new StorageHealth() },
    {
      provide: EVENT_STORE,
      // The lock is taken before any file of the directory is opened.
      inject: [ConfigService, DATA_DIR_LOCK, Metrics, StorageHealth],
      useFactory: async (
        config: ConfigService<AppConfig, true>,
        _lock: DataDirLock,
        metrics: Metrics,
        health: StorageHealth,
      ) =>
        instrumentEventStore(
          await openEventStore({
            connectionString: config.get('EVENTSTORE_CONNECTION_STRING', { infer: true }),
            dataDir: config.get('DATA_DIR', { infer: true }),
            synchronous: config.get('SQLITE_SYNCHRONOUS', { infer: true }),
          }),
          metrics,
          health,
        ),
    },
    // The keys of crypto-shredding live beside the events: keys.db under DATA_DIR, or key streams in EventStoreDB.
    {
      provide: KEY_STORE,
      inject: [ConfigService, DATA_DIR_LOCK],
      useFactory: (config: ConfigService<AppConfig, true>, _lock: DataDirLock): Promise<KeyStore> =>
        openKeyStore({
          connectionString: config.get('EVENTSTORE_CONNECTION_STRING', { infer: true }),
          dataDir: config.get('DATA_DIR', { infer: true }),
        }),
    },
    {
      provide: PersonalData,
      inject: [KEY_STORE, EVENT_STORE],
      useFactory: (keys: KeyStore, store: EventStore) => new PersonalData(keys, store),
    },
  ],
  exports: [EVENT_STORE, DATA_DIR_LOCK, StorageHealth, KEY_STORE, PersonalData],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(DATA_DIR_LOCK) private readonly lock: DataDirLock,
  ) {}

  private readonly logger = new Logger('EventStore');

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.store.close();
    this.lock.release();
    this.logger.log(`Event store closed${signal ? ` on ${signal}` : ''}`);
    await this.keys.close();
  }
}
