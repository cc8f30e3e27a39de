// The one reader of the wall clock. Everything else takes `now` as an input:
// the API reads it once per request (the GraphQL context) and passes it down,
// so one response judges status, trust and the write's recordedAt at a single
// instant, and a test can start the server at an instant of its choosing.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still at `instant` until told to move: for tests. */
export class FixedClock implements Clock {
  private ms: number;

  constructor(instant: string | number) {
    this.ms = typeof instant === 'number' ? instant : Date.parse(instant);
    if (!Number.isFinite(this.ms)) throw new Error(`Not an instant: ${instant}`);
  }

  now(): number {
    return this.ms;
  }

  set(instant: string | number): void {
    this.ms = typeof instant === 'number' ? instant : Date.parse(instant);
  }
}
