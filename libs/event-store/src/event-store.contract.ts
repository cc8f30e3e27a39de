import { randomUUID } from 'node:crypto';
import { InvalidAppend, StreamNotFound, WrongExpectedVersion } from './event-store.errors';
import type { EventStore, EventToAppend, RecordedEvent } from './event-store.port';

// The one contract both adapters must pass. It uses fresh stream names and
// starts reading $all after a marker event of its own, so it can run against a
// shared EventStoreDB server that already holds other data.

const newEvent = (type: string, data: unknown = { n: 0 }, metadata?: Record<string, unknown>): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata,
});

const numbered = (count: number, from = 0): EventToAppend[] =>
  Array.from({ length: count }, (_, i) => newEvent('Numbered', { n: from + i }));

async function collect(iterable: AsyncIterable<RecordedEvent>, count: number, keep: (e: RecordedEvent) => boolean) {
  const seen: RecordedEvent[] = [];
  for await (const event of iterable) {
    if (keep(event)) seen.push(event);
    if (seen.length >= count) break;
  }
  return seen;
}

export function describeEventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`the ${name} event store`, () => {
    let store: EventStore;
    let stream: string;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });
    beforeEach(() => {
      stream = `contract-${randomUUID()}`;
    });

    /** The global position just before anything this test appends. */
    async function mark(): Promise<bigint> {
      return (
        await store.appendToStream(`marker-${randomUUID()}`, [newEvent('Marked')], { expectedRevision: 'no_stream' })
      ).position;
    }

    describe('an absent stream', () => {
      it('is reported as not found when read', async () => {
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFound);
      });

      it('accepts a first append expecting no stream, at revision 0', async () => {
        const result = await store.appendToStream(stream, numbered(1), { expectedRevision: 'no_stream' });
        expect(result.nextRevision).toBe(0n);
        expect(result.position).toBeGreaterThan(0n);
      });

      it('refuses an append expecting the stream to exist', async () => {
        const error = await store
          .appendToStream(stream, numbered(1), { expectedRevision: 'stream_exists' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ streamId: stream, expected: 'stream_exists', actual: 'no_stream' });
      });

      it('refuses an append expecting a revision', async () => {
        const error = await store
          .appendToStream(stream, numbered(1), { expectedRevision: 3n })
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ expected: 3n, actual: 'no_stream' });
      });
    });

    describe('a stream with events', () => {
      beforeEach(async () => {
        await store.appendToStream(stream, numbered(5), { expectedRevision: 'no_stream' });
      });

      it('reads back type, data and metadata in revision order', async () => {
        await store.appendToStream(
          stream,
          [newEvent('Tagged', { nested: { list: [1, 'two', null, true] } }, { actor: 'ada' })],
          {
            expectedRevision: 4n,
          },
        );
        const events = await store.readStream(stream);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
        expect(events.slice(0, 5).map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
        expect(events[5]).toMatchObject({
          type: 'Tagged',
          streamId: stream,
          data: { nested: { list: [1, 'two', null, true] } },
          metadata: { actor: 'ada' },
        });
      });

      it('gives each event a global position that grows with its revision', async () => {
        const positions = (await store.readStream(stream)).map((e) => e.position);
        expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
        expect(new Set(positions).size).toBe(5);
      });

      it('reads from a revision, a bounded count, and backwards', async () => {
        expect((await store.readStream(stream, { fromRevision: 2n, maxCount: 2 })).map((e) => e.revision)).toEqual([
          2n,
          3n,
        ]);
        expect(
          (await store.readStream(stream, { direction: 'backwards', maxCount: 2 })).map((e) => e.revision),
        ).toEqual([4n, 3n]);
        expect(
          (await store.readStream(stream, { direction: 'backwards', fromRevision: 1n })).map((e) => e.revision),
        ).toEqual([1n, 0n]);
      });

      it('refuses an append at a stale revision, naming expected and actual', async () => {
        const error = await store
          .appendToStream(stream, numbered(1), { expectedRevision: 2n })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ streamId: stream, expected: 2n, actual: 4n });
        expect(await store.readStream(stream)).toHaveLength(5);
      });

      it('refuses an append expecting no stream', async () => {
        await expect(
          store.appendToStream(stream, numbered(1), { expectedRevision: 'no_stream' }),
        ).rejects.toMatchObject({
          actual: 4n,
        });
      });

      it('accepts appends expecting any revision or an existing stream', async () => {
        await store.appendToStream(stream, numbered(1), { expectedRevision: 'any' });
        const result = await store.appendToStream(stream, numbered(1), { expectedRevision: 'stream_exists' });
        expect(result.nextRevision).toBe(6n);
      });

      it('lets exactly one of several racing writers at the same revision win', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(stream, numbered(1), { expectedRevision: 4n })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes.filter((o) => o.status === 'rejected')) {
          expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
        }
        expect(await store.readStream(stream)).toHaveLength(6);
      });
    });

    // Appends made together (as concurrent requests make them) may be committed
    // together, as SQLite's group commit does: each must still get the answer
    // it would get alone, and a refused one must not take the others down.
    describe('concurrent appends to different streams', () => {
      it('each get their own answer, the refused ones writing nothing and failing no other', async () => {
        const streams = Array.from({ length: 12 }, (_, i) => `${stream}-${i}`);
        await Promise.all(streams.map((s) => store.appendToStream(s, numbered(2), { expectedRevision: 'no_stream' })));
        // Even streams are appended at their head (1), odd ones at a stale revision (0).
        const outcomes = await Promise.allSettled(
          streams.map((s, i) => store.appendToStream(s, numbered(3, 2), { expectedRevision: i % 2 === 0 ? 1n : 0n })),
        );
        for (const [i, outcome] of outcomes.entries()) {
          if (i % 2 === 0) {
            expect(outcome).toMatchObject({ status: 'fulfilled', value: { nextRevision: 4n } });
          } else {
            expect(outcome.status).toBe('rejected');
            const reason = (outcome as PromiseRejectedResult).reason;
            expect(reason).toBeInstanceOf(WrongExpectedVersion);
            expect(reason).toMatchObject({ streamId: streams[i], expected: 0n, actual: 1n });
          }
        }
        for (const [i, s] of streams.entries()) {
          const events = await store.readStream(s);
          expect(events.map((e) => (e.data as { n: number }).n)).toEqual(i % 2 === 0 ? [0, 1, 2, 3, 4] : [0, 1]);
        }
      });

      it('give strictly increasing positions, read back from $all in the order acknowledged', async () => {
        const after = await mark();
        const streams = Array.from({ length: 10 }, (_, i) => `${stream}-${i}`);
        const results = await Promise.all(
          streams.map((s, i) => store.appendToStream(s, numbered(1 + (i % 3)), { expectedRevision: 'no_stream' })),
        );
        const read = (await store.readAll({ fromPosition: after, maxCount: 1000 })).filter((e) =>
          e.streamId.startsWith(stream),
        );
        expect(read).toHaveLength(streams.reduce((sum, _, i) => sum + 1 + (i % 3), 0));
        for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
        for (const [i, result] of results.entries()) {
          const last = read.filter((e) => e.streamId === streams[i]).at(-1)!;
          expect(result).toEqual({ nextRevision: last.revision, position: last.position });
        }
      });

      it('mixing new streams, stale revisions, refused expectations and a retry of an acknowledged append', async () => {
        const existing = `${stream}-existing`;
        const retried = numbered(2);
        const first = await store.appendToStream(existing, retried, { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled([
          store.appendToStream(`${stream}-a`, numbered(1), { expectedRevision: 'no_stream' }),
          store.appendToStream(existing, numbered(1), { expectedRevision: 'no_stream' }),
          store.appendToStream(existing, retried, { expectedRevision: 'no_stream' }),
          store.appendToStream(`${stream}-b`, numbered(1), { expectedRevision: 'stream_exists' }),
          store.appendToStream(`${stream}-c`, numbered(2), { expectedRevision: 'any' }),
          store.appendToStream(existing, numbered(1, 2), { expectedRevision: 1n }),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual([
          'fulfilled',
          'rejected',
          'fulfilled',
          'rejected',
          'fulfilled',
          'fulfilled',
        ]);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
        expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({
          expected: 'stream_exists',
          actual: 'no_stream',
        });
        expect((outcomes[2] as PromiseFulfilledResult<unknown>).value).toEqual(first);
        expect((await store.readStream(existing)).map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2]);
        await expect(store.readStream(`${stream}-b`)).rejects.toBeInstanceOf(StreamNotFound);
        expect(await store.readStream(`${stream}-c`)).toHaveLength(2);
      });
    });

    describe('a retried append', () => {
      it('with the same event ids and expected revision appends nothing and answers as the first time', async () => {
        const batch = numbered(3);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, numbered(1, 3), { expectedRevision: 2n });
        const again = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      });

      it('after a later append at an explicit revision is still recognised', async () => {
        await store.appendToStream(stream, numbered(1), { expectedRevision: 'no_stream' });
        const batch = numbered(2, 1);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 0n });
        await store.appendToStream(stream, numbered(1, 3), { expectedRevision: 2n });
        expect(await store.appendToStream(stream, batch, { expectedRevision: 0n })).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it('with other event ids at a stale revision is a concurrency error', async () => {
        await store.appendToStream(stream, numbered(2), { expectedRevision: 'no_stream' });
        await expect(
          store.appendToStream(stream, numbered(2), { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedVersion);
      });
    });

    describe('reading $all', () => {
      it('pages through a large read in global order with no gap or repeat', async () => {
        const start = await mark();
        const streams = [stream, `${stream}-b`];
        for (let i = 0; i < 6; i++) {
          await store.appendToStream(streams[i % 2], numbered(250, i * 250), { expectedRevision: 'any' });
        }
        const ours: RecordedEvent[] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({ fromPosition: after, maxCount: 400 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(400);
          ours.push(...page.filter((e) => streams.includes(e.streamId)));
          after = page[page.length - 1].position;
        }
        expect(ours.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 1500 }, (_, i) => i));
        const positions = ours.map((e) => e.position);
        expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
      });

      it('starts strictly after the given position', async () => {
        const start = await mark();
        const { position } = await store.appendToStream(stream, numbered(1), { expectedRevision: 'no_stream' });
        const page = await store.readAll({ fromPosition: start, maxCount: 10 });
        expect(page.find((e) => e.streamId === stream)?.position).toBe(position);
        expect((await store.readAll({ fromPosition: position, maxCount: 10 })).some((e) => e.streamId === stream)).toBe(
          false,
        );
      });
    });

    describe('a subscription to $all', () => {
      it('catches up, then follows live appends with no gap or duplicate across the switch', async () => {
        const start = await mark();
        for (let i = 0; i < 5; i++)
          await store.appendToStream(stream, numbered(20, i * 20), { expectedRevision: 'any' });
        const subscription = store.subscribeToAll({ fromPosition: start });
        const received = collect(subscription, 200, (e) => e.streamId === stream);
        for (let i = 5; i < 10; i++) {
          await store.appendToStream(stream, numbered(20, i * 20), { expectedRevision: 'any' });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const events = await received;
        await subscription.close();
        expect(events.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)));
      });

      it('ends its iteration when closed', async () => {
        const subscription = store.subscribeToAll({ fromPosition: await mark() });
        const done = (async () => {
          let count = 0;
          for await (const _ of subscription) count++;
          return count;
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        await expect(done).resolves.toBe(0);
      });
    });

    describe('bad input', () => {
      const refusals: [string, () => Promise<unknown>][] = [
        [
          'a stream name of a system stream',
          () => store.appendToStream('$all', numbered(1), { expectedRevision: 'any' }),
        ],
        ['an empty stream name', () => store.appendToStream('', numbered(1), { expectedRevision: 'any' })],
        ['a stream name with spaces', () => store.appendToStream('a stream', numbered(1), { expectedRevision: 'any' })],
        ['an empty batch', () => store.appendToStream(stream, [], { expectedRevision: 'any' })],
        [
          'an event id that is no UUID',
          () => store.appendToStream(stream, [{ ...newEvent('X'), id: 'nope' }], { expectedRevision: 'any' }),
        ],
        [
          'data with a bigint',
          () => store.appendToStream(stream, [newEvent('X', { n: 1n })], { expectedRevision: 'any' }),
        ],
        [
          'data with a function',
          () => store.appendToStream(stream, [newEvent('X', { f: () => 1 })], { expectedRevision: 'any' }),
        ],
        [
          'data with NaN',
          () => store.appendToStream(stream, [newEvent('X', { n: Number.NaN })], { expectedRevision: 'any' }),
        ],
        [
          'data with a cycle',
          () => {
            const cyclic: Record<string, unknown> = {};
            cyclic.self = cyclic;
            return store.appendToStream(stream, [newEvent('X', cyclic)], { expectedRevision: 'any' });
          },
        ],
        [
          'an event over 1 MiB',
          () =>
            store.appendToStream(stream, [newEvent('X', { blob: 'x'.repeat(1024 * 1024) })], {
              expectedRevision: 'any',
            }),
        ],
      ];

      it.each(refusals)('refuses %s and stores nothing', async (_, append) => {
        await expect(append()).rejects.toBeInstanceOf(InvalidAppend);
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFound);
      });

      it('accepts an event just under 1 MiB', async () => {
        await store.appendToStream(stream, [newEvent('X', { blob: 'x'.repeat(1024 * 1024 - 100) })], {
          expectedRevision: 'no_stream',
        });
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });
  });
}
