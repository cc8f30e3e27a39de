import { randomUUID } from 'node:crypto';
import { at, participantRegistered, trustCheckInSubmitted } from '@trustline/testing';
import { ReadModels } from '../queries/read-models.queries';
import {
  appendFacts,
  countRows,
  dumpTables,
  openStore,
  seedProgram,
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

describe('the documents a reader answers', () => {
  it('are the stored ones: those its writer folded, and those another process wrote into the file since', async () => {
    const store = openStore(folder.file('shared-events.db'));
    const { relationshipIds } = await seedProgram(store, 2);
    const [changed, untouched] = relationshipIds;
    const file = folder.file('shared.db');
    const first = ReadModelDatabase.open({ file });
    const second = ReadModelDatabase.open({ file });
    try {
      await new ProjectionRunner({ store, database: first, logger: quiet }).catchUp();
      const served = new ReadModels(first);
      const folded = served.getRelationships(relationshipIds);
      expect(folded.every((view) => view !== null)).toBe(true);

      // The second process projects a fact the first has not seen.
      await appendFacts(store, streamOf('relationship', changed), [
        trustCheckInSubmitted({ relationshipId: changed, checkInId: randomUUID(), occurredAt: at(40) }),
      ]);
      await new ProjectionRunner({ store, database: second, logger: quiet }).catchUp();

      const [now, same] = served.getRelationships([changed, untouched]);
      expect(now).toEqual(new ReadModels(second).getRelationship(changed));
      expect(now?.lastFactAt).toBe(at(40));
      expect(same).toEqual(folded[1]);
      // As a fresh connection parses them from the file.
      const fresh = ReadModelDatabase.open({ file });
      try {
        expect(served.getRelationships(relationshipIds)).toEqual(
          new ReadModels(fresh).getRelationships(relationshipIds),
        );
      } finally {
        fresh.close();
      }
    } finally {
      first.close();
      second.close();
      await store.close();
    }
  });
});
