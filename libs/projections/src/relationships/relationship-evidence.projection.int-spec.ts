import { randomUUID } from 'node:crypto';
import { decodeSummary, deriveEvidence, encodeSummary, summarizeEvidence, toMillis } from '@trustline/domain';
import type { SqliteEventStore } from '@trustline/event-store';
import { at, promiseMade, trustCheckInSubmitted } from '@trustline/testing';
import { ReadModels } from '../queries/read-models.queries';
import { ProjectionRunner } from '../runner/projection.runner';
import { ReadModelDatabase } from '../runner/read-model.database';
import { rebuildReadModel } from '../runner/read-model.rebuild';
import {
  appendFacts,
  openStore,
  seedProgram,
  streamOf,
  tempFolder,
  type SeededProgram,
} from '@trustline/testing/read-model.fixtures';
import type { StoredEvidenceRow } from './relationship-evidence.projection';

const folder = tempFolder('relationship-evidence');
const quiet = { log: () => undefined, error: () => undefined };
let store: SqliteEventStore;
let program: SeededProgram;

beforeAll(async () => {
  store = openStore(folder.file('events.db'));
  program = await seedProgram(store, 3);
});

afterAll(async () => {
  await store.close();
  folder.remove();
});

const opened: ReadModelDatabase[] = [];
afterEach(() => opened.splice(0).forEach((database) => database.close()));

async function projected(name: string): Promise<{ database: ReadModelDatabase; readModels: ReadModels }> {
  const database = ReadModelDatabase.open({ file: folder.file(`${name}-${randomUUID()}.db`) });
  opened.push(database);
  await new ProjectionRunner({ store, database, logger: quiet }).catchUp();
  return { database, readModels: new ReadModels(database) };
}

/** The stored row decoded, beside what deriving the relationship's facts afresh as of the row's instant gives. */
function storedAndFresh(readModels: ReadModels, relationshipId: string) {
  const row = readModels.storedEvidence(relationshipId) as StoredEvidenceRow;
  const fresh = summarizeEvidence(deriveEvidence(readModels.relationshipFacts(relationshipId), row.derivedAt));
  return { row, stored: decodeSummary(row.summary, row.summaryRelationshipId, row.policy), fresh };
}

const revisionOf = (readModels: ReadModels, id: string) => readModels.relationshipRevision(id);

describe('the stored evidence summaries', () => {
  it('of a rebuilt file are those a fresh derivation gives as of the rebuild, for every relationship', async () => {
    const now = toMillis(at(30));
    const file = folder.file(`rebuilt-${randomUUID()}.db`);
    await rebuildReadModel({ store, file, clock: () => now });
    const database = ReadModelDatabase.open({ file });
    opened.push(database);
    const readModels = new ReadModels(database);
    for (const id of program.relationshipIds) {
      const { row, stored, fresh } = storedAndFresh(readModels, id);
      expect(row).toMatchObject({
        derivedAt: now,
        revision: revisionOf(readModels, id),
        nextFiringAt: fresh.nextFiringAt,
      });
      expect(stored).toEqual(fresh);
    }
    expect([...readModels.storedEvidenceOfProgram(program.programId)].map((row) => row.relationshipId).sort()).toEqual(
      program.relationshipIds.map((id) => id.toLowerCase()).sort(),
    );
  });

  it('are left to derive by a batch that adds a fact, and derived at the new revision by the next refresh', async () => {
    const { database, readModels } = await projected('touched');
    const first = toMillis(at(20));
    expect(database.refresh(first, 100)).toBe(3);
    const [changed, untouched] = program.relationshipIds;
    const before = readModels.storedEvidence(untouched);
    await appendFacts(store, streamOf('relationship', changed), [
      trustCheckInSubmitted({
        relationshipId: changed,
        checkInId: randomUUID(),
        ability: 2,
        benevolence: 2,
        integrity: 2,
        occurredAt: at(21),
      }),
    ]);
    await new ProjectionRunner({ store, database, logger: quiet }).catchUp();
    expect(readModels.storedEvidence(changed)).toBeNull();
    expect(readModels.storedEvidence(untouched)).toEqual(before);

    const later = toMillis(at(22));
    expect(database.refresh(later, 100)).toBe(1);
    const { row, stored, fresh } = storedAndFresh(readModels, changed);
    expect(row).toMatchObject({ derivedAt: later, revision: revisionOf(readModels, changed) });
    expect(stored).toEqual(fresh);
    expect(database.refresh(later, 100)).toBe(0);
  });

  it('derived again after each of several batches (back-dated facts among them) are byte for byte a fresh derivation', async () => {
    const { database, readModels } = await projected('again');
    const [id] = program.relationshipIds;
    database.refresh(toMillis(at(20)), 100);
    // Each round adds facts after those the last refresh read, one of them dated before all the others.
    for (const [round, occurredAt] of [at(21), at(2), at(22), at(1)].entries()) {
      await appendFacts(store, streamOf('relationship', id), [
        trustCheckInSubmitted({ relationshipId: id, checkInId: randomUUID(), ability: 1 + round, occurredAt }),
        promiseMade({ relationshipId: id, promiseId: randomUUID(), dueAt: at(25 + round), occurredAt }),
      ]);
      await new ProjectionRunner({ store, database, logger: quiet }).catchUp();
      const now = toMillis(at(23 + round));
      expect(database.refresh(now, 100)).toBe(1);
      const row = readModels.storedEvidence(id) as StoredEvidenceRow;
      expect(row.revision).toBe(revisionOf(readModels, id));
      const fresh = summarizeEvidence(deriveEvidence(readModels.relationshipFacts(id), now));
      expect(Buffer.from(row.summary)).toEqual(Buffer.from(encodeSummary(fresh)));
    }
  });

  it('are derived again once a time-triggered rule fell due, and only those', async () => {
    const [due] = program.relationshipIds;
    await appendFacts(store, streamOf('relationship', due), [
      promiseMade({ relationshipId: due, promiseId: randomUUID(), dueAt: at(41), occurredAt: at(23) }),
    ]);
    const { database, readModels } = await projected('due');
    const now = toMillis(at(24));
    database.refresh(now, 100);
    const soonest = Math.min(
      ...program.relationshipIds.map((id) => (readModels.storedEvidence(id) as StoredEvidenceRow).nextFiringAt),
    );
    expect(soonest).toBeLessThan(Infinity);
    const expiring = program.relationshipIds.filter((id) => readModels.storedEvidence(id)?.nextFiringAt === soonest);
    expect(database.refresh(soonest - 1, 100)).toBe(0);
    expect(database.refresh(soonest, 100)).toBe(expiring.length);
    for (const id of expiring) {
      const { row, stored, fresh } = storedAndFresh(readModels, id);
      expect(row.derivedAt).toBe(soonest);
      expect(stored).toEqual(fresh);
    }
  });

  it('are refreshed in chunks no bigger than asked', async () => {
    const { database } = await projected('chunks');
    const now = toMillis(at(20));
    expect(database.refresh(now, 2)).toBe(2);
    expect(database.refresh(now, 2)).toBe(1);
    expect(database.refresh(now, 2)).toBe(0);
  });

  it('are kept current by a started runner as facts come, with no refresh asked for', async () => {
    const database = ReadModelDatabase.open({ file: folder.file(`live-${randomUUID()}.db`) });
    opened.push(database);
    const now = toMillis(at(50));
    const runner = new ProjectionRunner({ store, database, logger: quiet, clock: () => now });
    runner.start();
    try {
      const [id] = program.relationshipIds;
      const position = await appendFacts(store, streamOf('relationship', id), [
        trustCheckInSubmitted({ relationshipId: id, checkInId: randomUUID(), occurredAt: at(49) }),
      ]);
      expect(await runner.waitFor(position, 10_000)).toBe(true);
      const readModels = new ReadModels(database);
      const deadline = Date.now() + 10_000;
      while (readModels.storedEvidence(id)?.revision !== revisionOf(readModels, id) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      for (const relationshipId of program.relationshipIds) {
        const { row, stored, fresh } = storedAndFresh(readModels, relationshipId);
        expect(row).toMatchObject({ derivedAt: now, revision: revisionOf(readModels, relationshipId) });
        expect(stored).toEqual(fresh);
      }
    } finally {
      await runner.stop();
    }
  });
});
