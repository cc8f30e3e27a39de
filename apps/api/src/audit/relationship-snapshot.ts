import { Args, Context, Field, ID, Int, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canReadTrustDirection, type RelationshipFacts } from '@trustline/access';
import { callerOf, enforce } from '../auth/access-context';
import { ScopeFacts } from '../auth/scope-facts.service';
import type { RequestContext } from '../auth/request-context';
import { Inject } from '@nestjs/common';
import { type RelationshipEvidence, type RelationshipFact, toMillis, trustScore } from '@trustline/domain';
import { EVENT_STORE, type EventStore, readStreamFacts, streamName } from '@trustline/event-store';
import { relationshipSnapshot } from '@trustline/projections';
import { Access, Authorize } from '../auth/authorize.decorator';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { RelationshipStatus, TrustDirection } from '../graphql/enums';
import { MeetingModel, MentoringPromiseModel } from '../relationships/relationship.model';
import { TrustScoreModel } from '../trust/trust.models';

@ObjectType('RelationshipSnapshot', {
  description:
    'The relationship rebuilt from its own stream: facts whose effective instant (trust-model-v1.md) is <= at, and, when knownAt is given, whose recordedAt <= knownAt; time-triggered rules up to at count.',
})
export class RelationshipSnapshotModel {
  @Field(() => ID) relationshipId!: string;
  @Field(() => DateTimeScalar) at!: string;
  @Field(() => DateTimeScalar, { nullable: true }) knownAt!: string | null;
  @Field(() => Int) eventsApplied!: number;
  @Field(() => RelationshipStatus) status!: RelationshipStatus;
  @Field(() => [MentoringPromiseModel]) promises!: MentoringPromiseModel[];
  @Field(() => [MeetingModel]) meetings!: MeetingModel[];
  evidence!: RelationshipEvidence;
  /** Its program and parties: who may read which trust direction. */
  relationship!: RelationshipFacts;
}

// Auditors' time travel reads the stream itself, never a read model.
@Resolver(() => RelationshipSnapshotModel)
export class RelationshipSnapshotResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly facts: ScopeFacts,
  ) {}

  @Query(() => RelationshipSnapshotModel, { nullable: true })
  @Authorize(Access.relationship('relationshipId'))
  async relationshipAsOf(
    @Args('relationshipId', { type: () => ID }) relationshipId: string,
    @Args('at', { type: () => DateTimeScalar }) at: string,
    @Args('knownAt', { type: () => DateTimeScalar, nullable: true }) knownAt: string | null,
  ): Promise<RelationshipSnapshotModel | null> {
    const snapshot = relationshipSnapshot(await this.factsOf(relationshipId), at, knownAt);
    if (snapshot === null) return null;
    const atMs = toMillis(at);
    return Object.assign(new RelationshipSnapshotModel(), {
      relationshipId: snapshot.relationshipId,
      at,
      knownAt,
      eventsApplied: snapshot.eventsApplied,
      status: snapshot.status as RelationshipStatus,
      promises: snapshot.state.promises.map((promise) => MentoringPromiseModel.from(promise, atMs, snapshot.state)),
      meetings: snapshot.state.meetings.map(MeetingModel.from),
      evidence: snapshot.evidence,
      relationship: snapshot.state,
    });
  }

  @ResolveField(() => TrustScoreModel)
  async trust(
    @Parent() snapshot: RelationshipSnapshotModel,
    @Args('direction', { type: () => TrustDirection, defaultValue: TrustDirection.MENTEE_IN_MENTOR, nullable: true })
    direction: TrustDirection | null,
    @Context() context: RequestContext,
  ) {
    const chosen = direction ?? TrustDirection.MENTEE_IN_MENTOR;
    enforce(canReadTrustDirection(await callerOf(context, this.facts), snapshot.relationship, chosen));
    return TrustScoreModel.from(trustScore(snapshot.evidence, chosen, snapshot.at));
  }

  private async factsOf(relationshipId: string): Promise<RelationshipFact[]> {
    return readStreamFacts(this.store, streamName('relationship', relationshipId), 'relationship');
  }
}
