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
import { EVENT_STORE, type EventStore, isCorruption } from '@trustline/event-store';
import {
  holdReadModelFile,
  newReadModelFileName,
  ProjectionRunner,
  ReadModelCorrupt,
  rebuildReadModel,
  retireReadModelFile,
  writeReadModelPointer,
  readReadModelPointer,
  ReadModelDatabase,
  ReadModels,
  ReadModelSwap,
  removeUnusedReadModelFiles,
} from '@trustline/projections';
import type { AppConfig } from '@trustline/config';
import { PROJECTION_PROGRESS } from '../write/mutation-runner';
import { EventsProjected } from './events-projected.event';

/**
 * Opens the read database the pointer names (read.db without one). Files
 * nobody uses any more (replaced by a rebuild while no server ran, or left
 * by a rebuild that was killed) are deleted here; a file another server on
 * this DATA_DIR still has open is left to it.
 */
async function openServedReadModel(dataDir: string, store: EventStore, logger: Logger): Promise<ReadModelDatabase> {
  const pointer = readReadModelPointer(dataDir);
  const database = await openOrRebuild(dataDir, pointer.file, store, logger);
  const removed = removeUnusedReadModelFiles(dataDir);
  if (removed.length > 0) logger.log(`Removed read databases nobody uses any more: ${removed.join(', ')}`);
  return database;
}

/**
 * A damaged read database (quick_check at open) is not served: a new one is
 * built from the events beside it (blue/green), the pointer names it, and the
 * damaged file goes once nobody uses it. Events are the truth; read models are disposable.
 */
async function openOrRebuild(
  dataDir: string,
  name: string,
  store: EventStore,
  logger: Logger,
): Promise<ReadModelDatabase> {
  try {
    return ReadModelDatabase.open({ file: path.resolve(dataDir, name) });
  } catch (error) {
    if (!(error instanceof ReadModelCorrupt)) throw error;
    logger.warn(`${error.message}; building a new read database from the events`);
  }
  const rebuilt = newReadModelFileName();
  const file = path.resolve(dataDir, rebuilt);
  const building = holdReadModelFile(file);
  try {
    const result = await rebuildReadModel({ store, file });
    const database = ReadModelDatabase.open({ file });
    writeReadModelPointer(dataDir, { file: rebuilt, previous: name });
    const removed = retireReadModelFile(path.resolve(dataDir, name));
    logger.warn(
      `Serving the read models from ${rebuilt}: ${result.events} events in ${result.seconds.toFixed(2)} s; ` +
        (removed ? `removed the damaged ${name}` : `${name} is still open in another process`),
    );
    return database;
  } finally {
    building.release();
  }
}

/**
 * Keeps the local read models up to date from the store's $all: catches up
 * before the server answers, then follows live appends. After each commit it
 * publishes EventsProjected on the EventBus (subscriptions listen there; the
 * read models never do). Meanwhile it watches for a rebuilt file to swap in.
 */
@Injectable()
export class ProjectionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  /** What the start cost: the events projected before serving (0 when the read models were kept). */
  startup: { file: string; eventsApplied: number } | null = null;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly swap: ReadModelSwap,
    private readonly eventBus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    const { checkpoint, events } = await this.runner.catchUp();
    this.startup = { file: this.swap.database.file, eventsApplied: events };
    this.logger.log(
      `Read models in ${path.basename(this.swap.database.file)} caught up to position ${checkpoint ?? 0} ` +
        `(${events} events applied) in ${Date.now() - started} ms`,
    );
    this.runner.onCommitted((events, position) => this.eventBus.publish(new EventsProjected(events, position)));
    // A damaged file is not retried for ever: it is replaced by one built from the events.
    this.runner.onFailed((error) => {
      if (isCorruption(error)) void this.swap.repair(error.message);
    });
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
      inject: [ConfigService, EVENT_STORE],
      useFactory: (config: ConfigService<AppConfig, true>, store: EventStore) =>
        openServedReadModel(config.get('DATA_DIR', { infer: true }), store, new Logger('Projections')),
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
      ) =>
        new ReadModelSwap({
          dataDir: config.get('DATA_DIR', { infer: true }),
          store,
          runner,
          readModels,
          database,
          logger: new Logger('ReadModelSwap'),
        }),
    },
    ProjectionLifecycle,
  ],
  // Not the ReadModelDatabase: the one the server started on is closed once a rebuilt file is swapped in.
  exports: [ProjectionRunner, ReadModels, ReadModelSwap, PROJECTION_PROGRESS],
})
export class ProjectionsModule {}
