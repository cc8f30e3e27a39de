/** Least recently used values, bounded by a size the caller gives for each (e.g. its JSON length). */
export class DocumentCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private size = 0;

  constructor(private readonly maxSize: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, size: number): void {
    this.delete(key);
    if (size > this.maxSize) return;
    this.entries.set(key, { value, size });
    this.size += size;
    for (const [oldest, entry] of this.entries) {
      if (this.size <= this.maxSize) break;
      this.entries.delete(oldest);
      this.size -= entry.size;
    }
  }

  /** The size the entry was given, if held (without marking it used). */
  sizeOf(key: string): number | undefined {
    return this.entries.get(key)?.size;
  }

  /** Entries held. */
  get count(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.size -= entry.size;
  }
}
