import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Authentication } from '@trustline/access';
import type { AppConfig } from '@trustline/config';

export const RATE_LIMIT_WINDOW_MS = 60_000;

export type RateVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

interface Window {
  /** When each counted operation leaves the window (epoch ms), ascending; those before `head` have left. */
  expiries: number[];
  head: number;
  blocked: boolean;
  blockExpiresAt: number;
}

/**
 * A sliding window of operations per key, with the rule @nestjs/throttler's
 * in-memory storage applies (which this server used before): each operation
 * counts for `windowMs`; the one that takes a key over `limit` blocks it for
 * `windowMs`, during which nothing more is counted; once the block is over the
 * key starts afresh. Where that storage filtered every hit of the key on each
 * operation (thousands for a busy caller), this drops the hits that left the
 * window from the front: O(1) per operation.
 */
export class SlidingWindowCounter {
  private readonly windows = new Map<string, Window>();
  private lastSweep: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number = RATE_LIMIT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  /** Counts one operation of `key`: refused (with the seconds until the block ends) or not. */
  hit(key: string): RateVerdict {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined) {
      window = { expiries: [], head: 0, blocked: false, blockExpiresAt: 0 };
      this.windows.set(key, window);
    }
    drop(window, now);
    if (!window.blocked) add(window, now + this.windowMs);
    if (!window.blocked && window.expiries.length - window.head > this.limit) {
      window.blocked = true;
      window.blockExpiresAt = now + this.windowMs;
    }
    const secondsToUnblock = Math.ceil((window.blockExpiresAt - now) / 1000);
    if (window.blocked && secondsToUnblock <= 0) {
      window.blocked = false;
      window.expiries = [];
      window.head = 0;
      add(window, now + this.windowMs);
    }
    return window.blocked ? { limited: true, retryAfterSeconds: Math.max(1, secondsToUnblock) } : { limited: false };
  }

  /** Keys held (for tests of the bound: idle keys go within a window or two). */
  get size(): number {
    return this.windows.size;
  }

  /** Once per window: forgets the keys with nothing counted and no block in force. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      drop(window, now);
      if (window.expiries.length === window.head && !(window.blocked && window.blockExpiresAt > now)) {
        this.windows.delete(key);
      }
    }
  }
}

/** Drops the hits that have left the window (expiry at or before now), as a filter of `> now` keeps the rest. */
function drop(window: Window, now: number): void {
  const { expiries } = window;
  while (window.head < expiries.length && expiries[window.head] <= now) window.head++;
  // Compact now and then, so the array does not grow with every hit ever counted.
  if (window.head > 64 && window.head * 2 > expiries.length) {
    window.expiries = expiries.slice(window.head);
    window.head = 0;
  }
}

/** Adds a hit, keeping the expiries ascending (the clock may step back). */
function add(window: Window, expiry: number): void {
  const { expiries } = window;
  let at = expiries.length;
  while (at > window.head && expiries[at - 1] > expiry) at--;
  if (at === expiries.length) expiries.push(expiry);
  else expiries.splice(at, 0, expiry);
}

/**
 * Counts GraphQL operations per caller: its token's subject, else its client
 * address (which honours TRUST_PROXY). Each operation is counted once,
 * however many root fields it has: the HTTP gate counts a request, the
 * graphql-ws server a subscribe message. RATE_LIMIT_PER_MINUTE=0 counts nothing.
 */
@Injectable()
export class OperationRateLimit {
  private readonly counter: SlidingWindowCounter | null;

  constructor(config: ConfigService<AppConfig, true>) {
    const limit = config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
    this.counter = limit === 0 ? null : new SlidingWindowCounter(limit);
  }

  async count(auth: Authentication, clientAddress: string | undefined): Promise<RateVerdict> {
    if (this.counter === null) return { limited: false };
    const key = auth.kind === 'viewer' ? `subject:${auth.viewer.subject}` : `address:${clientAddress ?? 'unknown'}`;
    return this.counter.hit(key);
  }
}
