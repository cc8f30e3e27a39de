import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canReadPrivateContent } from '@trustline/access';
import { PersonalData } from '@trustline/event-store';
import { callerOf } from '../auth/access-context';
import { ScopeFacts } from '../auth/scope-facts.service';
import { MeetingStatus, PromiseStatus } from '../graphql/enums';
import { Access, Authorize } from '../auth/authorize.decorator';
import type { RequestContext } from '../auth/request-context';
import { ParticipantModel } from '../participants/participant.model';
import { ProgramModel } from '../programs/program.model';
import { MeetingModel, MentoringPromiseModel, RelationshipModel } from './relationship.model';

@Resolver(() => RelationshipModel)
export class RelationshipResolver {
  @Query(() => RelationshipModel, { nullable: true })
  @Authorize(Access.relationship('id'))
  async relationship(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    const view = await context.loaders.relationship.load(id);
    return view && RelationshipModel.from(view, context.now);
  }

  @ResolveField(() => ProgramModel)
  async program(@Parent() relationship: RelationshipModel, @Context() context: RequestContext) {
    const view = await context.loaders.program.load(relationship.state.programId);
    return view && ProgramModel.from(view);
  }

  @ResolveField(() => ParticipantModel)
  async mentor(@Parent() relationship: RelationshipModel, @Context() context: RequestContext) {
    const view = await context.loaders.participant.load(relationship.state.mentorId);
    return view && ParticipantModel.fromView(view);
  }

  @ResolveField(() => ParticipantModel)
  async mentee(@Parent() relationship: RelationshipModel, @Context() context: RequestContext) {
    const view = await context.loaders.participant.load(relationship.state.menteeId);
    return view && ParticipantModel.fromView(view);
  }

  @ResolveField(() => [MentoringPromiseModel])
  promises(
    @Parent() relationship: RelationshipModel,
    @Args('status', { type: () => PromiseStatus, nullable: true }) status: PromiseStatus | null,
  ) {
    return relationship.state.promises
      .map((promise) => MentoringPromiseModel.from(promise, relationship.now, relationship.state))
      .filter((promise) => !status || promise.status === status);
  }

  @ResolveField(() => [MeetingModel])
  meetings(
    @Parent() relationship: RelationshipModel,
    @Args('status', { type: () => MeetingStatus, nullable: true }) status: MeetingStatus | null,
  ) {
    return relationship.state.meetings.map(MeetingModel.from).filter((meeting) => !status || meeting.status === status);
  }
}

/** Private content: a promise's description is null for a program manager, and for everyone once a party is erased. */
@Resolver(() => MentoringPromiseModel)
export class MentoringPromiseResolver {
  constructor(
    private readonly facts: ScopeFacts,
    private readonly personalData: PersonalData,
  ) {}

  @ResolveField(() => String, { nullable: true })
  async description(
    @Parent() promise: MentoringPromiseModel,
    @Context() context: RequestContext,
  ): Promise<string | null> {
    const caller = await callerOf(context, this.facts);
    // Stored sealed under the relationship's key: opened only for a caller who may read it, null once a party is erased.
    return canReadPrivateContent(caller, promise.relationship) ? this.personalData.reveal(promise.description) : null;
  }
}
