import { backoffDelayMs } from './retry.backoff';

describe('the exponential backoff', () => {
  const policy = { initialMs: 10, factor: 3, maxMs: 1_000 };

  it('waits the initial time before the first retry, and treats a negative attempt as the first', () => {
    expect(backoffDelayMs(0, policy)).toBe(10);
    expect(backoffDelayMs(-1, policy)).toBe(10);
  });

  it('multiplies the wait by the factor after each failed attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt, policy))).toEqual([10, 30, 90, 270]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(backoffDelayMs(5, policy)).toBe(1_000);
    expect(backoffDelayMs(10_000, policy)).toBe(1_000);
  });
});
