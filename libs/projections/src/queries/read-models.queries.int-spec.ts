import { randomUUID } from 'node:crypto';
import {
  at,
  programCommunicationRecorded,
  relationshipEnded,
  relationshipPaused,
  trustCheckInSubmitted,
} from '@trustline/testing';
import type { SqliteEventStore } from '@trustline/event-store';
import { ProjectionRunner } from '../runner/projection.runner';
import { ReadModelDatabase } from '../runner/read-model.database';
import {
  appendFacts,
  openStore,
  seedProgram,
  streamOf,
  tempFolder,
  type SeededProgram,
} from '@trustline/testing/read-model.fixtures';
import { ReadModels } from './read-models.queries';
import { encodeCursor, InvalidPageRequest } from './relay.cursor';

const folder = tempFolder('queries');
let store: SqliteEventStore;
let database: ReadModelDatabase;
let reads: ReadModels;
let main: SeededProgram;
let other: SeededProgram;
let communicationPosition: bigint;
let keyedPosition: bigint;
const idempotencyKey = `key-${randomUUID()}`;

beforeAll(async () => {
  store = openStore(folder.file('events.db'));
  main = await seedProgram(store, 5);
  other = await seedProgram(store, 1);
  const [, paused, ended] = main.relationshipIds;
  await appendFacts(store, streamOf('relationship', paused), [
    relationshipPaused({ relationshipId: paused, occurredAt: at(5), until: at(6) }),
  ]);
  await appendFacts(store, streamOf('relationship', ended), [
    relationshipEnded({ relationshipId: ended, occurredAt: at(40) }),
  ]);
  communicationPosition = await appendFacts(store, streamOf('program', main.programId), [
    programCommunicationRecorded({ programId: main.programId, communicationId: randomUUID(), occurredAt: at(2) }),
  ]);
  keyedPosition = await appendFacts(
    store,
    streamOf('relationship', main.relationshipIds[0]),
    [trustCheckInSubmitted({ relationshipId: main.relationshipIds[0], checkInId: randomUUID(), occurredAt: at(6) })],
    { idempotencyKey },
  );
  database = ReadModelDatabase.open({ file: folder.file('read.db') });
  await new ProjectionRunner({ store, database, logger: { log: () => undefined, error: () => undefined } }).catchUp();
  reads = new ReadModels(database);
});

afterAll(async () => {
  database.close();
  await store.close();
  folder.remove();
});

const ids = <T>(page: { edges: { node: T }[] }, id: (node: T) => string) => page.edges.map((edge) => id(edge.node));

describe('the programs query', () => {
  it('finds a program by id, in any letter case', () => {
    expect(reads.getProgram(main.programId.toUpperCase())).toMatchObject({
      programId: main.programId,
      communications: 1,
    });
  });

  it('gives null for an unknown program', () => {
    expect(reads.getProgram(randomUUID())).toBeNull();
  });

  it('lists programs in launch order, a page at a time', () => {
    const first = reads.listPrograms({ first: 1 });
    const second = reads.listPrograms({ first: 1, after: first.pageInfo.endCursor });
    expect(ids(first, (p) => p.programId)).toEqual([main.programId]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(ids(second, (p) => p.programId)).toEqual([other.programId]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(reads.countPrograms()).toBe(2);
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => reads.listPrograms({ first: 1, after: 'bogus' })).toThrow(InvalidPageRequest);
  });
});

describe('the participants query', () => {
  it('answers a batch of ids in the order asked, with null for unknown ids', () => {
    const unknown = randomUUID();
    const found = reads.getParticipants([main.menteeId, unknown, main.mentorId]);
    expect(found.map((p) => p?.participantId ?? null)).toEqual([main.menteeId, null, main.mentorId]);
    expect(found[0]).toMatchObject({ role: 'MENTEE', displayName: 'Mo Mentee', programId: main.programId });
  });

  it('answers an empty batch with nothing', () => {
    expect(reads.getParticipants([])).toEqual([]);
  });

  it('keeps the email apart, when one was given', () => {
    expect(reads.getParticipant(main.mentorId)).not.toHaveProperty('email');
    expect(reads.participantEmail(main.mentorId)).toBe('mentor@example.com');
    expect(reads.participantEmail(main.menteeId)).toBeNull();
  });
});

describe('the relationships query', () => {
  it('finds relationships by id in the order asked', () => {
    const [a, b] = main.relationshipIds;
    expect(reads.getRelationships([b, a]).map((r) => r?.relationshipId)).toEqual([b, a]);
    expect(reads.getRelationship(randomUUID())).toBeNull();
  });

  it("lists a program's relationships in start order, a page at a time", () => {
    const first = reads.listRelationships({ programId: main.programId, first: 3 });
    const rest = reads.listRelationships({ programId: main.programId, first: 3, after: first.pageInfo.endCursor });
    expect([...ids(first, (r) => r.relationshipId), ...ids(rest, (r) => r.relationshipId)]).toEqual(
      main.relationshipIds,
    );
    expect([first.pageInfo.hasNextPage, rest.pageInfo.hasNextPage]).toEqual([true, false]);
    expect(reads.countRelationships({ programId: main.programId })).toBe(5);
  });

  it('filters by the stored status: PAUSED until resumed, even past the pause end', () => {
    const [active, paused, ended, ...more] = main.relationshipIds;
    const list = (status: 'ACTIVE' | 'PAUSED' | 'ENDED') =>
      ids(reads.listRelationships({ programId: main.programId, status, first: 10 }), (r) => r.relationshipId);
    expect(list('ACTIVE')).toEqual([active, ...more]);
    expect(list('PAUSED')).toEqual([paused]);
    expect(list('ENDED')).toEqual([ended]);
    expect(reads.countRelationships({ programId: main.programId, status: 'PAUSED' })).toBe(1);
  });

  it('lists only the relationships of the program asked', () => {
    expect(ids(reads.listRelationships({ programId: other.programId, first: 10 }), (r) => r.relationshipId)).toEqual(
      other.relationshipIds,
    );
  });

  it('refuses an unknown status', () => {
    expect(() => reads.listRelationships({ programId: main.programId, status: 'LOST' as never, first: 1 })).toThrow(
      InvalidPageRequest,
    );
  });

  it('returns no item when asked for zero, and tells that more exist', () => {
    expect(reads.listRelationships({ programId: main.programId, first: 0 }).edges).toEqual([]);
    expect(reads.listRelationships({ programId: main.programId, first: 0 }).pageInfo.hasNextPage).toBe(true);
  });

  it('continues after a cursor even when the item at it is of another status', () => {
    const [, paused] = main.relationshipIds;
    const startOfPaused = reads.listRelationships({ programId: main.programId, first: 2 }).edges[1].cursor;
    const after = reads.listRelationships({
      programId: main.programId,
      status: 'ACTIVE',
      first: 10,
      after: startOfPaused,
    });
    expect(ids(after, (r) => r.relationshipId)).not.toContain(paused);
    expect(after.edges).toHaveLength(2);
  });
});

describe('the relationship facts query', () => {
  it("gives a relationship's facts as recorded, in position order", () => {
    const [id] = main.relationshipIds;
    const facts = reads.relationshipFacts(id);
    expect(facts.map((f) => f.event.type)).toEqual([
      'RelationshipStarted',
      'PromiseMade',
      'MeetingScheduled',
      'TrustCheckInSubmitted',
      'TrustCheckInSubmitted',
    ]);
    expect(facts.map((f) => f.revision)).toEqual([0, 1, 2, 3, 4]);
    expect(facts.every((f, i) => i === 0 || f.position > facts[i - 1].position)).toBe(true);
    expect(facts[4]).toMatchObject({
      position: keyedPosition,
      recordedAt: at(6),
      event: { data: { relationshipId: id } },
    });
  });

  it('matches the stored events one for one', async () => {
    const [id] = main.relationshipIds;
    const stored = await store.readStream(streamOf('relationship', id));
    expect(reads.relationshipFacts(id)).toEqual(
      stored.map((e) => ({
        eventId: e.id,
        position: e.position,
        revision: Number(e.revision),
        recordedAt: e.metadata.recordedAt,
        event: { type: e.type, data: e.data },
      })),
    );
  });

  it("groups a program's facts by relationship, in start order", () => {
    const byRelationship = reads.relationshipFactsForProgram(main.programId);
    expect([...byRelationship.keys()]).toEqual(main.relationshipIds);
    expect(
      byRelationship
        .get(main.relationshipIds[1])
        ?.map((f) => f.event.type)
        .at(-1),
    ).toBe('RelationshipPaused');
    expect(reads.relationshipFactsForProgram(randomUUID()).size).toBe(0);
  });
});

describe('the program communications query', () => {
  it("gives the program's communications as recorded facts", () => {
    expect(reads.programCommunications(main.programId)).toEqual([
      expect.objectContaining({
        position: communicationPosition,
        event: expect.objectContaining({ type: 'ProgramCommunicationRecorded' }),
      }),
    ]);
    expect(reads.programCommunications(other.programId)).toEqual([]);
  });
});

describe('the idempotency lookup', () => {
  it('finds an event appended under a key, with where it landed', async () => {
    const [event] = await store.readAll({ fromPosition: keyedPosition - 1n, maxCount: 1 });
    expect(reads.findIdempotentEvent(event.id)).toEqual({
      eventId: event.id,
      streamId: streamOf('relationship', main.relationshipIds[0]),
      position: keyedPosition,
      idempotencyKey,
      inputHash: `hash-of-${idempotencyKey}`,
      mutation: 'TrustCheckInSubmitted',
    });
  });

  it('finds nothing for an event appended without a key', async () => {
    const [launch, registration] = await store.readAll({ maxCount: 2 });
    expect(reads.findIdempotentEvent(launch.id)).not.toBeNull();
    expect(reads.findIdempotentEvent(registration.id)).toBeNull();
  });
});

describe('the query side', () => {
  it('answers from another read database once switched to it', async () => {
    const other = ReadModelDatabase.open({ file: folder.file('switched.db') });
    const switched = new ReadModels(database);
    switched.switchTo(other);
    expect(switched.getProgram(main.programId)).toBeNull();
    expect(switched.checkpoint()).toBeNull();
    other.close();
  });

  it('tells the checkpoint the read models are consistent with', async () => {
    const all = await store.readAll({ maxCount: 1000 });
    expect(reads.checkpoint()).toBe(all[all.length - 1].position);
  });

  it('gives cursors that decode to the item position', () => {
    const page = reads.listPrograms({ first: 1 });
    expect(page.edges[0].cursor).toBe(encodeCursor(1n));
  });
});
