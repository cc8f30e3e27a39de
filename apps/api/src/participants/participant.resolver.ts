import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canReadParticipantEmail } from '@trustline/access';
import { PersonalData } from '@trustline/event-store';
import { ReadModels } from '@trustline/projections';
import { callerOf } from '../auth/access-context';
import { ScopeFacts } from '../auth/scope-facts.service';
import { Access, Authorize } from '../auth/authorize.decorator';
import type { RequestContext } from '../auth/request-context';
import { MutationRunner } from '../write/mutation-runner';
import { ParticipantPayload } from './participant.payloads';
import { ExecuteParticipantCommand } from '../write/stream-commands';
import { EraseParticipantInput, RegisterParticipantInput } from './participant.inputs';
import { ERASED_DISPLAY_NAME, ParticipantModel } from './participant.model';

@Resolver(() => ParticipantModel)
export class ParticipantResolver {
  constructor(
    private readonly mutations: MutationRunner,
    private readonly facts: ScopeFacts,
    private readonly personalData: PersonalData,
    private readonly readModels: ReadModels,
  ) {}

  @ResolveField(() => String, { nullable: true })
  async email(@Parent() participant: ParticipantModel, @Context() context: RequestContext): Promise<string | null> {
    if (participant.erased) return null;
    const caller = await callerOf(context, this.facts);
    if (!canReadParticipantEmail(caller, { participantId: participant.id, programId: participant.programId }))
      return null;
    return this.personalData.reveal(this.readModels.participantEmail(participant.id));
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

  @Mutation(() => ParticipantPayload, {
    description: "ADMIN only: crypto-shreds the participant's personal data (authorization.md, section 5).",
  })
  @Authorize(Access.mutation('eraseParticipant'))
  async eraseParticipant(@Args('input') input: EraseParticipantInput, @Context() request: RequestContext) {
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
}
