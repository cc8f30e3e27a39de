import * as fs from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
import { ProjectionRunner, ReadModelSwap } from '@trustline/projections';
import type { AppConfig } from '@trustline/config';
import { Metrics } from '../metrics/metrics.service';
import { StorageHealth } from '../store/instrumented-event-store';

// Every number readiness decides with, in one place (the lag bound is configuration).
export const READINESS = {
  /** The event store must answer a ping within this. */
  storePingTimeoutMs: 1000,
  /** After a write failed for lack of space or an I/O error, not ready for this long, unless a write succeeds. */
  storageFailureHoldMs: 10_000,
  /** Less free space than this in DATA_DIR is a full disk. */
  minFreeDiskBytes: 1024 * 1024,
} as const;

/** One reason the server should not get traffic now, for the operator reading /health/ready. */
export interface NotReady {
  check: 'eventStore' | 'readModels' | 'projections' | 'storage';
  reason: string;
}

/**
 * Whether this server can answer rightly now: the event store answers, the
 * read models are open and their runner is not failing, the projections are
 * no further behind than READINESS_MAX_PROJECTION_LAG events, and the disk
 * under DATA_DIR takes writes.
 */
@Injectable()
export class Readiness {
  private lastCommitAt = Date.now();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly swap: ReadModelSwap,
    private readonly storage: StorageHealth,
    private readonly config: ConfigService<AppConfig, true>,
    metrics: Metrics,
  ) {
    runner.onCommitted(() => (this.lastCommitAt = Date.now()));
    runner.onBatchTimed((seconds) => metrics.batchDuration.observe(seconds));
    metrics.watchProjections({
      position: () => Number(this.runner.checkpoint() ?? 0n),
      lagEvents: () => this.lastKnownLag,
      refresh: () => this.lag().then(() => undefined),
      lagSeconds: () => (this.lastKnownLag > 0 ? (Date.now() - this.lastCommitAt) / 1000 : 0),
    });
  }

  /** Refreshed by every readiness check and every scrape of /metrics (see lag()). */
  private lastKnownLag = 0;

  /** Events stored but not projected: the store's head (or, for a store that cannot tell, this process's last append). */
  async lag(): Promise<number> {
    const withHead = this.store as EventStore & { lastPosition?: () => Promise<bigint> };
    const head = withHead.lastPosition ? await withHead.lastPosition() : this.storage.lastAppended;
    const lag = head - (this.runner.checkpoint() ?? 0n);
    this.lastKnownLag = lag > 0n ? Number(lag) : 0;
    return this.lastKnownLag;
  }

  async eventStore(): Promise<NotReady | null> {
    try {
      await Promise.race([
        this.store.ping(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timed out')), READINESS.storePingTimeoutMs).unref(),
        ),
      ]);
      return null;
    } catch {
      return { check: 'eventStore', reason: 'the event store does not answer' };
    }
  }

  readModels(): NotReady | null {
    return this.swap.database.isOpen ? null : { check: 'readModels', reason: 'the read models are not open' };
  }

  async projections(): Promise<NotReady | null> {
    if (this.runner.lastError)
      return { check: 'projections', reason: 'projecting events fails; the server log says why' };
    const bound = this.config.get('READINESS_MAX_PROJECTION_LAG', { infer: true });
    const lag = await this.lag().catch(() => 0);
    return lag > bound
      ? { check: 'projections', reason: `the read models are ${lag} events behind (bound ${bound})` }
      : null;
  }

  storageHealth(): NotReady | null {
    if (this.storage.recentFailure(READINESS.storageFailureHoldMs)) {
      return { check: 'storage', reason: 'writes to the storage failed (disk full or an I/O error)' };
    }
    const dataDir = this.config.get('DATA_DIR', { infer: true });
    try {
      const { bavail, bsize } = fs.statfsSync(dataDir);
      if (bavail * bsize < READINESS.minFreeDiskBytes)
        return { check: 'storage', reason: 'the disk under DATA_DIR is full' };
    } catch {
      return { check: 'storage', reason: 'DATA_DIR cannot be inspected' };
    }
    return null;
  }
}
