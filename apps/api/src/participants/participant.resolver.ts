import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canReadParticipantEmail } from '@trustline/access';
import { ReadModels } from '@trustline/projections';
import { callerOf } from '../auth/access-context';
import { ScopeFacts } from '../auth/scope-facts.service';
import { Access, Authorize } from '../auth/authorize.decorator';
import type { RequestContext } from '../auth/request-context';
import { MutationRunner } from '../write/mutation-runner';
import { ParticipantPayload } from './participant.payloads';
import { ExecuteParticipantCommand } from '../write/stream-commands';
import { RegisterParticipantInput } from './participant.inputs';
import { ParticipantModel } from './participant.model';

@Resolver(() => ParticipantModel)
export class ParticipantResolver {
  constructor(
    private readonly mutations: MutationRunner,
    private readonly facts: ScopeFacts,
    private readonly readModels: ReadModels,
  ) {}

  @ResolveField(() => String, { nullable: true })
  async email(@Parent() participant: ParticipantModel, @Context() context: RequestContext): Promise<string | null> {
    const caller = await callerOf(context, this.facts);
    if (!canReadParticipantEmail(caller, { participantId: participant.id, programId: participant.programId })) return null;
    return this.readModels.participantEmail(participant.id);
  }

  @Query(() => ParticipantModel, { nullable: true })
  @Authorize(Access.participant('id'))
  async participant(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    const view = await context.loaders.participant.load(id);
    return view && ParticipantModel.fromView(view);
  }

  @Mutation(() => ParticipantPayload)
  @Authorize(Access.mutation('registerParticipant', { program: 'programId' }))
  async registerParticipant(@Args('input') input: RegisterParticipantInput, @Context() request: RequestContext) {
    const { context, occurredAt } = this.mutations.prepare('registerParticipant', input, request);
    const result = await this.mutations.run(
      new ExecuteParticipantCommand(
        {
          type: 'RegisterParticipant',
          data: {
            participantId: context.identity.entityId('participant'),
            programId: input.programId,
            role: input.role,
            displayName: input.displayName,
            email: input.email ?? null,
            occurredAt,
            program: null, // read by the handler from the program's stream
          },
        },
        context,
      ),
    );
    if (result.state.status !== 'registered') throw new Error('A participant command left no participant');
    return { ...result, participant: ParticipantModel.from(result.state) };
  }
}
