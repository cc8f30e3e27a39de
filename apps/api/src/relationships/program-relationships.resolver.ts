import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canReadRelationship } from '@trustline/access';
import type { RelationshipView } from '@trustline/projections';
import { callerOf } from '../auth/access-context';
import type { RequestContext } from '../auth/request-context';
import { ScopeFacts } from '../auth/scope-facts.service';
import { BEFORE, LAST, mapPage } from '../graphql/connection';
import { RelationshipStatus, TrustBand } from '../graphql/enums';
import { PAGE_SIZES } from '../graphql/page-sizes';
import { ProgramModel } from '../programs/program.model';
import { Views } from '../views/views.service';
import { RelationshipConnection, RelationshipModel } from './relationship.model';

/** `Program.relationships`: the relationships feature adds its list to the program it builds on. */
@Resolver(() => ProgramModel)
export class ProgramRelationshipsResolver {
  constructor(
    private readonly views: Views,
    private readonly facts: ScopeFacts,
  ) {}

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
    const visible = (relationship: RelationshipView) => canReadRelationship(caller, relationship).outcome === 'allow';
    const { page, totalCount } = this.views.relationshipsOfProgram(
      program.id,
      { status, band, first, after, last, before, visible },
      context.now,
    );
    return RelationshipConnection.from(
      mapPage(page, (view) => RelationshipModel.from(view, context.now)),
      totalCount,
    );
  }
}
