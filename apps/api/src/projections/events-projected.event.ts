import type { IEvent } from '@nestjs/cqrs';
import type { RecordedEvent } from '@trustline/event-store';

/** Published on the EventBus after a batch of stored events is committed to the local read models. */
export class EventsProjected implements IEvent {
  constructor(
    readonly events: RecordedEvent[],
    readonly checkpoint: bigint,
  ) {}
}
