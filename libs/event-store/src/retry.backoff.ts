// The one exponential backoff of the code base: the write path's conflict
// retries, the projection runner's failed batches and the EventStoreDB
// resubscription each wait by it, with a policy of their own.

export interface BackoffPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
}

/** The wait before retry number `attempt` (0 for the first): initialMs · factor^attempt, capped at maxMs. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt));
}
