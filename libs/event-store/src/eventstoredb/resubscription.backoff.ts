// How long a dropped $all subscription waits before subscribing again. The
// first retry is quick (a leader change settles in well under a second); a
// server that stays down is asked at most every few seconds.

export interface BackoffPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
}

export const RESUBSCRIBE_BACKOFF: BackoffPolicy = { initialMs: 100, factor: 2, maxMs: 5_000 };

/** The wait before retry number `attempt` (0 for the first retry after a drop). */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = RESUBSCRIBE_BACKOFF): number {
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt));
}
