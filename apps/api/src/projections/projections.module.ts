import * as path from 'node:path';
import {
  type BeforeApplicationShutdown,
  Global,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
import { ProjectionRunner, ReadModelDatabase, ReadModels } from '@trustline/projections';
import type { AppConfig } from '../config/app-config';
import { PROJECTION_PROGRESS } from '../write/mutation-runner';
import { EventsProjected } from './events-projected.event';

export const READ_MODEL_FILE = 'read.db';

/**
 * Keeps the local read models up to date from the store's $all: catches up
 * before the server answers, then follows live appends. After each commit it
 * publishes EventsProjected on the EventBus (subscriptions listen there; the
 * read models never do).
 */
@Injectable()
class ProjectionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly database: ReadModelDatabase,
    private readonly eventBus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    const checkpoint = await this.runner.catchUp();
    this.logger.log(`Read models caught up to position ${checkpoint ?? 0} in ${Date.now() - started} ms`);
    this.runner.onCommitted((events, position) => this.eventBus.publish(new EventsProjected(events, position)));
    this.runner.start();
  }

  // Before the store closes (onApplicationShutdown): finish the batch in flight.
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  onApplicationShutdown(): void {
    this.database.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: ReadModelDatabase,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        ReadModelDatabase.open({ file: path.join(config.get('DATA_DIR', { infer: true }), READ_MODEL_FILE) }),
    },
    {
      provide: ProjectionRunner,
      inject: [EVENT_STORE, ReadModelDatabase],
      useFactory: (store: EventStore, database: ReadModelDatabase) =>
        new ProjectionRunner({ store, database, logger: new Logger('Projections') }),
    },
    { provide: PROJECTION_PROGRESS, useExisting: ProjectionRunner },
    {
      provide: ReadModels,
      inject: [ReadModelDatabase],
      useFactory: (database: ReadModelDatabase) => new ReadModels(database),
    },
    ProjectionLifecycle,
  ],
  exports: [ProjectionRunner, ReadModelDatabase, ReadModels, PROJECTION_PROGRESS],
})
export class ProjectionsModule {}

