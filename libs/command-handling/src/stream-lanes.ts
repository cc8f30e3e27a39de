/**
 * One queue per key: work on the same key runs one at a time, in arrival
 * order; work on different keys runs concurrently. A key's queue is dropped
 * once it drains, so idle streams cost nothing.
 */
export class StreamLanes {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // A failure of the work before must not stop the work after it.
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and metrics). */
  get busy(): number {
    return this.tails.size;
  }
}
