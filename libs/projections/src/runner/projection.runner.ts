import { backoffDelayMs, type AllSubscription, type EventStore, type RecordedEvent } from '@trustline/event-store';
import { PROJECTION_TUNING } from './projection.tuning';
import type { ReadModelDatabase } from './read-model.database';

/** Nest's Logger fits this shape, as does console. */
export interface ProjectionLogger {
  log(message: string): void;
  error(message: string, error?: unknown): void;
}

export type CommittedListener = (batch: RecordedEvent[], checkpoint: bigint) => void;

export interface CatchUpResult {
  /** Where the read models stand now; null when the store holds no events. */
  checkpoint: bigint | null;
  /** Events applied by this catch-up. */
  events: number;
}

export interface CatchUpOptions {
  /** Stop at this position: events after it are left for later (a rebuilt file brought up to a live one). */
  until?: bigint;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  database: ReadModelDatabase;
  logger?: ProjectionLogger;
  /** Events per live transaction; default PROJECTION_TUNING.maxBatchSize. */
  maxBatchSize?: number;
  /** Events per catchUp transaction; default PROJECTION_TUNING.catchUpBatchSize. */
  catchUpBatchSize?: number;
  /** Events per readAll in catchUp; default PROJECTION_TUNING.readPageSize. */
  readPageSize?: number;
  /** Default PROJECTION_TUNING.retryBackoffMs. */
  retryBackoffMs?: { initial: number; max: number };
  /** The instant time-dependent rows are refreshed as of (ReadModelDatabase.refresh); default Date.now. */
  clock?: () => number;
}

const IDLE = Symbol('idle');

// An error from another realm (a native module loaded under another context, as jest's
// workers do) is no `instanceof Error` here: keep its message and SQLite code all the same.
const asError = (error: unknown): Error => {
  if (error instanceof Error) return error;
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return Object.assign(new Error(typeof message === 'string' ? message : String(error), { cause: error }), {
    ...(typeof code === 'string' ? { code } : {}),
  });
};

/** Stops waiting for events: the runner was asked to stop. */
class Stopping extends Error {}

/**
 * Follows the store's $all from the read database's checkpoint (catch-up, then
 * live) and applies the events in batches; each batch commits with its
 * checkpoint. A failing batch is retried with backoff, never skipped.
 */
export class ProjectionRunner {
  private readonly store: EventStore;
  private database: ReadModelDatabase;
  private readonly logger: ProjectionLogger;
  private readonly maxBatchSize: number;
  private readonly catchUpBatchSize: number;
  private readonly readPageSize: number;
  private readonly backoff: { initial: number; max: number };
  private readonly listeners = new Set<CommittedListener>();
  private readonly failureListeners = new Set<(error: Error) => void>();
  private readonly timingListeners = new Set<(seconds: number, events: number) => void>();
  private readonly waiters = new Set<{ position: bigint; settle: (reached: boolean) => void }>();
  private subscription: AllSubscription | null = null;
  private running: Promise<void> | null = null;
  private stopRequested = false;
  private wakeFromBackoff: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly clock: () => number;
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshScheduled: NodeJS.Immediate | null = null;
  private refreshDelayed: NodeJS.Timeout | null = null;

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.database = options.database;
    this.logger = options.logger ?? console;
    this.maxBatchSize = options.maxBatchSize ?? PROJECTION_TUNING.maxBatchSize;
    this.catchUpBatchSize = options.catchUpBatchSize ?? PROJECTION_TUNING.catchUpBatchSize;
    this.readPageSize = options.readPageSize ?? PROJECTION_TUNING.readPageSize;
    this.backoff = options.retryBackoffMs ?? PROJECTION_TUNING.retryBackoffMs;
    this.clock = options.clock ?? Date.now;
    const sizes = {
      maxBatchSize: this.maxBatchSize,
      catchUpBatchSize: this.catchUpBatchSize,
      readPageSize: this.readPageSize,
    };
    for (const [name, value] of Object.entries(sizes)) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${value}`);
    }
  }

  /** The position of the last event in the read models; null before the first. */
  checkpoint(): bigint | null {
    return this.database.checkpoint();
  }

  /** The error of the batch (or subscription) being retried; null while all is well. */
  get lastError(): Error | null {
    return this.failure;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Called after each commit; returns the function that unregisters the listener. */
  onCommitted(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with how long each live batch took to apply and commit (for metrics). */
  onBatchTimed(listener: (seconds: number, events: number) => void): () => void {
    this.timingListeners.add(listener);
    return () => this.timingListeners.delete(listener);
  }

  /** Called with each failure of a batch or of the subscription (the runner retries it meanwhile). */
  onFailed(listener: (error: Error) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** Resolves true once the read models include `position`, false after `timeoutMs`; never rejects. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter = {
        position,
        settle: (reached: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), Math.max(0, timeoutMs));
      this.waiters.add(waiter);
    });
  }

  /** Starts following $all in the background; does nothing when already started. */
  start(): void {
    if (this.running) return;
    this.stopRequested = false;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    // Time alone makes some derived rows stale (a promise falls due with no event): look for them now and then.
    this.refreshTimer = setInterval(() => this.refreshSoon(), PROJECTION_TUNING.refreshIntervalMs);
    this.refreshTimer.unref();
  }

  /** Stops following, after committing the batch in flight (a batch waiting for a retry stays uncommitted). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopRequested = true;
    if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
    if (this.refreshScheduled !== null) clearImmediate(this.refreshScheduled);
    if (this.refreshDelayed !== null) clearTimeout(this.refreshDelayed);
    this.refreshTimer = null;
    this.refreshScheduled = null;
    this.refreshDelayed = null;
    this.wakeFromBackoff?.();
    await this.subscription?.close();
    await this.running;
  }

  /**
   * Applies everything the store holds after the checkpoint (or up to
   * `until`), reading pages of `readPageSize` with readAll and committing
   * every `catchUpBatchSize` events, and returns where it stopped. For a
   * runner that is not started (before start(), a rebuild, a benchmark); a
   * failure throws rather than retries. Listeners hear of each commit (the
   * events are only kept for them while one is registered).
   */
  async catchUp(options: CatchUpOptions = {}): Promise<CatchUpResult> {
    if (this.running) throw new Error('catchUp is for a runner that is not started; start() catches up by itself');
    return this.catchUpWhile(() => true, options.until);
  }

  private async catchUpWhile(keepGoing: () => boolean, until?: bigint): Promise<CatchUpResult> {
    let events = 0;
    let after = this.database.checkpoint();
    for (;;) {
      const batch = this.database.beginBatch();
      const applied: RecordedEvent[] = [];
      let size = 0;
      let end = false;
      try {
        while (size < this.catchUpBatchSize) {
          if (!keepGoing()) {
            end = true;
            break;
          }
          const read = await this.store.readAll({
            fromPosition: after ?? undefined,
            maxCount: Math.min(this.readPageSize, this.catchUpBatchSize - size),
          });
          const page = until === undefined ? read : read.filter((event) => event.position <= until);
          if (page.length > 0) {
            after = page[page.length - 1].position;
            size += page.length;
            const added = batch.add(page);
            events += added.length;
            if (this.listeners.size > 0) applied.push(...added);
          }
          if (page.length < read.length || read.length === 0) {
            end = true;
            break;
          }
        }
        batch.commit();
      } catch (error) {
        batch.abort();
        throw error;
      }
      this.committed(applied);
      if (end) return { checkpoint: this.database.checkpoint(), events };
    }
  }

  /**
   * Moves the stopped runner onto another read database standing at the same
   * checkpoint (a rebuilt file brought up to this one), so no event is
   * applied twice, skipped or announced twice. Returns the database it
   * leaves, for the caller to close.
   */
  switchDatabase(database: ReadModelDatabase, options: { allowAhead?: boolean } = {}): ReadModelDatabase {
    if (this.running) throw new Error('Stop the projection runner before switching its read database');
    // A repair (the live file was damaged) takes a rebuilt file that may be ahead: those events are not announced.
    const ahead = options.allowAhead && (database.checkpoint() ?? -1n) >= (this.database.checkpoint() ?? -1n);
    if (!ahead && database.checkpoint() !== this.database.checkpoint()) {
      throw new Error(
        `The new read database stands at ${database.checkpoint()}, the current one at ${this.database.checkpoint()}`,
      );
    }
    const previous = this.database;
    this.database = database;
    return previous;
  }

  // Catch-up then live: a backlog is read with readAll in big transactions
  // (each document written once per transaction), then the subscription
  // follows from the checkpoint reached, in small batches for latency.
  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopRequested) {
      try {
        await this.catchUpWhile(() => !this.stopRequested);
        attempt = 0;
        // Summaries that fell due while the server was down.
        this.refreshSoon();
        if (this.stopRequested) return;
        await this.follow(() => {
          attempt = 0;
        });
        if (this.stopRequested) return;
        throw new Error('The $all subscription ended without being closed');
      } catch (error) {
        if (error instanceof Stopping || this.stopRequested) return;
        this.fail('Projecting from $all failed; resuming from the checkpoint', error);
      }
      await this.pause(attempt++);
    }
  }

  // Batches form while events arrive without a pause: a batch is committed when
  // it is full or when the next event is not already at hand (checked once the
  // event loop has run the I/O callbacks that were ready, via setImmediate).
  private async follow(onCommit: () => void): Promise<void> {
    const after = this.database.checkpoint();
    const subscription = this.store.subscribeToAll(after === null ? {} : { fromPosition: after });
    this.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      if (this.stopRequested) return;
      let pending = iterator.next();
      for (;;) {
        const first = await pending;
        if (first.done) return;
        const batch = [first.value];
        pending = iterator.next();
        const idle = new Promise<typeof IDLE>((resolve) => setImmediate(resolve, IDLE));
        let ended = false;
        while (batch.length < this.maxBatchSize) {
          const next = await Promise.race([pending, idle]);
          if (next === IDLE) break;
          if (next.done) {
            ended = true;
            break;
          }
          batch.push(next.value);
          pending = iterator.next();
        }
        await this.commitWithRetry(batch);
        onCommit();
        if (ended) return;
      }
    } finally {
      this.subscription = null;
      await subscription.close();
    }
  }

  private async commitWithRetry(batch: RecordedEvent[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.commit(batch);
        return;
      } catch (error) {
        const range = `${batch[0].position}..${batch[batch.length - 1].position}`;
        this.fail(`Projecting events ${range} failed; the batch is retried, nothing after it is applied`, error);
      }
      await this.pause(attempt);
      if (this.stopRequested) throw new Stopping();
    }
  }

  private commit(batch: RecordedEvent[]): void {
    const started = process.hrtime.bigint();
    const applied = this.database.applyBatch(batch);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const listener of this.timingListeners) listener(seconds, batch.length);
    this.committed(applied);
  }

  private committed(applied: RecordedEvent[]): void {
    if (this.failure !== null) {
      this.logger.log('Projections recovered');
      this.failure = null;
    }
    this.refreshAfterDelay();
    const checkpoint = this.database.checkpoint();
    if (checkpoint === null) return;
    for (const waiter of [...this.waiters]) {
      if (waiter.position <= checkpoint) waiter.settle(true);
    }
    if (applied.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(applied, checkpoint);
      } catch (error) {
        this.logger.error('A listener of committed projection batches failed', error);
      }
    }
  }

  /**
   * Refreshes PROJECTION_TUNING.refreshDelayMs after the first commit since
   * the last refresh: the commits in between share one derivation of each
   * relationship they touched, instead of one per commit, which a hot or
   * long relationship would pay on every write.
   */
  private refreshAfterDelay(): void {
    if (this.refreshDelayed !== null || this.stopRequested || !this.running) return;
    this.refreshDelayed = setTimeout(() => {
      this.refreshDelayed = null;
      this.refreshSoon();
    }, PROJECTION_TUNING.refreshDelayMs);
    this.refreshDelayed.unref();
  }

  /**
   * Derives the time-dependent rows left stale (the evidence summaries of the
   * relationships just projected, or of those a rule fell due for), a chunk
   * per turn of the event loop so that requests are answered in between,
   * while the runner is started and no batch is open.
   */
  private refreshSoon(): void {
    if (this.refreshScheduled !== null || this.stopRequested || !this.running) return;
    this.refreshScheduled = setImmediate(() => {
      this.refreshScheduled = null;
      if (this.stopRequested || !this.database.isOpen) return;
      // A batch in flight: its commit asks again.
      if (this.database.inBatch) return;
      try {
        const chunk = PROJECTION_TUNING.refreshChunk;
        if (this.database.refresh(this.clock(), chunk) === chunk) this.refreshSoon();
      } catch (error) {
        // Readers derive what is not refreshed; the next commit or interval tries again.
        this.logger.error('Refreshing derived read models failed', error);
      }
    });
  }

  private fail(message: string, error: unknown): void {
    this.failure = asError(error);
    // The cause in the line itself: a logger given (message, error) may keep only the message.
    const code = (this.failure as { code?: unknown }).code;
    this.logger.error(`${message}: ${typeof code === 'string' ? `${code} ` : ''}${this.failure.message}`, error);
    for (const listener of this.failureListeners) listener(this.failure);
  }

  private async pause(attempt: number): Promise<void> {
    if (this.stopRequested) return;
    const delay = backoffDelayMs(attempt, { initialMs: this.backoff.initial, factor: 2, maxMs: this.backoff.max });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wakeFromBackoff = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeFromBackoff = null;
  }

  private reached(position: bigint): boolean {
    const checkpoint = this.database.checkpoint();
    return checkpoint !== null && checkpoint >= position;
  }
}
