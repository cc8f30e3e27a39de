import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventStore } from '@trustline/event-store';
import type { ReadModels } from '../queries/read-models.queries';
import { ProjectionRunner, type ProjectionLogger } from '../runner/projection.runner';
import { ReadModelDatabase, ReadModelUnavailable } from '../runner/read-model.database';
import { rebuildReadModel } from '../runner/read-model.rebuild';
import {
  newReadModelFileName,
  readReadModelPointer,
  removeUnusedReadModelFiles,
  retireReadModelFile,
  writeReadModelPointer,
  type ReadModelPointer,
} from './read-model.pointer';
import { holdReadModelFile } from './read-model.use-lock';

export const READ_MODEL_SWAP = {
  /** How often a running server reads the pointer file. */
  pollMs: 1000,
  /** How long a swap waits for the live read models to reach a rebuilt file that is ahead of them. */
  liveCatchUpMs: 10_000,
} as const;

export interface ReadModelSwapOptions {
  dataDir: string;
  store: EventStore;
  runner: ProjectionRunner;
  readModels: ReadModels;
  /** The database the server started on. */
  database: ReadModelDatabase;
  pollMs?: number;
  /** Nest's Logger fits; default console. */
  logger?: ProjectionLogger & { warn(message: string): void };
}

/**
 * Follows DATA_DIR/read-model.json while the server runs. When it names
 * another file (a rebuild finished), the server brings that file up to its
 * own position, stops the runner between two batches, switches the runner
 * and the queries over, restarts, and deletes the old file unless another
 * process (a second server on the same DATA_DIR) still has it open: the last
 * one to let go of it deletes it. Queries are answered throughout, from the
 * old file until the switch.
 */
export class ReadModelSwap {
  private readonly logger: ProjectionLogger & { warn(message: string): void };
  private current: ReadModelDatabase;
  private timer: NodeJS.Timeout | null = null;
  private swapping: Promise<void> | null = null;
  /** The last problem logged, so a pointer that stays wrong is reported once, not every poll. */
  private lastProblem: string | null = null;

  constructor(private readonly options: ReadModelSwapOptions) {
    this.current = options.database;
    this.logger = options.logger ?? console;
  }

  /** The database the queries read now. */
  get database(): ReadModelDatabase {
    return this.current;
  }

  watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), this.options.pollMs ?? READ_MODEL_SWAP.pollMs);
    this.timer.unref();
  }

  /** Stops watching and waits for a swap in progress to finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.swapping;
  }

  /** Reads the pointer now and swaps when it names another file; resolves when done (for tests and the poll). */
  async check(): Promise<void> {
    if (this.swapping) return this.swapping;
    let pointer: ReadModelPointer;
    try {
      pointer = readReadModelPointer(this.options.dataDir);
    } catch (error) {
      this.report((error as Error).message);
      return;
    }
    // Both absolute: a relative DATA_DIR once made the server "swap" to its own file and delete it.
    if (path.resolve(this.options.dataDir, pointer.file) === path.resolve(this.current.file)) return;
    this.swapping = this.swapTo(pointer.file)
      .then(() => {
        this.lastProblem = null;
      })
      .catch((error: unknown) => this.report(`Not swapping to ${pointer.file}: ${(error as Error).message}`))
      .finally(() => {
        this.swapping = null;
      });
    return this.swapping;
  }

  /**
   * The live file is damaged (a batch failed with SQLITE_CORRUPT): events are
   * the truth and read models disposable, so build a new file from every
   * event beside it (blue/green, as `trustline rebuild` does), serve it, point
   * DATA_DIR at it and retire the damaged one. Resolves when done.
   */
  async repair(reason: string): Promise<void> {
    if (this.swapping) return this.swapping;
    this.swapping = this.rebuildAndSwap(reason)
      .catch((error: unknown) => this.report(`Could not repair the read models: ${(error as Error).message}`))
      .finally(() => {
        this.swapping = null;
      });
    return this.swapping;
  }

  private async rebuildAndSwap(reason: string): Promise<void> {
    const { store, runner, readModels, dataDir } = this.options;
    const damaged = path.basename(this.current.file);
    this.logger.warn(`The read database ${damaged} is damaged (${reason}); building a new one from the events`);
    const name = newReadModelFileName();
    const file = path.resolve(dataDir, name);
    const building = holdReadModelFile(file);
    try {
      const started = Date.now();
      await rebuildReadModel({ store, file });
      const next = ReadModelDatabase.open({ file });
      let previous: ReadModelDatabase;
      await runner.stop();
      try {
        await new ProjectionRunner({ store, database: next, logger: this.logger }).catchUp();
        previous = runner.switchDatabase(next, { allowAhead: true });
        readModels.switchTo(next);
        this.current = next;
      } catch (error) {
        next.close();
        throw error;
      } finally {
        runner.start();
      }
      writeReadModelPointer(dataDir, { file: name, previous: damaged });
      previous.close();
      const removed = retireReadModelFile(previous.file);
      this.logger.warn(
        `Serving the read models from ${name} (position ${next.checkpoint() ?? 0}), rebuilt in ${Date.now() - started} ms; ` +
          (removed ? `removed the damaged ${damaged}` : `${damaged} is still open in another process`),
      );
    } finally {
      building.release();
    }
  }

  private poll(): void {
    void this.check();
  }

  private async swapTo(name: string): Promise<void> {
    const { store, runner, readModels, dataDir } = this.options;
    const file = path.resolve(dataDir, name);
    if (!fs.existsSync(file)) throw new ReadModelUnavailable(`${file} does not exist`);
    const started = Date.now();
    const next = ReadModelDatabase.open({ file });
    if (next.wasReset) this.logger.warn(`${name} was built for other projections; projecting every event into it`);
    try {
      const filler = new ProjectionRunner({ store, database: next, logger: this.logger });
      // Silently: the events up to the live position were announced already, by the live runner.
      const bringUp = async () => {
        const live = runner.checkpoint();
        if (live !== null) await filler.catchUp({ until: live });
      };
      await bringUp();
      // A file ahead of the live runner would skip announcing the events in between: let the runner get there first.
      const ahead = next.checkpoint();
      if (ahead !== null && !(await runner.waitFor(ahead, READ_MODEL_SWAP.liveCatchUpMs))) {
        throw new Error(`the live read models did not reach position ${ahead} in time; trying again later`);
      }
      await runner.stop();
      let previous: ReadModelDatabase;
      try {
        await bringUp();
        previous = runner.switchDatabase(next);
        readModels.switchTo(next);
        this.current = next;
      } finally {
        runner.start();
      }
      previous.close();
      const old = path.basename(previous.file);
      const removed = retireReadModelFile(previous.file);
      this.logger.log(
        `Swapped the read models to ${name} at position ${next.checkpoint() ?? 0} in ${Date.now() - started} ms; ` +
          (removed ? `removed ${old}` : `${old} is still open in another process, which removes it when it lets go`),
      );
      this.removeLeftovers();
    } catch (error) {
      if (this.current !== next) next.close();
      throw error;
    }
  }

  /** Read databases nobody uses any more (see removeUnusedReadModelFiles); never fails the caller. */
  removeLeftovers(): void {
    try {
      const removed = removeUnusedReadModelFiles(this.options.dataDir);
      if (removed.length > 0) this.logger.log(`Removed read databases nobody uses any more: ${removed.join(', ')}`);
    } catch (error) {
      this.logger.warn(`Could not look for unused read databases: ${(error as Error).message}`);
    }
  }

  private report(problem: string): void {
    if (problem === this.lastProblem) return;
    this.lastProblem = problem;
    this.logger.error(problem);
  }
}
