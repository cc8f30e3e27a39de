import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PersonalData } from '@trustline/event-store';
import { ReadModels } from '@trustline/projections';
import { optionalViewer, type RequestContext } from '../graphql/request-context';
import { MutationRunner } from '../write/mutation-runner';
import { ParticipantPayload } from '../write/payloads';
import { ExecuteParticipantCommand } from '../write/stream-commands';
import { authorizeErasure, mayReadEmail } from './participant.access';
import { EraseParticipantInput, RegisterParticipantInput } from './participant.inputs';
import { ERASED_DISPLAY_NAME, ParticipantModel } from './participant.model';

@Resolver(() => ParticipantModel)
export class ParticipantResolver {
  constructor(
    private readonly mutations: MutationRunner,
    private readonly personalData: PersonalData,
    private readonly readModels: ReadModels,
  ) {}

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

  @Mutation(() => ParticipantPayload, { description: 'ADMIN only: crypto-shreds the participant\'s personal data (authorization.md, section 5).' })
  async eraseParticipant(@Args('input') input: EraseParticipantInput, @Context() request: RequestContext) {
    authorizeErasure(request);
    const { context, occurredAt } = this.mutations.prepare('eraseParticipant', input, request);
    const result = await this.mutations.run(
      new ExecuteParticipantCommand(
        {
          type: 'EraseParticipant',
          data: {
            participantId: input.participantId.toLowerCase(),
            reason: input.reason ?? null,
            erasedSubjects: [], // found and destroyed by the handler
            legacyPlaintextEvents: 0,
            occurredAt,
          },
        },
        context,
      ),
    );
    if (result.state.status !== 'registered') throw new Error('An erasure left no participant');
    return { ...result, participant: ParticipantModel.from(result.state) };
  }

  @ResolveField(() => String)
  async displayName(@Parent() participant: ParticipantModel): Promise<string> {
    if (participant.erased) return ERASED_DISPLAY_NAME;
    return (await this.personalData.reveal(participant.displayName)) ?? ERASED_DISPLAY_NAME;
  }

  @ResolveField(() => String, { nullable: true, description: 'Null where the caller may not see it (authorization.md), and once erased.' })
  async email(@Parent() participant: ParticipantModel, @Context() request: RequestContext): Promise<string | null> {
    if (participant.erased || !mayReadEmail(optionalViewer(request), participant)) return null;
    return this.personalData.reveal(this.readModels.participantEmail(participant.id));
  }
}
