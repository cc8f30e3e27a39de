import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canReadProgramAnalytics, canReadTrustDirection } from '@trustline/access';
import { cadenceAsOf, summaryScore, trustTrajectory } from '@trustline/domain';
import type { RelationshipView } from '@trustline/projections';
import { callerOf, enforce } from '../auth/access-context';
import { ScopeFacts } from '../auth/scope-facts.service';
import { boundedTrendRange } from '../graphql/query-cost';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { TrendBucket, TrustDirection } from '../graphql/enums';
import { PAGE_SIZES } from '../graphql/page-sizes';
import type { RequestContext } from '../auth/request-context';
import { ProgramModel } from '../programs/program.model';
import { RelationshipModel } from '../relationships/relationship.model';
import { Views } from '../views/views.service';
import { CadenceModel, TrendPointModel, TrustPointModel, TrustScoreModel } from './trust.models';

const DIRECTION = { type: () => TrustDirection, defaultValue: TrustDirection.MENTEE_IN_MENTOR, nullable: true };
// An explicit null takes the default too.
const directionOr = (direction: TrustDirection | null) => direction ?? TrustDirection.MENTEE_IN_MENTOR;
const INSTANT = { type: () => DateTimeScalar, nullable: true };

/** A relationship's trust, trajectory and cadence, computed from its evidence by the policy v1 engine. */
@Resolver(() => RelationshipModel)
export class RelationshipTrustResolver {
  constructor(private readonly facts: ScopeFacts) {}

  /** A participant reads only the trust it places: the other direction is refused at its path. */
  @ResolveField(() => TrustScoreModel)
  async trust(
    @Parent() relationship: RelationshipModel,
    @Args('direction', DIRECTION) direction: TrustDirection | null,
    @Args('asOf', INSTANT) asOf: string | null,
    @Context() context: RequestContext,
  ) {
    const measured = directionOr(direction);
    enforce(canReadTrustDirection(await callerOf(context, this.facts), relationship.state, measured));
    const summary = await context.loaders.summary.load(relationship.id);
    return TrustScoreModel.from(summaryScore(summary, measured, asOf ?? relationship.now));
  }

  @ResolveField(() => [TrustPointModel])
  async trustTrajectory(
    @Parent() relationship: RelationshipModel,
    @Args('direction', DIRECTION) direction: TrustDirection | null,
    @Args('from', INSTANT) from: string | null,
    @Args('to', INSTANT) to: string | null,
    @Context() context: RequestContext,
  ) {
    const measured = directionOr(direction);
    enforce(canReadTrustDirection(await callerOf(context, this.facts), relationship.state, measured));
    const evidence = await context.loaders.evidence.load(relationship.id);
    return trustTrajectory(evidence, measured, { from: from ?? undefined, to: to ?? undefined }).map((point) =>
      TrustPointModel.from(point, measured),
    );
  }

  @ResolveField(() => CadenceModel)
  async cadence(
    @Parent() relationship: RelationshipModel,
    @Args('asOf', INSTANT) asOf: string | null,
    @Context() context: RequestContext,
  ) {
    const summary = await context.loaders.summary.load(relationship.id);
    return CadenceModel.from(cadenceAsOf(summary, asOf ?? relationship.now));
  }
}

/** Program-wide trends and the relationships that need attention; scores only, never private content. */
@Resolver(() => ProgramModel)
export class ProgramTrustResolver {
  constructor(
    private readonly views: Views,
    private readonly facts: ScopeFacts,
  ) {}

  @ResolveField(() => [TrendPointModel], {
    description:
      "Buckets from `from` (default: launch) to `to` (default: now); each bucket's figures are computed as of the bucket's end.",
  })
  async trustTrend(
    @Parent() program: ProgramModel,
    @Args('bucket', { type: () => TrendBucket, defaultValue: TrendBucket.WEEK, nullable: true })
    bucket: TrendBucket | null,
    @Args('from', INSTANT) from: string | null,
    @Args('to', INSTANT) to: string | null,
    @Context() context: RequestContext,
  ) {
    enforce(canReadProgramAnalytics(await callerOf(context, this.facts), { programId: program.id }));
    const chosen = bucket ?? TrendBucket.WEEK;
    const range = boundedTrendRange(chosen, { from, to }, program.launchedAt, context.now);
    return this.views.programTrend(program, { bucket: chosen, ...range }, context.now).map(TrendPointModel.from);
  }

  @ResolveField(() => [RelationshipModel], {
    description: 'Relationships whose band is AT_RISK or FRAGILE, or whose cadence needs a check-in, worst first.',
  })
  async atRisk(
    @Parent() program: ProgramModel,
    @Args('asOf', INSTANT) asOf: string | null,
    @Args('first', { type: () => Int, defaultValue: PAGE_SIZES.defaultFirst, nullable: true }) first: number | null,
    @Context() context: RequestContext,
  ) {
    enforce(canReadProgramAnalytics(await callerOf(context, this.facts), { programId: program.id }));
    const ids = this.views.atRisk(program.id, asOf, first ?? PAGE_SIZES.defaultFirst, context.now);
    return (await context.loaders.relationship.loadMany(ids))
      .filter((view): view is RelationshipView => view !== null && !(view instanceof Error))
      .map((view) => RelationshipModel.from(view, context.now));
  }
}
