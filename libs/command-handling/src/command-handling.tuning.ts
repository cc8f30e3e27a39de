// Every number that tunes the write path, in one place.
export const COMMAND_HANDLING_TUNING = {
  /** Bounded optimistic-concurrency retries: re-read, decide again, append again; full-jitter backoff between them. */
  retry: { attempts: 12, baseDelayMs: 2, maxDelayMs: 100 },
  /**
   * Streams whose folded decision state the write path keeps (least recently
   * used first out), so a command reads only the events after what it holds.
   */
  writeStateCacheStreams: 10_000,
  /**
   * Commands on one stream that came while its turn ran, decided together in
   * the next and appended at once (one sync for all).
   */
  maxCommandsPerTurn: 64,
} as const;
