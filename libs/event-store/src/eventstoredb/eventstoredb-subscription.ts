import type { AllStreamResolvedEvent } from '@eventstore/db-client';
import { StoreUnavailable } from '../event-store.errors';
import type { AllSubscription, RecordedEvent } from '../event-store.port';
import {
  isTransientSubscriptionError,
  isUserEvent,
  positionOf,
  toRecordedEvent,
  toStoreError,
} from './eventstoredb.mapping';
import { resubscribeDelayMs } from './resubscription.backoff';

/** The part of the client's `AllStreamSubscription` the follower uses; tests hand in a fake. */
export interface SubscriptionSource extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<void>;
  destroy(): unknown;
  once(event: 'confirmation', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface FollowAllOptions {
  /** Exclusive checkpoint; undefined for the start of $all. */
  fromPosition?: bigint;
  /** Opens a server subscription delivering events after `after`. */
  open(after: bigint | undefined): SubscriptionSource;
  /** The wait before the given retry (0 for the first after a drop). */
  retryDelayMs?(attempt: number): number;
  /** Called once when the subscription has ended for good. */
  onEnded?(): void;
}

/**
 * Follows $all through server subscriptions, opening a new one from the last
 * delivered position whenever one drops without being asked to. Each event is
 * delivered once: anything at or before the last delivered position (which a
 * server may repeat when resuming) is skipped, and nothing is skipped because
 * every resumption starts right after the last delivered event.
 */
export function followAll(options: FollowAllOptions): AllSubscription {
  const retryDelayMs = options.retryDelayMs ?? resubscribeDelayMs;
  let after = options.fromPosition;
  let closed = false;
  let current: SubscriptionSource | undefined;
  let wake: (() => void) | undefined;

  const stop = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    wake?.();
    if (current) await release(current);
    options.onEnded?.();
  };

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  function deliverable(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
    const event = resolved.event;
    if (!event || !isUserEvent(event)) return undefined;
    const position = positionOf(resolved);
    if (position === undefined) throw new StoreUnavailable('EventStoreDB delivered an event without its $all position');
    if (after !== undefined && position <= after) return undefined;
    return toRecordedEvent(event, position);
  }

  async function* follow(): AsyncGenerator<RecordedEvent> {
    let failures = 0;
    try {
      while (!closed) {
        const source = options.open(after);
        current = source;
        source.once('confirmation', () => {
          failures = 0;
        });
        try {
          for await (const resolved of source) {
            const event = deliverable(resolved);
            if (!event) continue;
            if (closed) return;
            failures = 0;
            after = event.position;
            yield event;
          }
        } catch (error) {
          if (closed) return;
          if (!isTransientSubscriptionError(error)) throw toStoreError(error);
        } finally {
          current = undefined;
          await release(source);
        }
        if (!closed) await pause(retryDelayMs(failures++));
      }
    } finally {
      await stop();
    }
  }

  const iterator = follow();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: stop,
  };
}

// Destroying the stream ends a pending `for await` at once; unsubscribing
// cancels the call on the server. An error the client reports after that has
// no reader left, and an unheard stream error would crash the process.
async function release(source: SubscriptionSource): Promise<void> {
  source.on('error', () => undefined);
  source.destroy();
  await source.unsubscribe().catch(() => undefined);
}
