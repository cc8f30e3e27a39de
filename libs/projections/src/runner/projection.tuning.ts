// Every number that tunes how the read models are written, in one place.
export const PROJECTION_TUNING = {
  /** A live batch is committed once it holds this many events, or as soon as no further event is at hand. */
  maxBatchSize: 1000,
  /**
   * Events per transaction when catching up a backlog (catchUp, and start()
   * before it follows live): each document touched is written once per
   * transaction, so bigger is faster, but waitFor only sees progress at each commit.
   */
  catchUpBatchSize: 50_000,
  /** Events per transaction in a rebuild: big, because nobody waits on a rebuild's checkpoint. */
  rebuildBatchSize: 250_000,
  /** Events per readAll when catching up: small enough that a page dies young in the garbage collector. */
  readPageSize: 1000,
  /** A failed batch (or a dropped subscription) is retried after `initial` ms, doubling up to `max`. */
  retryBackoffMs: { initial: 100, max: 30_000 },
  /**
   * Parsed documents kept between batches, per document projection, bounded by
   * the size of their JSON (the heap holds a few times that): a document
   * touched again is not read and parsed again.
   */
  documentCacheBytes: 32 * 1024 * 1024,
  /**
   * Documents whose JSON was at least this long (bytes) are written again
   * reusing the JSON of the arrays and array elements their fold left as they
   * were (DocumentJson): below it, plain JSON.stringify is as fast. Measured on a relationship view after a
   * check-in: 2.3 KB 4.9 µs plain vs 11.4 µs reusing, 4.4 KB 8.1 vs 5.8, 8 KB 37.7 vs 4.6, 13.9 KB (bench:write's
   * relationships of ~100 events) 59.4 vs 24.6.
   */
  documentJsonReuseFrom: 4 * 1024,
  /**
   * Changed documents one projection holds in memory within a transaction;
   * past this many they are written early (and may be written again later
   * in the same transaction). Bounds the memory of a big catch-up or rebuild.
   */
  documentsInFlight: 2_000,
  /**
   * Time-dependent rows (the evidence summaries) derived again per refresh
   * transaction: some tens of milliseconds of work at most, between which
   * the server answers requests.
   */
  refreshChunk: 50,
  /**
   * How long after a commit the rows it left stale are derived again: every
   * batch in between is then covered by one derivation per relationship, so a
   * relationship written many times a second (or one with a long history) is
   * not derived again from all its facts after each write. Until then readers
   * derive what they need themselves (a stale row is never used, only unused).
   * A derivation still costs in proportion to the history (some tens of ms
   * for 5,000 facts on a loaded machine): at 250 ms it was a fifth of the CPU
   * of writes on such a relationship, at 1 s a twentieth.
   */
  refreshDelayMs: 1000,
  /**
   * Facts kept, parsed, of the relationships whose evidence was derived
   * lately, so that deriving one again reads only its facts since: a few
   * hundred bytes each.
   */
  evidenceFactsHeld: 50_000,
  /**
   * A rebuild keeps each relationship's facts rows (their strings) in memory
   * for the evidence summaries, up to about this many bytes in all; past it
   * the rest are read back from relationship_facts. ~400 bytes per fact.
   */
  rebuildKeptBytes: 256 * 1024 * 1024,
  /** How often a server looks for summaries a time-triggered rule made stale while no event came. */
  refreshIntervalMs: 60_000,
  /** Rows of a row projection inserted by one statement. */
  rowsPerInsert: 32,
} as const;
