import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EVENT_STORE, type EventStore, openEventStore } from '@trustline/event-store';
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
      useFactory: async (config: ConfigService<AppConfig, true>, _lock: DataDirLock, metrics: Metrics, health: StorageHealth) =>
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
  ],
  exports: [EVENT_STORE, DATA_DIR_LOCK, StorageHealth],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATA_DIR_LOCK) private readonly lock: DataDirLock,
  ) {}

  private readonly logger = new Logger('EventStore');

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.store.close();
    this.lock.release();
    this.logger.log(`Event store closed${signal ? ` on ${signal}` : ''}`);
  }
}
