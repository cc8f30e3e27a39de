import { Inject, Injectable } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { CLOCK, type Clock } from '@trustline/command-handling';
import { deriveEvidence, TRUST_DIRECTIONS, trustTrajectory } from '@trustline/domain';
import { parseStreamName } from '@trustline/event-store';
import { ReadModels } from '@trustline/projections';
import { PubSub } from 'graphql-subscriptions';
import { canReadTrust, type RelationshipFacts } from '@trustline/access';
import { knownCallerOf } from '../auth/access-context';
import { Access, Authorize } from '../auth/authorize.decorator';
import type { RequestContext } from '../graphql/request-context';
import { TrustDirection } from '../graphql/enums';
import { Metrics } from '../metrics/metrics.service';
import { EventsProjected } from '../projections/events-projected.event';
import { ProgramTrustChangeModel, TrustPointModel } from './trust.models';

const TRUST_CHANGED = 'trustChanged';

interface TrustChange {
  relationshipId: string;
  programId: string;
  /** The relationship's program and parties: which subscribers may receive the point. */
  relationship: RelationshipFacts;
  direction: TrustDirection;
  point: TrustPointModel;
}

/** In-process fan-out: each API replica publishes what its own projections committed. */
@Injectable()
export class TrustChanges extends PubSub {
  constructor(private readonly metrics: Metrics) {
    super();
  }

  // Each subscription subscribes once and unsubscribes when it ends (client, server or a dropped socket).
  override async subscribe(...args: Parameters<PubSub['subscribe']>): Promise<number> {
    const id = await super.subscribe(...args);
    this.metrics.subscriptions.inc();
    return id;
  }

  override unsubscribe(id: number): void {
    super.unsubscribe(id);
    this.metrics.subscriptions.dec();
  }

  /** Whether a subscription listens: deriving the points to publish is costly, and pointless without one. */
  isListenedTo(): boolean {
    return this.ee.listenerCount(TRUST_CHANGED) > 0;
  }
}

/**
 * After a batch is projected (never before), publishes the trajectory point
 * each new stored event produced, in each direction it touched. Points that a
 * back-dated event recomputed are not re-published (the contract's rule).
 */
@EventsHandler(EventsProjected)
export class TrustChangePublisher implements IEventHandler<EventsProjected> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly changes: TrustChanges,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle({ events }: EventsProjected): Promise<void> {
    // Every write is followed by a batch: without a subscriber, its trajectory is not derived (bench:write profile).
    if (!this.changes.isListenedTo()) return;
    const byRelationship = new Map<string, Set<string>>();
    for (const event of events) {
      const stream = parseStreamName(event.streamId);
      if (stream?.type !== 'relationship') continue;
      byRelationship.set(stream.id, (byRelationship.get(stream.id) ?? new Set()).add(event.id));
    }
    // A batch has no request: its points are derived as of when it was projected.
    const now = this.clock.now();
    for (const [relationshipId, eventIds] of byRelationship) {
      const relationship = this.readModels.getRelationship(relationshipId);
      if (!relationship) continue;
      const evidence = deriveEvidence(this.readModels.relationshipFacts(relationshipId), now);
      for (const direction of TRUST_DIRECTIONS) {
        for (const point of trustTrajectory(evidence, direction)) {
          if (!point.cause || !eventIds.has(point.cause.eventId)) continue;
          const change: TrustChange = {
            relationshipId,
            programId: relationship.programId,
            relationship: {
              relationshipId: relationship.relationshipId,
              programId: relationship.programId,
              mentorId: relationship.mentorId,
              menteeId: relationship.menteeId,
            },
            direction: direction as TrustDirection,
            point: TrustPointModel.from(point, direction as TrustDirection),
          };
          await this.changes.publish(TRUST_CHANGED, change);
        }
      }
    }
  }
}

/**
 * Whether this subscriber may receive this point: its token has not expired
 * (the connection closes at `exp`; nothing is delivered after it), and the
 * policy lets it read the point's direction (a participant: the trust it places).
 */
async function mayReceive(change: TrustChange, context: RequestContext): Promise<boolean> {
  if (context.auth.kind !== 'viewer' || context.auth.expiresAt <= Date.now()) return false;
  const caller = await knownCallerOf(context);
  return caller !== undefined && canReadTrust(caller, change.relationship, change.direction);
}

@Resolver()
export class TrustSubscriptionResolver {
  constructor(private readonly changes: TrustChanges) {}

  @Subscription(() => TrustPointModel, {
    description: 'A new trajectory point for one relationship (either direction), after it is projected.',
    filter: (change: TrustChange, args: { relationshipId: string }, context: RequestContext) =>
      change.relationshipId === args.relationshipId.toLowerCase() && mayReceive(change, context),
    resolve: (change: TrustChange) => change.point,
  })
  @Authorize(Access.relationshipSubscription('relationshipId'))
  trustChanged(@Args('relationshipId', { type: () => ID }) _relationshipId: string) {
    return this.changes.asyncIterableIterator(TRUST_CHANGED);
  }

  @Subscription(() => ProgramTrustChangeModel, {
    description: 'The same, for every relationship of a program; `relationshipId` names which.',
    filter: (change: TrustChange, args: { programId: string }, context: RequestContext) =>
      change.programId === args.programId.toLowerCase() && mayReceive(change, context),
    resolve: (change: TrustChange) => change,
  })
  @Authorize(Access.programSubscription('programId'))
  programTrustChanged(@Args('programId', { type: () => ID }) _programId: string) {
    return this.changes.asyncIterableIterator(TRUST_CHANGED);
  }
}
