import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EVENT_STORE, type EventStore, openEventStore } from '@trustline/event-store';
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
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  private readonly logger = new Logger('EventStore');

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.store.close();
    this.logger.log(`Event store closed${signal ? ` on ${signal}` : ''}`);
  }
}
