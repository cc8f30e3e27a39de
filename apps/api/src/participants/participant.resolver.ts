import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { RequestContext } from '../graphql/request-context';
import { MutationRunner } from '../write/mutation-runner';
import { ParticipantPayload } from '../write/payloads';
import { ExecuteParticipantCommand } from '../write/stream-commands';
import { RegisterParticipantInput } from './participant.inputs';
import { ParticipantModel } from './participant.model';

@Resolver(() => ParticipantModel)
export class ParticipantResolver {
  constructor(private readonly mutations: MutationRunner) {}

  @Query(() => ParticipantModel, { nullable: true })
  participant(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return context.loaders.participant.load(id);
  }

  @Mutation(() => ParticipantPayload)
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
