import { RESUBSCRIBE_BACKOFF, resubscribeDelayMs } from './resubscription.backoff';

describe('the resubscription backoff', () => {
  it('retries quickly after the first drop', () => {
    expect(resubscribeDelayMs(0)).toBe(RESUBSCRIBE_BACKOFF.initialMs);
  });

  it('doubles the wait after each failed attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => resubscribeDelayMs(attempt))).toEqual([100, 200, 400, 800]);
  });

  it('never waits longer than the cap, however long the server stays away', () => {
    expect(resubscribeDelayMs(6)).toBe(RESUBSCRIBE_BACKOFF.maxMs);
    expect(resubscribeDelayMs(10_000)).toBe(RESUBSCRIBE_BACKOFF.maxMs);
  });
});
