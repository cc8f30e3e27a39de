import pino from 'pino';

export const STDOUT_LINES_TUNING = {
  /** Request lines held back are written once they reach this many characters... */
  flushChars: 16_384,
  /** ...or this long after the first of them, whichever comes first: what an operator tailing the log waits at most. */
  flushDelayMs: 100,
} as const;

/** Where the lines finally go: written synchronously (see StdoutLines). */
export interface LineDestination {
  write(chunk: string): unknown;
}

/** Every sink not yet closed: flushed when the process exits, a crash included. */
const open = new Set<StdoutLines>();
let exitHookInstalled = false;
const flushAllOnExit = () => {
  for (const lines of open) lines.flushSync();
};

/**
 * The server log's stream (pino's destination). Every line is written synchronously, as it comes, except the
 * `request completed` / `request errored` lines (`deferred`): those are held back and written together, at most
 * `flushChars` characters or `flushDelayMs` later. One write per request was 4 % of the server's busy time in the
 * trust read (bench:api profile: pino, sonic-boom and the syscall), for a line nobody waits for.
 *
 * No line is lost or reordered by this: any other line (a warning, an error, the lines logged while shutting
 * down or just before a crash) writes the held-back lines first, then itself, before returning; so do the
 * process's exit (a crash included), the application's shutdown, and `flushSync`. From the shutdown on, nothing
 * is held back. A process killed outright (SIGKILL) loses at most the held-back lines of the last `flushDelayMs`.
 */
export class StdoutLines {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private deferring = false;
  private holding = true;

  constructor(private readonly destination: LineDestination = pino.destination({ dest: 1, sync: true })) {
    open.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', flushAllOnExit);
    }
  }

  /** pino's stream interface: one serialised line (with its newline). */
  write(line: string): void {
    if (this.deferring && this.holding) {
      this.pending += line;
      if (this.pending.length >= STDOUT_LINES_TUNING.flushChars) this.flushSync();
      else if (this.timer === null) {
        this.timer = setTimeout(() => this.flushSync(), STDOUT_LINES_TUNING.flushDelayMs);
        this.timer.unref();
      }
      return;
    }
    if (this.pending !== '') this.flushSync();
    this.destination.write(line);
  }

  /** Writes what `log` writes as a deferred line (see the class); nothing else is deferred. */
  deferred(log: () => void): void {
    this.deferring = true;
    try {
      log();
    } finally {
      this.deferring = false;
    }
  }

  /** Writes the held-back lines now. */
  flushSync(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending === '') return;
    const lines = this.pending;
    this.pending = '';
    this.destination.write(lines);
  }

  /** pino's `logger.flush(callback)`. */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  /** Shutting down: the held-back lines are written, and every line from now on as it comes. */
  stopHolding(): void {
    this.holding = false;
    this.flushSync();
  }

  /** Closed with the application: nothing held back, nothing to flush at exit. */
  close(): void {
    this.stopHolding();
    open.delete(this);
  }
}
