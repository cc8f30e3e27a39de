import { backoffDelayMs, type BackoffPolicy } from '../retry.backoff';

// How long a dropped $all subscription waits before subscribing again. The
// first retry is quick (a leader change settles in well under a second); a
// server that stays down is asked at most every few seconds.
export const RESUBSCRIBE_BACKOFF: BackoffPolicy = { initialMs: 100, factor: 2, maxMs: 5_000 };

/** The wait before resubscription number `attempt` (0 for the first retry after a drop). */
export const resubscribeDelayMs = (attempt: number): number => backoffDelayMs(attempt, RESUBSCRIBE_BACKOFF);
