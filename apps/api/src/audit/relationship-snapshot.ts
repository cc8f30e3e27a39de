import { Args, Field, ID, Int, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import {
  deriveEvidence,
  evolveRelationship,
  factsAsOf,
  initialRelationshipState,
  orderFacts,
  type RelationshipEvidence,
  type RelationshipFact,
  relationshipStatusAt,
  toMillis,
  trustScore,
} from '@trustline/domain';
import { EVENT_STORE, type EventStore, readStreamFacts, streamName } from '@trustline/event-store';
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
}

// Auditors' time travel reads the stream itself, never a read model.
@Resolver(() => RelationshipSnapshotModel)
export class RelationshipSnapshotResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Query(() => RelationshipSnapshotModel, { nullable: true })
  async relationshipAsOf(
    @Args('relationshipId', { type: () => ID }) relationshipId: string,
    @Args('at', { type: () => DateTimeScalar }) at: string,
    @Args('knownAt', { type: () => DateTimeScalar, nullable: true }) knownAt: string | null,
  ): Promise<RelationshipSnapshotModel | null> {
    const facts = factsAsOf(await this.factsOf(relationshipId), at, knownAt ?? undefined);
    const state = orderFacts(facts).reduce(
      (folded, timed) => evolveRelationship(folded, timed.fact.event),
      initialRelationshipState(),
    );
    if (state.status === 'none') return null;
    const atMs = toMillis(at);
    return Object.assign(new RelationshipSnapshotModel(), {
      relationshipId: state.relationshipId,
      at,
      knownAt,
      eventsApplied: facts.length,
      status: relationshipStatusAt(state, at) as RelationshipStatus,
      promises: state.promises.map((promise) => MentoringPromiseModel.from(promise, atMs)),
      meetings: state.meetings.map(MeetingModel.from),
      evidence: deriveEvidence(facts, atMs),
    });
  }

  @ResolveField(() => TrustScoreModel)
  trust(
    @Parent() snapshot: RelationshipSnapshotModel,
    @Args('direction', { type: () => TrustDirection, defaultValue: TrustDirection.MENTEE_IN_MENTOR, nullable: true }) direction: TrustDirection | null,
  ) {
    return TrustScoreModel.from(trustScore(snapshot.evidence, direction ?? TrustDirection.MENTEE_IN_MENTOR, snapshot.at));
  }

  private async factsOf(relationshipId: string): Promise<RelationshipFact[]> {
    return readStreamFacts(this.store, streamName('relationship', relationshipId), 'relationship');
  }
}
