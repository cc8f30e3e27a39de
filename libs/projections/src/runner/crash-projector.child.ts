// Run by projection.runner.crash.int-spec.ts as a child process that gets
// killed with SIGKILL: it projects the store into the read database in small
// batches and reports each commit, so the kill lands while the next batch is
// being written.
import { openStore } from '@trustline/testing/read-model.fixtures';
import { ProjectionRunner } from './projection.runner';
import { ReadModelDatabase } from './read-model.database';

const SMALL_BATCH = 25;

async function main(): Promise<void> {
  const [eventsFile, readFile] = process.argv.slice(2);
  const store = openStore(eventsFile);
  const database = ReadModelDatabase.open({ file: readFile });
  const quiet = { log: () => undefined, error: (message: string) => process.stderr.write(`${message}\n`) };
  const runner = new ProjectionRunner({
    store,
    database,
    logger: quiet,
    maxBatchSize: SMALL_BATCH,
    catchUpBatchSize: SMALL_BATCH,
    readPageSize: SMALL_BATCH,
  });
  runner.onCommitted((_batch, checkpoint) => process.stdout.write(`committed ${checkpoint}\n`));
  runner.start();
}

void main();
