import { ThrottlerStorageService } from '@nestjs/throttler';
import { RATE_LIMIT_WINDOW_MS, SlidingWindowCounter } from './operation-rate-limit';

// The counter replaces @nestjs/throttler's in-memory storage, which this server
// used with blockDuration = ttl = the window: it must give the same verdicts.

describe('the operation counter', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = Date.parse('2026-03-02T10:00:00.000Z');
  });

  it('lets `limit` operations through in a window and refuses the next, for a window from then', () => {
    const counter = new SlidingWindowCounter(3, RATE_LIMIT_WINDOW_MS, now);
    expect([1, 2, 3].map(() => counter.hit('a'))).toEqual(Array(3).fill({ limited: false }));
    clock += 1_500;
    expect(counter.hit('a')).toEqual({ limited: true, retryAfterSeconds: 60 });
    // Another caller has a budget of its own.
    expect(counter.hit('b')).toEqual({ limited: false });
    clock += 30_000;
    expect(counter.hit('a')).toEqual({ limited: true, retryAfterSeconds: 30 });
    clock += 29_999;
    expect(counter.hit('a')).toEqual({ limited: true, retryAfterSeconds: 1 });
    clock += 1;
    // The block is over: counted afresh.
    expect([1, 2, 3].map(() => counter.hit('a'))).toEqual(Array(3).fill({ limited: false }));
    expect(counter.hit('a')).toMatchObject({ limited: true });
  });

  it('counts each operation for one window after it (a sliding window)', () => {
    const counter = new SlidingWindowCounter(2, RATE_LIMIT_WINDOW_MS, now);
    counter.hit('a');
    clock += 40_000;
    counter.hit('a');
    clock += 20_000;
    // The first has left the window: one counted, room for one more.
    expect(counter.hit('a')).toEqual({ limited: false });
    expect(counter.hit('a')).toEqual({ limited: true, retryAfterSeconds: 60 });
  });

  it('forgets idle callers within a window or two, and keeps those blocked', () => {
    const counter = new SlidingWindowCounter(1, RATE_LIMIT_WINDOW_MS, now);
    for (let i = 0; i < 100; i++) counter.hit(`idle-${i}`);
    clock += 1_000;
    counter.hit('blocked');
    expect(counter.hit('blocked')).toMatchObject({ limited: true });
    clock += RATE_LIMIT_WINDOW_MS - 1_000;
    expect(counter.size).toBe(101);
    counter.hit('other');
    // Swept: the idle ones went; the blocked one is still blocked (a window after it was blocked).
    expect(counter.size).toBe(2);
    expect(counter.hit('blocked')).toEqual({ limited: true, retryAfterSeconds: 1 });
  });

  it('stays bounded and O(1) for a caller with many operations in the window', () => {
    const counter = new SlidingWindowCounter(1_000_000, RATE_LIMIT_WINDOW_MS, now);
    let refused = 0;
    for (let i = 0; i < 200_000; i++) {
      clock += 1;
      if (counter.hit('busy').limited) refused++;
    }
    expect(refused).toBe(0);
  });

  it('gives the verdicts @nestjs/throttler’s storage gives, hit for hit', async () => {
    const realNow = Date.now;
    const storage = new ThrottlerStorageService();
    try {
      Date.now = now;
      const counter = new SlidingWindowCounter(5, RATE_LIMIT_WINDOW_MS, now);
      // A pseudo-random walk of callers and pauses over a few windows.
      let seed = 7;
      const next = () => (seed = (seed * 48271) % 2147483647);
      for (let i = 0; i < 3_000; i++) {
        clock += next() % 900;
        const key = `k${next() % 3}`;
        const record = await storage.increment(key, RATE_LIMIT_WINDOW_MS, 5, RATE_LIMIT_WINDOW_MS, 'operations');
        const expected = record.isBlocked
          ? { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(record.timeToBlockExpire)) }
          : { limited: false };
        expect(counter.hit(key)).toEqual(expected);
      }
    } finally {
      Date.now = realNow;
      storage.onApplicationShutdown();
    }
  });
});
