// What the write path holds of a stream between commands: its decision state
// folded up to a revision, the hash the chain continues from, and the
// idempotency keys its events carry. Never trusted beyond that revision: every
// command reads the events after it, and the append's expected-revision check
// refuses a stale one (another process wrote), which drops the entry.

export interface WriteState<S> {
  readonly state: S;
  /** Revision of the last event folded. */
  readonly revision: bigint;
  readonly position: bigint;
  /** Hash of the event at `revision`: the next append continues the chain from it. */
  readonly lastHash: string | null;
  /**
   * Keys of events at or below `revision` (only ever grows with committed
   * events, so entries of one stream may share it).
   */
  readonly keys: Map<string, { position: bigint; inputHashes: Set<string> }>;
}

/** A bounded map of stream → WriteState, least recently used out first. */
export class WriteStateCache {
  private readonly entries = new Map<string, WriteState<unknown>>();

  constructor(private readonly capacity: number) {}

  get<S>(streamId: string): WriteState<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry as WriteState<S>;
  }

  set<S>(streamId: string, entry: WriteState<S>): void {
    if (this.capacity <= 0) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  invalidate(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}
