import { PassThrough } from 'node:stream';
import { AccessDeniedError, type AllStreamResolvedEvent, UnavailableError } from '@eventstore/db-client';
import type { RecordedEvent } from '../event-store.port';
import { followAll, type SubscriptionSource } from './eventstoredb-subscription';

// A server subscription we drive by hand: push events, end it, or break it.
class FakeSource extends PassThrough implements SubscriptionSource {
  unsubscribed = false;
  constructor(readonly after: bigint | undefined) {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
  deliver(...events: AllStreamResolvedEvent[]): this {
    for (const event of events) this.write(event);
    return this;
  }
}

const resolved = (position: bigint, streamId = 'relationship-1', type = 'PromiseKept'): AllStreamResolvedEvent =>
  ({
    event: {
      streamId,
      id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
      isJson: true,
      revision: position,
      type,
      created: new Date(0),
      data: { at: Number(position) },
      metadata: {},
      position: { commit: position, prepare: position },
    },
    commitPosition: position,
  }) as AllStreamResolvedEvent;

function harness(fromPosition?: bigint) {
  const sources: FakeSource[] = [];
  const delays: number[] = [];
  const waiters: (() => void)[] = [];
  const subscription = followAll({
    fromPosition,
    open: (after) => {
      const source = new FakeSource(after);
      sources.push(source);
      waiters.splice(0).forEach((wake) => wake());
      return source;
    },
    retryDelayMs: (attempt) => {
      delays.push(attempt);
      return 0;
    },
  });
  const iterator = subscription[Symbol.asyncIterator]();
  /** Resolves once the follower has opened its `count`-th server subscription. */
  const opened = async (count: number): Promise<FakeSource> => {
    while (sources.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return sources[count - 1];
  };
  const take = async (count: number): Promise<RecordedEvent[]> => {
    const taken: RecordedEvent[] = [];
    while (taken.length < count) {
      const next = await iterator.next();
      if (next.done) break;
      taken.push(next.value);
    }
    return taken;
  };
  return { subscription, iterator, sources, delays, opened, take };
}

const positions = (events: RecordedEvent[]) => events.map((e) => e.position);

describe('a followed $all', () => {
  it('delivers user events in order and leaves out system events', async () => {
    const { take, opened } = harness();
    const taking = take(2);
    (await opened(1)).deliver(
      resolved(10n),
      resolved(20n, '$stats-node', 'Stats'),
      resolved(30n, 'program-1', '$>'),
      resolved(40n),
    );
    expect(positions(await taking)).toEqual([10n, 40n]);
  });

  it('subscribes from the checkpoint and skips an event at exactly the checkpoint', async () => {
    const { take, opened } = harness(10n);
    const taking = take(1);
    const source = await opened(1);
    expect(source.after).toBe(10n);
    source.deliver(resolved(10n), resolved(11n));
    expect(positions(await taking)).toEqual([11n]);
  });

  it('starts from the beginning of $all without a checkpoint', async () => {
    const { take, opened } = harness();
    const taking = take(1);
    const source = await opened(1);
    expect(source.after).toBeUndefined();
    source.deliver(resolved(1n));
    await taking;
  });
});

describe('a followed $all whose server subscription drops', () => {
  it('subscribes again from the last delivered event and delivers the rest once', async () => {
    const { take, opened } = harness();
    const taking = take(4);
    const first = await opened(1);
    first.deliver(resolved(10n), resolved(20n));
    await new Promise((resolve) => setImmediate(resolve));
    first.destroy(new UnavailableError());
    const second = await opened(2);
    expect(second.after).toBe(20n);
    // A server may repeat what it delivered before the drop.
    second.deliver(resolved(20n), resolved(30n), resolved(40n));
    expect(positions(await taking)).toEqual([10n, 20n, 30n, 40n]);
    expect(first.unsubscribed).toBe(true);
  });

  it('subscribes again when the server ends the subscription without being asked', async () => {
    const { take, opened } = harness();
    const taking = take(2);
    (await opened(1)).deliver(resolved(10n)).end();
    (await opened(2)).deliver(resolved(20n));
    expect(positions(await taking)).toEqual([10n, 20n]);
  });

  it('waits longer after each failed attempt and starts over once events flow again', async () => {
    const { take, opened, delays } = harness();
    const taking = take(1);
    (await opened(1)).destroy(new UnavailableError());
    (await opened(2)).destroy(new UnavailableError());
    (await opened(3)).destroy(new UnavailableError());
    (await opened(4)).deliver(resolved(10n));
    await taking;
    const next = take(1);
    (await opened(4)).destroy(new UnavailableError());
    (await opened(5)).deliver(resolved(20n));
    await next;
    expect(delays).toEqual([0, 1, 2, 0]);
  });

  it('ends with the error when the server refuses it for good', async () => {
    const { iterator, opened } = harness();
    const next = iterator.next();
    (await opened(1)).destroy(new AccessDeniedError());
    await expect(next).rejects.toBeInstanceOf(AccessDeniedError);
  });
});

describe('a followed $all that is closed', () => {
  it('ends a pending iteration and cancels the server subscription', async () => {
    const { subscription, iterator, opened } = harness();
    const next = iterator.next();
    const source = await opened(1);
    await subscription.close();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(source.unsubscribed).toBe(true);
  });

  it('delivers nothing more, even what the server had already sent', async () => {
    const { subscription, take, opened } = harness();
    const taking = take(1);
    const source = await opened(1);
    source.deliver(resolved(10n));
    await taking;
    source.deliver(resolved(20n));
    await subscription.close();
    expect(await take(1)).toEqual([]);
  });

  it('ends when the consumer stops iterating', async () => {
    const { iterator, opened } = harness();
    const taking = iterator.next();
    const source = await opened(1);
    source.deliver(resolved(10n));
    await taking;
    await iterator.return?.();
    expect(source.unsubscribed).toBe(true);
  });

  it('before it was ever iterated opens nothing', async () => {
    const { subscription, iterator, sources } = harness();
    await subscription.close();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(sources).toHaveLength(0);
  });
});
