import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
import { ReadModels, relationshipViewFromStream, type RelationshipView } from '@trustline/projections';

/** The relationship view a mutation's payload shows: the read model's once it reached the write, else the stream's. */
@Injectable()
export class RelationshipViewAfterWrite {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async after(relationshipId: string, projected: boolean): Promise<RelationshipView> {
    const view =
      (projected ? this.readModels.getRelationships([relationshipId])[0] : null) ??
      (await relationshipViewFromStream(this.store, relationshipId));
    if (view === null) throw new Error('A relationship command left no relationship');
    return view;
  }
}
