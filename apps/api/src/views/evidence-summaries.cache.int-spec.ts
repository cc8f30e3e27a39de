import { randomUUID } from 'node:crypto';
import { deriveEvidence, type EvidenceSummary, summarizeEvidence, toMillis } from '@trustline/domain';
import type { SqliteEventStore } from '@trustline/event-store';
import { ProjectionRunner, ReadModelDatabase, ReadModels } from '@trustline/projections';
import {
  appendFacts,
  openStore,
  seedProgram,
  streamOf,
  tempFolder,
  type SeededProgram,
} from '@trustline/testing/read-model.fixtures';
import { at, trustCheckInSubmitted } from '@trustline/testing';
import { EvidenceSummaries } from './evidence-summaries.cache';

const folder = tempFolder('evidence-summaries');
const quiet = { log: () => undefined, error: () => undefined };
let store: SqliteEventStore;
let database: ReadModelDatabase;
let readModels: ReadModels;
let program: SeededProgram;

beforeAll(async () => {
  store = openStore(folder.file('events.db'));
  program = await seedProgram(store, 3);
  database = ReadModelDatabase.open({ file: folder.file('read.db') });
  readModels = new ReadModels(database);
  await project();
});

afterAll(async () => {
  database.close();
  await store.close();
  folder.remove();
});

const project = () => new ProjectionRunner({ store, database, logger: quiet }).catchUp();

/** What deriving the relationship's evidence afresh gives. */
const fresh = (relationshipId: string, now: number) =>
  summarizeEvidence(deriveEvidence(readModels.relationshipFacts(relationshipId), now));

// A kept summary says when it was derived; everything else must be what a fresh derivation gives.
const figures = ({ now: _now, ...rest }: EvidenceSummary) => rest;

const factReads = () => ({
  one: jest.spyOn(readModels, 'relationshipFacts'),
  program: jest.spyOn(readModels, 'eachRelationshipFactsOfProgram'),
});

afterEach(() => jest.restoreAllMocks());

describe('the summaries of a program nobody asked about yet', () => {
  it('are derived from the facts, one per relationship in start order', () => {
    const now = toMillis(at(20));
    const summaries = new EvidenceSummaries(readModels).ofProgram(program.programId, now);
    expect(summaries.map((summary) => summary.relationshipId)).toEqual(program.relationshipIds);
    expect(summaries).toEqual(program.relationshipIds.map((id) => fresh(id, now)));
  });

  it('are none for an unknown program', () => {
    expect(new EvidenceSummaries(readModels).ofProgram(randomUUID(), toMillis(at(20)))).toEqual([]);
  });
});

describe('summaries asked for again', () => {
  it('are kept while nothing changed, and equal a fresh derivation', () => {
    const summaries = new EvidenceSummaries(readModels);
    const first = toMillis(at(20));
    summaries.ofProgram(program.programId, first);
    const later = Math.min(toMillis(at(21)), ...summaries.ofProgram(program.programId, first).map((s) => s.nextFiringAt - 1));
    const reads = factReads();
    const again = summaries.ofProgram(program.programId, later);
    expect(reads.one).not.toHaveBeenCalled();
    expect(reads.program).not.toHaveBeenCalled();
    expect(again.map(figures)).toEqual(program.relationshipIds.map((id) => figures(fresh(id, later))));
  });

  it('are derived again for a relationship with a new fact, and only for it', async () => {
    const summaries = new EvidenceSummaries(readModels);
    const now = toMillis(at(22));
    const before = summaries.ofProgram(program.programId, now);
    const [changed] = program.relationshipIds;
    await appendFacts(store, streamOf('relationship', changed), [
      trustCheckInSubmitted({ relationshipId: changed, checkInId: randomUUID(), ability: 1, benevolence: 1, integrity: 1, occurredAt: at(21) }),
    ]);
    await project();
    const again = summaries.ofProgram(program.programId, now);
    expect(again[0]).not.toBe(before[0]);
    expect(again[1]).toBe(before[1]);
    expect(again[2]).toBe(before[2]);
    expect(again).toEqual(program.relationshipIds.map((id) => fresh(id, now)));
  });

  it('are derived again once a time-triggered rule falls due', () => {
    const summaries = new EvidenceSummaries(readModels);
    const now = toMillis(at(20));
    const [before] = summaries.ofProgram(program.programId, now);
    expect(before.nextFiringAt).toBeLessThan(Infinity);
    const due = summaries.ofProgram(program.programId, before.nextFiringAt);
    expect(due).toEqual(program.relationshipIds.map((id) => fresh(id, before.nextFiringAt)));
    expect(due[0].trust.MENTEE_IN_MENTOR.at.length + due[0].trust.MENTOR_IN_MENTEE.at.length).toBeGreaterThan(
      before.trust.MENTEE_IN_MENTOR.at.length + before.trust.MENTOR_IN_MENTEE.at.length,
    );
  });

  it('are derived again when asked as of an instant before the one they were derived at', () => {
    const summaries = new EvidenceSummaries(readModels);
    summaries.ofProgram(program.programId, toMillis(at(60)));
    const earlier = toMillis(at(20));
    expect(summaries.ofProgram(program.programId, earlier)).toEqual(program.relationshipIds.map((id) => fresh(id, earlier)));
  });
});

describe('the summary of one relationship', () => {
  it('is the one the program keeps, and null for an unknown relationship', () => {
    const summaries = new EvidenceSummaries(readModels);
    const now = toMillis(at(20));
    const [first] = summaries.ofProgram(program.programId, now);
    expect(summaries.of(program.relationshipIds[0].toUpperCase(), now)).toBe(first);
    expect(summaries.of(randomUUID(), now)).toBeNull();
  });
});

describe('a full cache', () => {
  class TwoSummaries extends EvidenceSummaries {
    protected override readonly capacity = 2;
  }

  it('drops the oldest summary not used since it was kept, and keeps one that was', () => {
    const summaries = new TwoSummaries(readModels);
    const now = toMillis(at(20));
    const [first, second, third] = program.relationshipIds;
    summaries.of(first, now);
    summaries.of(second, now);
    summaries.of(first, now);
    summaries.of(third, now);
    const reads = factReads();
    summaries.of(first, now);
    expect(reads.one).not.toHaveBeenCalled();
    summaries.of(second, now);
    expect(reads.one.mock.calls).toEqual([[second.toLowerCase()]]);
  });
});
