// Group commit: with synchronous=FULL every SQLite commit waits for an fsync,
// and that sync, not the inserts, is what one append costs. Appends that come
// in while the event loop is busy are therefore queued and committed together,
// in one transaction and one sync; each keeps its own outcome.

export const GROUP_COMMIT_TUNING = {
  /**
   * The longest a queued append waits for others to join its group. Only paid
   * once appends were seen to overlap (the previous group had more than one);
   * a lone writer's append is committed as soon as the current turn of the
   * event loop ends, which costs it nothing noticeable.
   */
  maxWaitMs: 2,
  /** Appends per transaction; a fuller queue is committed at once, the rest in the next group. */
  maxGroupSize: 256,
} as const;

/** The outcome of one request of a group: its result, or the error that request alone failed with. */
export type GroupOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Commits a group of requests, in the order given, in one transaction. It
 * returns one outcome per request; a request that failed must leave no trace
 * in the transaction (a savepoint) and must not fail the others. A throw fails
 * the whole group (the commit itself failed: nothing of it is durable).
 */
export type CommitGroup<Request, Result> = (requests: readonly Request[]) => GroupOutcome<Result>[];

export interface GroupCommitOptions {
  maxWaitMs?: number;
  maxGroupSize?: number;
}

interface Waiting<Request, Result> {
  request: Request;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitQueue<Request, Result> {
  private queue: Waiting<Request, Result>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private overlapping = false;
  private lastGroupSize = 0;
  private readonly maxWaitMs: number;
  private readonly maxGroupSize: number;

  constructor(
    private readonly commitGroup: CommitGroup<Request, Result>,
    options: GroupCommitOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? GROUP_COMMIT_TUNING.maxWaitMs;
    this.maxGroupSize = options.maxGroupSize ?? GROUP_COMMIT_TUNING.maxGroupSize;
    if (!(this.maxWaitMs >= 0)) throw new Error(`maxWaitMs must be at least 0, not ${this.maxWaitMs}`);
    if (!Number.isInteger(this.maxGroupSize) || this.maxGroupSize < 1) {
      throw new Error(`maxGroupSize must be a positive integer, not ${this.maxGroupSize}`);
    }
  }

  /** Settles once the request's group has committed (or with the request's own error). */
  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length >= this.maxGroupSize) this.flush();
      // As many as last time are back: waiting longer would most likely only idle.
      else if (this.overlapping && this.queue.length >= this.lastGroupSize) this.schedule(true);
      else this.schedule(false);
    });
  }

  /** Commits everything queued now, synchronously (before a close, for one). */
  flush(): void {
    this.cancelSchedule();
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroupSize);
      this.overlapping = group.length > 1;
      this.lastGroupSize = group.length;
      this.commit(group);
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  private commit(group: Waiting<Request, Result>[]): void {
    let outcomes: GroupOutcome<Result>[];
    try {
      outcomes = this.commitGroup(group.map((waiting) => waiting.request));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    group.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }

  /** Commits at the end of this turn of the event loop when `soon` (or nothing overlaps), else within maxWaitMs. */
  private schedule(soon: boolean): void {
    if (this.immediate !== null) return;
    const run = (): void => {
      this.cancelSchedule();
      this.flush();
    };
    if (soon || !this.overlapping || this.maxWaitMs === 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.immediate = setImmediate(run);
    } else if (this.timer === null) {
      this.timer = setTimeout(run, this.maxWaitMs);
    }
  }

  private cancelSchedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
