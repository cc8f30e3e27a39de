import { randomUUID } from 'node:crypto';
import type { SqliteEventStore } from '@trustline/event-store';
import { DocumentCache, ReadModelDatabase, ReadModels } from '@trustline/projections';
import { projectedProgram, type ProjectedProgram } from '@trustline/testing/projected-program.fixtures';
import { appendFacts, streamOf, tempFolder } from '@trustline/testing/read-model.fixtures';
import { deriveEvidence, summarizeEvidence, toMillis } from '@trustline/domain';
import { at, promiseMade, trustCheckInSubmitted } from '@trustline/testing';
import { EvidenceSummaries } from './evidence-summaries.cache';
import { Views } from './views.service';

// Relationship views are kept parsed between requests: each must be exactly what the read model holds now.

const folder = tempFolder('views');
let fixture: ProjectedProgram;
let store: SqliteEventStore;
let readModels: ReadModels;
let program: ProjectedProgram['program'];

beforeAll(async () => {
  fixture = await projectedProgram(folder, 3);
  ({ store, readModels, program } = fixture);
});

afterAll(async () => {
  await fixture.close();
  folder.remove();
});

afterEach(() => jest.restoreAllMocks());

const viewsOf = () => new Views(readModels, new EvidenceSummaries(readModels));
const documentReads = () => jest.spyOn(readModels, 'getRelationships');

/** Views keeping at most `units` (one per relationship, promise, meeting and pause). */
class SmallViews extends Views {
  constructor(units: number) {
    super(readModels, new EvidenceSummaries(readModels));
    (this as unknown as { relationshipViews: DocumentCache<unknown> }).relationshipViews = new DocumentCache(units);
  }
}

describe('relationship views asked for again', () => {
  it('are kept while the relationship has no new fact, whatever case the id is in', async () => {
    const views = viewsOf();
    const [id] = program.relationshipIds;
    const [first] = await views.relationshipsById([id]);
    expect(first).toEqual(readModels.getRelationships([id])[0]);
    const reads = documentReads();
    const [again] = await views.relationshipsById([id]);
    const [upper] = await views.relationshipsById([id.toUpperCase()]);
    expect(reads).not.toHaveBeenCalled();
    expect(again).toBe(first);
    expect(upper).toBe(first);
    // Shared by every request: read-only, nested lists included.
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first!.promises)).toBe(true);
  });

  it('are read again once a fact reaches the read model, and equal what it holds', async () => {
    const views = viewsOf();
    const [, changed, unchanged] = program.relationshipIds;
    const [before, other] = await views.relationshipsById([changed, unchanged]);
    await appendFacts(store, streamOf('relationship', changed), [
      promiseMade({ relationshipId: changed, promiseId: randomUUID(), occurredAt: at(3) }),
    ]);
    // Not projected yet: the stored document is still the kept one.
    expect((await views.relationshipsById([changed]))[0]).toBe(before);
    await fixture.project();
    const reads = documentReads();
    const [after, same] = await views.relationshipsById([changed, unchanged]);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reads).toHaveBeenCalledWith([changed]);
    expect(after).not.toBe(before);
    expect(after!.promises).toHaveLength(before!.promises.length + 1);
    expect(after).toEqual(readModels.getRelationships([changed])[0]);
    expect(same).toBe(other);
  });

  it('answer null for an unknown id, in the order asked, and keep nothing for it', async () => {
    const views = viewsOf();
    const unknown = randomUUID();
    const [a, b] = program.relationshipIds;
    expect(await views.relationshipsById([a, unknown, b])).toEqual(readModels.getRelationships([a, unknown, b]));
    const reads = documentReads();
    expect(await views.relationshipsById([unknown, b])).toEqual([null, readModels.getRelationships([b])[0]]);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await views.relationshipsById([])).toEqual([]);
  });

  it('are kept within their bound, the least recently used going first', async () => {
    const [a, b, c] = program.relationshipIds;
    const units = (id: string) => {
      const view = readModels.getRelationships([id])[0]!;
      return 1 + view.promises.length + view.meetings.length + view.pauses.length;
    };
    const views = new SmallViews(units(a) + units(b));
    const [first] = await views.relationshipsById([a]);
    await views.relationshipsById([b]);
    await views.relationshipsById([c]);
    // a went first, so it is read from the read model again (which may hand back its writer's parsed document).
    const reads = documentReads();
    const [again] = await views.relationshipsById([a]);
    expect(reads).toHaveBeenCalledWith([a]);
    expect(again).toEqual(first);
  });
});

describe("a relationship's summary asked for in the request that read its view", () => {
  const checkIn = (relationshipId: string, day: number) =>
    trustCheckInSubmitted({
      relationshipId,
      checkInId: randomUUID(),
      ability: 3,
      benevolence: 4,
      integrity: 2,
      occurredAt: at(day),
    });
  /** What deriving the relationship's evidence afresh gives. */
  const fresh = (relationshipId: string, now: number) =>
    summarizeEvidence(deriveEvidence(readModels.relationshipFacts(relationshipId), now));

  it('is checked at the revision the view was read at: the revision is read once, not twice', async () => {
    const views = viewsOf();
    const [id] = program.relationshipIds;
    const now = toMillis(at(20));
    // Kept from an earlier request.
    await views.summariesById([id], now);
    const revisionsRead = new Map<string, number>();
    const revisions = jest.spyOn(readModels, 'relationshipRevision');
    const [view] = await views.relationshipsById([id.toUpperCase()], revisionsRead);
    const [summary] = await views.summariesById([id], now, revisionsRead);
    expect(revisions).toHaveBeenCalledTimes(1);
    expect(revisionsRead).toEqual(new Map([[id.toLowerCase(), readModels.relationshipRevision(id)]]));
    expect(view).toEqual(readModels.getRelationships([id])[0]);
    expect(summary).toEqual(fresh(id, now));
  });

  it('is read afresh when none is kept at that revision or a rule fell due, and null for an unknown id', async () => {
    const views = viewsOf();
    const [, id] = program.relationshipIds;
    const now = toMillis(at(26));
    await views.summariesById([id], now);
    const revisionsRead = new Map<string, number>();
    await views.relationshipsById([id], revisionsRead);
    // A revision nothing is kept at (the view of an older one): the stored revision decides, as without one.
    const older = new Map([[id.toLowerCase(), revisionsRead.get(id.toLowerCase())! - 1]]);
    expect(await views.summariesById([id], now, older)).toEqual([fresh(id, now)]);
    const [kept] = await views.summariesById([id], now, revisionsRead);
    expect(kept).toEqual(fresh(id, now));
    const due = (kept as { nextFiringAt: number }).nextFiringAt;
    expect(due).toBeLessThan(Infinity);
    expect(await views.summariesById([id], due, revisionsRead)).toEqual([fresh(id, due)]);
    const unknown = randomUUID();
    const [missing] = await views.summariesById([unknown], now, new Map([[unknown, 1]]));
    expect(missing).toBeInstanceOf(Error);
  });

  it('after another process projected a fact into the same read file: the next request answers it', async () => {
    const views = viewsOf();
    const [, , id] = program.relationshipIds;
    const now = toMillis(at(40));
    const first = new Map<string, number>();
    const [before] = await views.relationshipsById([id], first);
    const [summaryBefore] = await views.summariesById([id], now, first);
    // A second server on the same DATA_DIR: its own connection and runner on read.db.
    const other = ReadModelDatabase.open({ file: folder.file('read.db') });
    try {
      await appendFacts(store, streamOf('relationship', id), [checkIn(id, 39)]);
      await fixture.project(other);
    } finally {
      other.close();
    }
    const next = new Map<string, number>();
    const [after] = await views.relationshipsById([id], next);
    const [summaryAfter] = await views.summariesById([id], now, next);
    expect(next.get(id.toLowerCase())).toBe(first.get(id.toLowerCase())! + 1);
    expect(after).not.toBe(before);
    expect(after).toEqual(readModels.getRelationships([id])[0]);
    expect(summaryAfter).not.toEqual(summaryBefore);
    expect(summaryAfter).toEqual(fresh(id, now));
  });
});
