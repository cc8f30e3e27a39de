/**
 * Values bounded by a size the caller gives for each (e.g. its JSON length). The least recently used go first, as
 * a second-chance (clock) cache does it: a value used since it was set, or since it last had its second chance, is
 * moved to the back once instead of going. A hit only marks its entry: moving it to the back of the map on every
 * get (a delete and a set) was the largest part of a cached read's lookup.
 */
export class DocumentCache<V> {
  private readonly entries = new Map<string, { value: V; size: number; used: boolean }>();
  private size = 0;

  constructor(private readonly maxSize: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: string, value: V, size: number): void {
    this.delete(key);
    if (size > this.maxSize) return;
    this.entries.set(key, { value, size, used: false });
    this.size += size;
    // Map keeps insertion order, oldest first; an entry moved to the back comes round again, unmarked.
    for (const [oldest, entry] of this.entries) {
      if (this.size <= this.maxSize) break;
      this.entries.delete(oldest);
      if (entry.used) {
        entry.used = false;
        this.entries.set(oldest, entry);
      } else {
        this.size -= entry.size;
      }
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
