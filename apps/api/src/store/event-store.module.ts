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
import type { AppConfig } from '../config/app-config';

// EventStoreDB when a connection string is configured, else the embedded
// SQLite file under DATA_DIR.
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): Promise<EventStore> =>
        openEventStore({
          connectionString: config.get('EVENTSTORE_CONNECTION_STRING', { infer: true }),
          dataDir: config.get('DATA_DIR', { infer: true }),
          synchronous: config.get('SQLITE_SYNCHRONOUS', { infer: true }),
        }),
    },
    // The keys of crypto-shredding live beside the events: keys.db under DATA_DIR, or key streams in EventStoreDB.
    {
      provide: KEY_STORE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): Promise<KeyStore> =>
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
  exports: [EVENT_STORE, KEY_STORE, PersonalData],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
  ) {}

  private readonly logger = new Logger('EventStore');

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.store.close();
    this.logger.log(`Event store closed${signal ? ` on ${signal}` : ''}`);
    await this.keys.close();
  }
}
