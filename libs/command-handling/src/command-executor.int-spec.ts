import { schemaVersionOf } from '@trustline/event-store';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { relationshipDecider } from '@trustline/domain';
import {
  aggregateStream,
  type EventStore,
  readStreamFacts,
  type ReadStreamOptions,
  SqliteEventStore,
  streamName,
} from '@trustline/event-store';
import {
  evolveRelationshipView,
  ReadModelDatabase,
  relationshipsProjection,
  type RelationshipView,
} from '@trustline/projections';
import {
  cancelMeeting,
  fixtureIds,
  keepPromise,
  makePromise,
  meetingCancelled,
  meetingScheduled,
  relationshipStarted,
  scheduleMeeting,
  startRelationship,
} from '@trustline/testing';
import { type CommandContext, CommandExecutor } from './command-executor';
import { CommandIdentity, inputHash } from './command-identity';

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-write-'));
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));
let fileCount = 0;
const openStore = (file = path.join(tempDir, `events-${++fileCount}.db`)) => SqliteEventStore.open({ file });

const stream = streamName('relationship', fixtureIds.relationship);
const context = (key: string | null = null, input: unknown = {}): CommandContext => ({
  identity: CommandIdentity.forKey(key),
  mutation: 'test',
  inputHash: inputHash('test', input),
  actor: 'tester',
  correlationId: 'c',
  recordedAt: '2030-06-01T00:00:00.000Z',
});
const started = startRelationship({
  program: { programId: fixtureIds.program, cadenceDays: 14 },
  mentor: { participantId: fixtureIds.mentor, programId: fixtureIds.program, role: 'MENTOR' },
  mentee: { participantId: fixtureIds.mentee, programId: fixtureIds.program, role: 'MENTEE' },
});

/** The real store, with the stream reads it was asked for written down: what a command read, not what it did. */
function watched(store: EventStore): { store: EventStore; reads: (ReadStreamOptions | undefined)[] } {
  const reads: (ReadStreamOptions | undefined)[] = [];
  return {
    reads,
    store: new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'readStream') {
          return (streamId: string, options?: ReadStreamOptions) => {
            reads.push(options);
            return target.readStream(streamId, options);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  };
}

describe('the write path', () => {
  let store: SqliteEventStore;
  let file: string;
  beforeEach(() => {
    file = path.join(tempDir, `events-${++fileCount}.db`);
    store = openStore(file);
  });
  afterEach(() => store.close());

  it('appends what the decider decides, chained to the event before it, with the command’s metadata', async () => {
    const executor = new CommandExecutor(store);
    await executor.execute('relationship', stream, relationshipDecider, started, context());
    await executor.execute('relationship', stream, relationshipDecider, makePromise(), context());
    const [first, second] = await store.readStream(stream);
    expect(second.type).toBe('PromiseMade');
    expect(second.metadata).toMatchObject({
      previousHash: first.metadata.hash,
      actor: 'tester',
      schemaVersion: schemaVersionOf('PromiseMade'),
    });
    expect(second.metadata.recordedAt).toBe('2030-06-01T00:00:00.000Z');
  });

  describe('holding a stream’s state between commands', () => {
    it('reads only the events after the revision it holds', async () => {
      const { store: seen, reads } = watched(store);
      const executor = new CommandExecutor(seen);
      await executor.execute('relationship', stream, relationshipDecider, started, context());
      await executor.execute('relationship', stream, relationshipDecider, makePromise(), context());
      await executor.execute('relationship', stream, relationshipDecider, keepPromise(), context());
      expect(reads).toEqual([undefined, { fromRevision: 1n }, { fromRevision: 2n }]);
    });

    it('sees what another process appended, and decides on it', async () => {
      const ours = new CommandExecutor(store);
      const other = openStore(file);
      const theirs = new CommandExecutor(other);
      await ours.execute('relationship', stream, relationshipDecider, started, context());
      await theirs.execute('relationship', stream, relationshipDecider, makePromise(), context());
      // Ours still holds revision 0; keeping the promise needs the promise the other process made.
      const outcome = await ours.execute('relationship', stream, relationshipDecider, keepPromise(), context());
      expect(outcome.state.status === 'active' && outcome.state.promises[0].status).toBe('KEPT');
      expect((await store.readStream(stream)).map((event) => event.type)).toEqual([
        'RelationshipStarted',
        'PromiseMade',
        'PromiseKept',
      ]);
      await other.close();
    });

    it('after losing a race for the same revision, forgets what it held, re-reads and decides again', async () => {
      const executor = new CommandExecutor(store);
      await executor.execute('relationship', stream, relationshipDecider, started, context());
      // Many commands at once from the same held revision: all but one lose each race and retry.
      const meetings = Array.from({ length: 6 }, (_, index) =>
        scheduleMeeting({ meetingId: `50000000-0000-4000-8000-00000000000${index + 1}` }),
      );
      await Promise.all(
        meetings.map((command) => executor.execute('relationship', stream, relationshipDecider, command, context())),
      );
      const events = await store.readStream(stream);
      expect(events).toHaveLength(7);
      const state = await new CommandExecutor(store, { cacheStreams: 0 }).load(
        'relationship',
        stream,
        relationshipDecider,
      );
      expect(await executor.load('relationship', stream, relationshipDecider)).toEqual(state);
    });

    it('keeps at most the streams it is told to', async () => {
      const { store: seen, reads } = watched(store);
      const executor = new CommandExecutor(seen, { cacheStreams: 0 });
      await executor.execute('relationship', stream, relationshipDecider, started, context());
      await executor.execute('relationship', stream, relationshipDecider, makePromise(), context());
      expect(reads).toEqual([undefined, undefined]);
    });
  });

  describe('commands on one stream that come while its turn runs', () => {
    it('are decided in order, each on what the ones before it decided, and appended together', async () => {
      const { store: seen } = watched(store);
      const appends: number[] = [];
      const counted = new Proxy(seen, {
        get(target, property, receiver) {
          if (property === 'appendToStream') {
            return (...args: Parameters<EventStore['appendToStream']>) => {
              appends.push(args[1].length);
              return target.appendToStream(...args);
            };
          }
          return Reflect.get(target, property, receiver);
        },
      });
      const executor = new CommandExecutor(counted);
      const run = (command: Parameters<CommandExecutor['execute']>[3], ctx = context()) =>
        executor.execute('relationship', stream, relationshipDecider, command as never, ctx);
      // The start runs alone; the rest wait for its turn and share the next one.
      const outcomes = await Promise.allSettled([
        run(started),
        run(makePromise()),
        run(keepPromise()), // needs the promise made just before it, in the same turn
        run(keepPromise()), // refused: already kept
        run(scheduleMeeting(), context('key-1', 1)),
        run(cancelMeeting()),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      const events = await store.readStream(stream);
      expect(events.map((event) => event.type)).toEqual([
        'RelationshipStarted',
        'PromiseMade',
        'PromiseKept',
        'MeetingScheduled',
        'MeetingCancelled',
      ]);
      // Two appends: the start alone, then the rest at once.
      expect(appends).toEqual([1, 4]);
      // Each command answers with the position of its own last event, and the state it left.
      const fulfilled = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      expect(fulfilled.map((outcome) => outcome.position)).toEqual(events.map((event) => event.position));
      const fresh = new CommandExecutor(store, { cacheStreams: 0 });
      expect(fulfilled[fulfilled.length - 1].state).toEqual(
        await fresh.load('relationship', stream, relationshipDecider),
      );
      expect(await executor.load('relationship', stream, relationshipDecider)).toEqual(
        await fresh.load('relationship', stream, relationshipDecider),
      );
      // The chain runs through the shared append as through single ones.
      events.slice(1).forEach((event, i) => expect(event.metadata.previousHash).toBe(events[i].metadata.hash));
      // A retry of the keyed command replays its own outcome.
      const again = await run(scheduleMeeting(), context('key-1', 1));
      expect(again).toMatchObject({ replayed: true, position: events[3].position });
    });
  });

  describe('an idempotency key', () => {
    it('replays the first call’s outcome and appends nothing, even from a state it already holds', async () => {
      const executor = new CommandExecutor(store);
      await executor.execute('relationship', stream, relationshipDecider, started, context());
      const first = await executor.execute('relationship', stream, relationshipDecider, makePromise(), context('k', 1));
      const again = await executor.execute('relationship', stream, relationshipDecider, makePromise(), context('k', 1));
      expect(again).toMatchObject({ replayed: true, position: first.position });
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('replays in another process too, which never held the stream', async () => {
      await new CommandExecutor(store).execute('relationship', stream, relationshipDecider, started, context());
      const first = await new CommandExecutor(store).execute(
        'relationship',
        stream,
        relationshipDecider,
        makePromise(),
        context('k', 1),
      );
      const again = await new CommandExecutor(store).execute(
        'relationship',
        stream,
        relationshipDecider,
        makePromise(),
        context('k', 1),
      );
      expect(again).toMatchObject({ replayed: true, position: first.position });
    });

    it('is refused when reused with another input', async () => {
      const executor = new CommandExecutor(store);
      await executor.execute('relationship', stream, relationshipDecider, started, context());
      await executor.execute('relationship', stream, relationshipDecider, makePromise(), context('k', 1));
      await expect(
        executor.execute('relationship', stream, relationshipDecider, makePromise(), context('k', 2)),
      ).rejects.toMatchObject({ rule: 'idempotency.key-reused' });
    });
  });
});

describe('a MeetingCancelled stored at schema version 1 (before it recorded its notice)', () => {
  let store: SqliteEventStore;
  const v1 = meetingCancelled();
  const { noticeHours, ...v1Data } = v1.data;

  beforeAll(async () => {
    store = openStore();
    const envelope = (id: string, type: string, data: unknown) => ({ id, type, data, metadata: { schemaVersion: 1 } });
    await store.appendToStream(
      stream,
      [
        envelope('60000000-0000-4000-8000-000000000001', 'RelationshipStarted', relationshipStarted().data),
        envelope('60000000-0000-4000-8000-000000000002', 'MeetingScheduled', meetingScheduled().data),
        envelope('60000000-0000-4000-8000-000000000003', 'MeetingCancelled', v1Data),
      ],
      { expectedRevision: 'no_stream' },
    );
  });
  afterAll(() => store.close());

  const cancelledMeeting = (view: RelationshipView | null | undefined) => view?.meetings[0];

  it('reads as version 2 in the write path', async () => {
    const executor = new CommandExecutor(store);
    const state = await executor.load('relationship', stream, relationshipDecider);
    expect(state.status === 'active' && state.meetings[0]).toMatchObject({ status: 'CANCELLED' });
    // The events it folds are today's shape…
    const { facts } = await aggregateStream(store, stream, 'relationship', {
      initialState: (): unknown[] => [],
      evolve: (seen, event) => [...seen, event],
    });
    expect(facts[2].event.data).toEqual({ ...v1Data, noticeHours });
    // …and the decider judges on them: the meeting is settled.
    await expect(
      executor.execute('relationship', stream, relationshipDecider, cancelMeeting(), context()),
    ).rejects.toMatchObject({ rule: 'meeting.already-settled' });
  });

  it('reads as version 2 in the projections', async () => {
    const database = ReadModelDatabase.open({ file: path.join(tempDir, 'read-upcast.db') });
    try {
      database.applyBatch(await store.readAll());
      const view = relationshipsProjection
        .reader(database.connection)
        .byIds([fixtureIds.relationship])
        .get(fixtureIds.relationship);
      expect(cancelledMeeting(view)).toMatchObject({ status: 'CANCELLED', noticeHours });
    } finally {
      database.close();
    }
  });

  it('reads as version 2 in the auditor’s fold', async () => {
    const facts = await readStreamFacts(store, stream, 'relationship');
    expect(facts[2].event).toEqual({ type: 'MeetingCancelled', data: { ...v1Data, noticeHours } });
    const view = facts.reduce<RelationshipView | null>(
      (folded, fact) => evolveRelationshipView(folded, fact.event),
      null,
    );
    expect(cancelledMeeting(view)).toMatchObject({ status: 'CANCELLED', noticeHours });
  });
});
