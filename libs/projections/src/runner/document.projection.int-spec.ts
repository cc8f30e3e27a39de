import { randomUUID } from 'node:crypto';
import { participantRegistered } from '@trustline/testing';
import { ReadModels } from '../queries/read-models.queries';
import {
  appendFacts,
  countRows,
  dumpTables,
  openStore,
  streamOf,
  tempFolder,
} from '@trustline/testing/read-model.fixtures';
import { ProjectionRunner } from './projection.runner';
import { PROJECTION_TUNING } from './projection.tuning';
import { ReadModelDatabase } from './read-model.database';

const folder = tempFolder('documents');
afterAll(() => folder.remove());
const quiet = { log: () => undefined, error: () => undefined };

describe('a transaction that changes more documents than it keeps in memory', () => {
  it('writes every one of them, the early ones included', async () => {
    const store = openStore(folder.file('events.db'));
    const programId = randomUUID();
    const ids = Array.from({ length: PROJECTION_TUNING.documentsInFlight + 25 }, () => randomUUID());
    for (const participantId of ids) {
      await appendFacts(store, streamOf('participant', participantId), [
        participantRegistered({ participantId, programId }),
      ]);
    }
    const oneTransaction = folder.file('one.db');
    const database = ReadModelDatabase.open({ file: oneTransaction });
    await new ProjectionRunner({ store, database, logger: quiet, catchUpBatchSize: ids.length }).catchUp();
    expect(new ReadModels(database).getParticipants(ids).every((participant) => participant !== null)).toBe(true);
    database.close();

    const manyTransactions = folder.file('many.db');
    const reference = ReadModelDatabase.open({ file: manyTransactions });
    await new ProjectionRunner({ store, database: reference, logger: quiet, catchUpBatchSize: 100 }).catchUp();
    reference.close();
    await store.close();

    expect(countRows(oneTransaction, 'participants')).toBe(ids.length);
    expect(dumpTables(oneTransaction)).toEqual(dumpTables(manyTransactions));
  }, 60_000);
});
