import type { Party } from '../relationship/relationship.events';
import type { TrustPolicy } from './trust.policy';
import { overdueAt } from './trust.judgements';

/** A promise as the replay follows it. Instants are ms. */
export interface WatchedPromise {
  readonly promisor: Party;
  /** Global position of its PromiseMade: orders promises that fall due at the same instant. */
  readonly madePosition: bigint;
  /** The due date in force and since when it has been. */
  dueAt: number;
  dueSince: number;
  overdueFired: boolean;
}

export interface OverdueFiring {
  readonly at: number;
  readonly promise: WatchedPromise;
}

/**
 * The promises of one relationship, and which may still become overdue: made
 * and neither kept, broken nor already judged overdue. Fed the promise facts
 * in replay order; asked for the next overdue firing.
 */
export class PromiseWatch {
  private readonly promises = new Map<string, WatchedPromise>();
  /** Open, and not yet judged overdue; in the order they were made. */
  private readonly watched = new Set<WatchedPromise>();

  constructor(private readonly policy: TrustPolicy) {}

  made(promiseId: string, promisor: Party, madePosition: bigint, dueAt: number, at: number): void {
    const promise: WatchedPromise = { promisor, madePosition, dueAt, dueSince: at, overdueFired: false };
    this.promises.set(promiseId, promise);
    this.watched.add(promise);
  }

  /** A new due date in force from `at`; an overdue firing already made stands. */
  renegotiated(promiseId: string, newDueAt: number, at: number): void {
    const promise = this.promises.get(promiseId);
    if (promise === undefined) return;
    promise.dueAt = newDueAt;
    promise.dueSince = at;
  }

  /** A kept or broken promise can no longer become overdue. Returns the promise, if it was made. */
  settle(promiseId: string): WatchedPromise | undefined {
    const promise = this.promises.get(promiseId);
    if (promise !== undefined) this.watched.delete(promise);
    return promise;
  }

  /**
   * The earliest overdue firing among the watched promises; at equal instants
   * the promise made first. Null when none is watched.
   */
  nextOverdue(): OverdueFiring | null {
    let next: OverdueFiring | null = null;
    for (const promise of this.watched) {
      const at = overdueAt(promise.dueAt, this.policy);
      // A due date already long past when it came into force was never open at its deadline.
      if (at < promise.dueSince) continue;
      if (next === null || at < next.at || (at === next.at && promise.madePosition < next.promise.madePosition)) {
        next = { at, promise };
      }
    }
    return next;
  }

  /** The promise became overdue: it is judged once, and a later break adds nothing. */
  fireOverdue(promise: WatchedPromise): void {
    promise.overdueFired = true;
    this.watched.delete(promise);
  }
}
