import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { visiblePrograms } from '@trustline/access';
import type { ProgramState } from '@trustline/domain';
import { callerOf } from '../auth/access-context';
import { Access, Authorize } from '../auth/authorize.decorator';
import { ScopeFacts } from '../auth/scope-facts.service';
import { BEFORE, LAST, mapPage } from '../graphql/connection';
import { PAGE_SIZES } from '../graphql/page-sizes';
import type { RequestContext } from '../auth/request-context';
import { MutationRunner } from '../write/mutation-runner';
import { ProgramPayload } from './program.payloads';
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
    return ProgramConnection.from(mapPage(page, ProgramModel.from), totalCount);
  }

  @Query(() => ProgramModel, { nullable: true })
  @Authorize(Access.program('id'))
  async program(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    const view = await context.loaders.program.load(id);
    return view && ProgramModel.from(view);
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
