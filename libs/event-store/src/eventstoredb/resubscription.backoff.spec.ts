import { backoffDelayMs, RESUBSCRIBE_BACKOFF } from './resubscription.backoff';

describe('the resubscription backoff', () => {
  it('retries quickly after the first drop', () => {
    expect(backoffDelayMs(0)).toBe(RESUBSCRIBE_BACKOFF.initialMs);
  });

  it('doubles the wait after each failed attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt))).toEqual([100, 200, 400, 800]);
  });

  it('never waits longer than the cap, however long the server stays away', () => {
    expect(backoffDelayMs(6)).toBe(RESUBSCRIBE_BACKOFF.maxMs);
    expect(backoffDelayMs(10_000)).toBe(RESUBSCRIBE_BACKOFF.maxMs);
  });

  it('follows the policy it is given', () => {
    expect(backoffDelayMs(2, { initialMs: 10, factor: 3, maxMs: 1_000 })).toBe(90);
  });
});
