import { randomUUID } from 'node:crypto';
import { deriveEvidence, type EvidenceSummary, summarizeEvidence, toMillis } from '@trustline/domain';
import type { SqliteEventStore } from '@trustline/event-store';
import { ReadModelDatabase, ReadModels } from '@trustline/projections';
import { projectedProgram, type ProjectedProgram } from '@trustline/testing/projected-program.fixtures';
import { appendFacts, streamOf, tempFolder } from '@trustline/testing/read-model.fixtures';
import { at, trustCheckInSubmitted } from '@trustline/testing';
import { EvidenceSummaries } from './evidence-summaries.cache';

const folder = tempFolder('evidence-summaries');
let fixture: ProjectedProgram;
let store: SqliteEventStore;
let database: ReadModelDatabase;
let readModels: ReadModels;
let program: ProjectedProgram['program'];

beforeAll(async () => {
  fixture = await projectedProgram(folder, 3);
  ({ store, database, readModels, program } = fixture);
});

afterAll(async () => {
  await fixture.close();
  folder.remove();
});

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
    const later = Math.min(
      toMillis(at(21)),
      ...summaries.ofProgram(program.programId, first).map((s) => s.nextFiringAt - 1),
    );
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
      trustCheckInSubmitted({
        relationshipId: changed,
        checkInId: randomUUID(),
        ability: 1,
        benevolence: 1,
        integrity: 1,
        occurredAt: at(21),
      }),
    ]);
    await fixture.project();
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
    expect(summaries.ofProgram(program.programId, earlier)).toEqual(
      program.relationshipIds.map((id) => fresh(id, earlier)),
    );
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

describe('summaries stored in the read database (a server started on it)', () => {
  it('are used with no fact read, and equal a fresh derivation', () => {
    const derivedAt = toMillis(at(20));
    database.refresh(derivedAt, 1000);
    const later = Math.min(
      toMillis(at(21)),
      ...program.relationshipIds.map((id) => (readModels.storedEvidence(id)?.nextFiringAt ?? derivedAt + 1) - 1),
    );
    const expected = program.relationshipIds.map((id) => figures(fresh(id, later)));
    const reads = factReads();
    const summaries = new EvidenceSummaries(readModels).ofProgram(program.programId, later);
    const one = new EvidenceSummaries(readModels).of(program.relationshipIds[1], later);
    expect(reads.one).not.toHaveBeenCalled();
    expect(reads.program).not.toHaveBeenCalled();
    expect(summaries.map((summary) => summary.now)).toEqual(program.relationshipIds.map(() => derivedAt));
    expect(summaries.map(figures)).toEqual(expected);
    expect(one).toEqual(summaries[1]);
  });

  it('are not used once a rule fell due, nor as of an instant before theirs, nor at an older revision', async () => {
    database.refresh(toMillis(at(25)), 1000);
    const [changed] = program.relationshipIds;
    const stored = readModels.storedEvidence(changed)!;
    const { derivedAt } = stored;
    expect(stored.nextFiringAt).toBeLessThan(Infinity);
    for (const now of [stored.nextFiringAt, derivedAt - 1]) {
      expect(new EvidenceSummaries(readModels).of(changed, now)).toEqual(fresh(changed, now));
    }
    await appendFacts(store, streamOf('relationship', changed), [
      trustCheckInSubmitted({
        relationshipId: changed,
        checkInId: randomUUID(),
        ability: 2,
        benevolence: 2,
        integrity: 2,
        occurredAt: at(24),
      }),
    ]);
    await fixture.project();
    // The row of the new fact is not refreshed yet: derived from the facts, as before there was a store.
    const expected = fresh(changed, derivedAt);
    const reads = factReads();
    const [summary] = new EvidenceSummaries(readModels).ofProgram(program.programId, derivedAt);
    expect(reads.one.mock.calls.length + reads.program.mock.calls.length).toBeGreaterThan(0);
    // The stored row lacks the new check-in: a summary equal to a fresh one was not taken from it.
    expect(summary).toEqual(expected);
  });
});

describe('a cache warmed from the read database at start', () => {
  it('answers the first program-wide query from memory, exactly as a fresh derivation', () => {
    const derivedAt = toMillis(at(30));
    database.refresh(derivedAt, 1000);
    const storedAt = Math.max(...program.relationshipIds.map((id) => readModels.storedEvidence(id)!.derivedAt));
    const now = Math.min(
      storedAt + 1,
      ...program.relationshipIds.map((id) => readModels.storedEvidence(id)!.nextFiringAt - 1),
    );
    const expected = program.relationshipIds.map((id) => figures(fresh(id, now)));
    const summaries = new EvidenceSummaries(readModels);
    expect(summaries.warm(now)).toBeGreaterThanOrEqual(program.relationshipIds.length);
    const stored = jest.spyOn(readModels, 'storedEvidenceOfProgram');
    const reads = factReads();
    expect(summaries.ofProgram(program.programId, now).map(figures)).toEqual(expected);
    expect(stored).not.toHaveBeenCalled();
    expect(reads.one).not.toHaveBeenCalled();
    expect(reads.program).not.toHaveBeenCalled();
  });

  it('keeps none that a time-triggered rule made stale', () => {
    database.refresh(toMillis(at(30)), 1000);
    const rows = program.relationshipIds.map((id) => readModels.storedEvidence(id)!);
    const soonest = Math.min(...rows.map((row) => row.nextFiringAt));
    const summaries = new EvidenceSummaries(readModels);
    const stillCurrent = [...readModels.storedEvidenceStillCurrent(soonest, 100_000)].map((row) => row.relationshipId);
    expect(stillCurrent).not.toContain(rows.find((row) => row.nextFiringAt === soonest)!.relationshipId);
    expect(summaries.warm(soonest)).toBe(stillCurrent.length);
  });
});
