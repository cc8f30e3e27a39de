import * as fs from 'node:fs';
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
import { isReadModelFileInUse, readReadModelPointer, removeReadModelFile } from './read-model.pointer';
import { ReadModelSwap } from './read-model.swap';

/**
 * Opens the read database the pointer names (read.db without one). The file a
 * rebuild replaced while no server ran is deleted here, unless something
 * still has it open.
 */
function openServedReadModel(dataDir: string, logger: Logger): ReadModelDatabase {
  const pointer = readReadModelPointer(dataDir);
  if (pointer.previous !== undefined) {
    const previous = path.join(dataDir, pointer.previous);
    if (fs.existsSync(previous)) {
      if (isReadModelFileInUse(previous)) logger.warn(`${previous} was replaced but is still open; not removing it`);
      else removeReadModelFile(previous);
    }
  }
  return ReadModelDatabase.open({ file: path.join(dataDir, pointer.file) });
}

/**
 * Keeps the local read models up to date from the store's $all: catches up
 * before the server answers, then follows live appends. After each commit it
 * publishes EventsProjected on the EventBus (subscriptions listen there; the
 * read models never do). Meanwhile it watches for a rebuilt file to swap in.
 */
@Injectable()
class ProjectionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly swap: ReadModelSwap,
    private readonly eventBus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    const { checkpoint, events } = await this.runner.catchUp();
    this.logger.log(
      `Read models in ${path.basename(this.swap.database.file)} caught up to position ${checkpoint ?? 0} ` +
        `(${events} events applied) in ${Date.now() - started} ms`,
    );
    this.runner.onCommitted((events, position) => this.eventBus.publish(new EventsProjected(events, position)));
    this.runner.start();
    this.swap.watch();
  }

  // Before the store closes (onApplicationShutdown): finish the swap and the batch in flight.
  async beforeApplicationShutdown(): Promise<void> {
    await this.swap.stop();
    await this.runner.stop();
  }

  onApplicationShutdown(): void {
    this.swap.database.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: ReadModelDatabase,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        openServedReadModel(config.get('DATA_DIR', { infer: true }), new Logger('Projections')),
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
    {
      provide: ReadModelSwap,
      inject: [ConfigService, EVENT_STORE, ProjectionRunner, ReadModels, ReadModelDatabase],
      useFactory: (
        config: ConfigService<AppConfig, true>,
        store: EventStore,
        runner: ProjectionRunner,
        readModels: ReadModels,
        database: ReadModelDatabase,
      ) => new ReadModelSwap({ dataDir: config.get('DATA_DIR', { infer: true }), store, runner, readModels, database }),
    },
    ProjectionLifecycle,
  ],
  // Not the ReadModelDatabase: the one the server started on is closed once a rebuilt file is swapped in.
  exports: [ProjectionRunner, ReadModels, ReadModelSwap, PROJECTION_PROGRESS],
})
export class ProjectionsModule {}

