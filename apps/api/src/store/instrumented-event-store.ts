import { type EventStore, isStorageFailure } from '@trustline/event-store';
import type { Metrics } from '../metrics/metrics.service';

/** What the write path saw of the storage lately: readiness reads it (a full disk makes the server not ready). */
export class StorageHealth {
  private failedAt: number | null = null;
  private failure: string | null = null;
  /** The highest position this process appended (the store's head, when the store cannot tell it). */
  lastAppended = 0n;

  constructor(private readonly now: () => number = Date.now) {}

  failed(error: unknown): void {
    this.failedAt = this.now();
    this.failure = (error as Error).message;
  }

  succeeded(position: bigint): void {
    this.failedAt = null;
    this.failure = null;
    if (position > this.lastAppended) this.lastAppended = position;
  }

  /** The storage failure of an append within the last `holdMs` that no append has succeeded since; else null. */
  recentFailure(holdMs: number): string | null {
    if (this.failedAt === null || this.now() - this.failedAt > holdMs) return null;
    return this.failure;
  }
}

/**
 * The configured store, timed and counted for /metrics, with storage
 * failures (disk full, I/O errors) noted for readiness. Everything else
 * passes through unchanged.
 */
export function instrumentEventStore(store: EventStore, metrics: Metrics, health: StorageHealth): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          const stop = metrics.appendDuration.startTimer();
          try {
            const result = await target.appendToStream(...args);
            stop({ outcome: 'ok' });
            metrics.eventsAppended.inc(args[1].length);
            health.succeeded(result.position);
            return result;
          } catch (error) {
            stop({ outcome: 'error' });
            if (isStorageFailure(error)) health.failed(error);
            throw error;
          }
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
