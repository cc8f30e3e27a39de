import type { SqliteEventStore } from '@trustline/event-store';
import { ReadModels } from '@trustline/projections/queries/read-models.queries';
import { ProjectionRunner, type CatchUpResult } from '@trustline/projections/runner/projection.runner';
import { ReadModelDatabase } from '@trustline/projections/runner/read-model.database';
import { openStore, seedProgram, type SeededProgram, type TempFolder } from './read-model.fixtures';

// Imported by path (`@trustline/testing/projected-program.fixtures`), not through the
// index: it reaches into the projections library.

const quiet = { log: () => undefined, error: () => undefined };

/** A store holding one seeded program (seedProgram), and a read database projected from it. */
export interface ProjectedProgram {
  readonly store: SqliteEventStore;
  readonly database: ReadModelDatabase;
  readonly readModels: ReadModels;
  readonly program: SeededProgram;
  /** Projects what the store holds past the checkpoint of `into` (default: this read database). */
  project(into?: ReadModelDatabase): Promise<CatchUpResult>;
  /** Closes the read database and the store; the folder is the caller's to remove. */
  close(): Promise<void>;
}

/** `events.db` and `read.db` in `folder`: a program of `relationships` relationships, projected. */
export async function projectedProgram(folder: TempFolder, relationships: number): Promise<ProjectedProgram> {
  const store = openStore(folder.file('events.db'));
  const program = await seedProgram(store, relationships);
  const database = ReadModelDatabase.open({ file: folder.file('read.db') });
  const project = (into: ReadModelDatabase = database) =>
    new ProjectionRunner({ store, database: into, logger: quiet }).catchUp();
  await project();
  return {
    store,
    database,
    readModels: new ReadModels(database),
    program,
    project,
    close: async () => {
      database.close();
      await store.close();
    },
  };
}
