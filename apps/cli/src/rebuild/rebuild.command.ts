import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventStore } from '@trustline/event-store';
import {
  holdReadModelFile,
  newReadModelFileName,
  READ_MODEL_POINTER_FILE,
  READ_MODEL_SWAP,
  readReadModelPointer,
  rebuildReadModel,
  removeUnusedReadModelFiles,
  retireReadModelFile,
  writeReadModelPointer,
} from '@trustline/projections';
import { type CliOutput, formatCount, formatSeconds, loadConfig } from '../cli.io';
import { describeStore, openConfiguredStore } from '../cli.store';
import { type CliCommand, parseOptions } from '../cli.command';

export const REBUILD_TUNING = {
  /** A progress line at most this often. */
  progressEveryMs: 1000,
  /** How long to wait for a running server to swap to the new file (it reads the pointer every second). */
  swapWaitMs: 30_000 + READ_MODEL_SWAP.liveCatchUpMs,
  swapCheckMs: 100,
} as const;

const OPTIONS = { 'data-dir': { type: 'string' } } as const;

/**
 * Blue/green: builds a new read database from every event beside the live
 * one, then points DATA_DIR/read-model.json at it. A running server swaps to
 * it by itself and deletes the old file; without one, the old file goes now
 * and the next start serves the new one.
 */
export const rebuildCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const config = loadConfig(options['data-dir']);
    const dataDir = config.DATA_DIR;
    const live = readReadModelPointer(dataDir);
    const name = newReadModelFileName();
    fs.mkdirSync(dataDir, { recursive: true });
    // The half-built files of rebuilds that were killed.
    for (const left of removeUnusedReadModelFiles(dataDir)) output.out(`Removed ${left}, which nobody uses`);
    // Held until the pointer names the new file, so no server starting meanwhile takes it for a leftover.
    const building = holdReadModelFile(path.join(dataDir, name));
    const store = await openConfiguredStore(config);
    try {
      output.out(`Rebuilding the read models from ${describeStore(config)} into ${path.join(dataDir, name)}`);
      const progress = progressReporter(output);
      const result = await rebuildReadModel({
        store: reportingProgress(store, progress),
        file: path.join(dataDir, name),
        onProgress: progress,
      });
      const rate = result.seconds > 0 ? Math.round(result.events / result.seconds) : result.events;
      output.out(
        `Built ${name}: ${formatCount(result.events)} events in ${formatSeconds(result.seconds)} s ` +
          `(${formatCount(rate)} events/s), up to position ${result.checkpoint ?? 'none (no events)'}`,
      );
    } catch (error) {
      building.release();
      retireReadModelFile(path.join(dataDir, name));
      throw error;
    } finally {
      await store.close();
    }
    writeReadModelPointer(dataDir, { file: name, previous: live.file });
    building.release();
    output.out(`${READ_MODEL_POINTER_FILE} now names ${name} (it named ${live.file})`);
    await retire(path.join(dataDir, live.file), name, output);
    return 0;
  },
};

/** Told the events read so far; prints a line now and then. */
function progressReporter(output: CliOutput): (read: number) => void {
  const started = Date.now();
  let reported = started;
  return (read) => {
    const now = Date.now();
    if (now - reported < REBUILD_TUNING.progressEveryMs) return;
    reported = now;
    output.out(`  … ${formatCount(read)} events read (${formatSeconds((now - started) / 1000)} s)`);
  };
}

/**
 * The store, counting the events a rebuild through the runner reads. Its
 * SQLite file is passed on: the rebuild then reads it itself, and reports
 * through onProgress.
 */
function reportingProgress(store: EventStore, progress: (read: number) => void): EventStore {
  let read = 0;
  return {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (...args) => store.readStream(...args),
    subscribeToAll: (...args) => store.subscribeToAll(...args),
    ping: () => store.ping(),
    close: () => store.close(),
    sqliteFile: store.sqliteFile,
    async readAll(options) {
      const page = await store.readAll(options);
      read += page.length;
      progress(read);
      return page;
    },
  };
}

/**
 * The file the pointer named before: gone now when nobody has it open; else
 * the servers that have it swap away from it and the last of them deletes it.
 */
async function retire(file: string, name: string, output: CliOutput): Promise<void> {
  if (!fs.existsSync(file)) return;
  const old = path.basename(file);
  if (retireReadModelFile(file)) {
    output.out(`No server had ${old} open: removed it. The next start serves ${name}.`);
    return;
  }
  output.out(`A server has ${old} open: waiting for it to swap to ${name}`);
  const started = Date.now();
  while (Date.now() - started < REBUILD_TUNING.swapWaitMs) {
    await new Promise((resolve) => setTimeout(resolve, REBUILD_TUNING.swapCheckMs));
    if (!fs.existsSync(file)) {
      output.out(
        `The server swapped to ${name} and removed ${old} (${formatSeconds((Date.now() - started) / 1000)} s).`,
      );
      return;
    }
  }
  output.err(
    `No server swapped to ${name} within ${REBUILD_TUNING.swapWaitMs / 1000} s and ${old} is still open. ` +
      `A server that runs swaps when it next reads ${READ_MODEL_POINTER_FILE} (its log says why not, if it cannot); ` +
      `the next start serves ${name}. Delete ${old} once nothing uses it.`,
  );
}
