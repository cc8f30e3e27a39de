import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canReadRelationship, visiblePrograms } from '@trustline/access';
import type { ProgramState } from '@trustline/domain';
import { callerOf } from '../auth/access-context';
import { Access, Authorize } from '../auth/authorize.decorator';
import { ScopeFacts } from '../auth/scope-facts.service';
import { BEFORE, LAST } from '../graphql/connection';
import { RelationshipStatus, TrustBand } from '../graphql/enums';
import { PAGE_SIZES } from '../graphql/page-sizes';
import type { RequestContext } from '../graphql/request-context';
import { RelationshipConnection, type RelationshipModel } from '../relationships/relationship.model';
import { MutationRunner } from '../write/mutation-runner';
import { ProgramPayload } from '../write/payloads';
import { ExecuteProgramCommand } from '../write/stream-commands';
import { LaunchProgramInput, RecordProgramCommunicationInput } from './program.inputs';
import { ProgramConnection, ProgramModel } from './program.model';
import { Views } from '../views/views.service';

const launched = (state: ProgramState) => {
  if (state.status !== 'launched') throw new Error('A program command left no program');
  return ProgramModel.from(state);
};

@Resolver(() => ProgramModel)
export class ProgramResolver {
  constructor(
    private readonly mutations: MutationRunner,
    private readonly views: Views,
    private readonly facts: ScopeFacts,
  ) {}

  // Filtered to the caller's programs, never refused; totalCount counts those.
  @Query(() => ProgramConnection)
  @Authorize(Access.perElement)
  async programs(
    @Args('first', { type: () => Int, defaultValue: PAGE_SIZES.defaultFirst, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('last', LAST) last: number | null,
    @Args('before', BEFORE) before: string | null,
    @Context() context: RequestContext,
  ) {
    const visible = visiblePrograms(await callerOf(context, this.facts));
    const { page, totalCount } = this.views.programs({ first, after, last, before }, visible);
    return ProgramConnection.from(page, totalCount);
  }

  @Query(() => ProgramModel, { nullable: true })
  @Authorize(Access.program('id'))
  program(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return context.loaders.program.load(id);
  }

  // Staff see all of the program's relationships, a participant its own; totalCount counts what the caller sees.
  @ResolveField(() => RelationshipConnection)
  async relationships(
    @Parent() program: ProgramModel,
    @Args('status', { type: () => RelationshipStatus, nullable: true }) status: RelationshipStatus | null,
    @Args('band', { type: () => TrustBand, nullable: true }) band: TrustBand | null,
    @Args('first', { type: () => Int, defaultValue: PAGE_SIZES.defaultFirst, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('last', LAST) last: number | null,
    @Args('before', BEFORE) before: string | null,
    @Context() context: RequestContext,
  ) {
    const caller = await callerOf(context, this.facts);
    const visible = (relationship: RelationshipModel) =>
      canReadRelationship(caller, relationship.state).outcome === 'allow';
    const { page, totalCount } = this.views.relationshipsOfProgram(
      program.id,
      { status, band, first, after, last, before, visible },
      context.now,
    );
    return RelationshipConnection.from(page, totalCount);
  }

  @Mutation(() => ProgramPayload)
  @Authorize(Access.mutation('launchProgram'))
  async launchProgram(@Args('input') input: LaunchProgramInput, @Context() request: RequestContext) {
    const { context, occurredAt } = this.mutations.prepare('launchProgram', input, request);
    const result = await this.mutations.run(
      new ExecuteProgramCommand(
        {
          type: 'LaunchProgram',
          data: {
            programId: context.identity.entityId('program'),
            name: input.name,
            cadenceDays: input.cadenceDays,
            sessionMinutes: input.sessionMinutes,
            occurredAt,
          },
        },
        context,
      ),
    );
    return { ...result, program: launched(result.state) };
  }

  @Mutation(() => ProgramPayload)
  @Authorize(Access.mutation('recordProgramCommunication', { program: 'programId' }))
  async recordProgramCommunication(
    @Args('input') input: RecordProgramCommunicationInput,
    @Context() request: RequestContext,
  ) {
    const { context, occurredAt } = this.mutations.prepare('recordProgramCommunication', input, request);
    const result = await this.mutations.run(
      new ExecuteProgramCommand(
        {
          type: 'RecordProgramCommunication',
          data: {
            programId: input.programId,
            communicationId: context.identity.entityId('communication'),
            channel: input.channel,
            summary: input.summary,
            occurredAt,
          },
        },
        context,
      ),
    );
    return { ...result, program: launched(result.state) };
  }
}
