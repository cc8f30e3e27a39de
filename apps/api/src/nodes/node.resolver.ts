import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import type { AccessDecision } from '@trustline/access';
import { MAX_PAGE_SIZE } from '@trustline/projections';
import { callerOf, canReadEntity, type EntityKind, refusalOf } from '../auth/access-context';
import { Access, Authorize } from '../auth/authorize.decorator';
import { ScopeFacts } from '../auth/scope-facts.service';
import { apiError } from '../graphql/api-errors';
import type { RequestContext } from '../graphql/request-context';
import { ParticipantResolver } from '../participants/participant.resolver';
import { ProgramResolver } from '../programs/program.resolver';
import { RelationshipResolver } from '../relationships/relationship.resolver';
import type { NodeInterface } from './node.interface';
import { NodeInterface as NodeType } from './node.interface';

/** The most ids one `nodes` call may ask for: as many as one page of any list holds. */
export const MAX_NODE_IDS = MAX_PAGE_SIZE;

interface Lookup {
  kind: EntityKind;
  load(id: string, context: RequestContext): Promise<NodeInterface | null> | NodeInterface | null;
}

/** Asks the access policy about one entity: the same decision its own root field's guard takes. */
type EntityCheck = (kind: EntityKind, id: string, context: RequestContext) => Promise<AccessDecision>;

/**
 * `node(id)` and `nodes(ids)` answer through the very lookups of the root
 * fields a client would otherwise call (`relationship(id)`, `program(id)`,
 * `participant(id)`) and the same access decision (`canReadEntity`, which
 * their guard takes before they run), so each element is allowed or refused
 * exactly as that root field would be: a refused element is null with a
 * FORBIDDEN error at its path, the others still answer.
 */
@Resolver()
export class NodeResolver {
  /** Tried in turn; the first that finds the id answers. Most refetches are of relationships. */
  private readonly lookups: readonly Lookup[];
  private readonly check: EntityCheck;

  constructor(
    programs: ProgramResolver,
    participants: ParticipantResolver,
    relationships: RelationshipResolver,
    facts: ScopeFacts,
  ) {
    this.lookups = [
      { kind: 'relationship', load: (id, context) => relationships.relationship(id, context) },
      { kind: 'program', load: (id, context) => programs.program(id, context) },
      { kind: 'participant', load: (id, context) => participants.participant(id, context) },
    ];
    this.check = async (kind, id, context) => canReadEntity(await callerOf(context, facts), facts, kind, id);
  }

  @Query(() => NodeType, { nullable: true })
  @Authorize(Access.perElement)
  node(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext): Promise<NodeInterface | null> {
    return this.find(id, context);
  }

  @Query(() => [NodeType], { nullable: 'items' })
  @Authorize(Access.perElement)
  nodes(
    @Args('ids', { type: () => [ID] }) ids: string[],
    @Context() context: RequestContext,
  ): Promise<(NodeInterface | Error | null)[]> {
    if (ids.length > MAX_NODE_IDS) {
      throw apiError('BAD_USER_INPUT', `nodes takes at most ${MAX_NODE_IDS} ids`, {
        violations: [{ field: 'ids', message: `must hold at most ${MAX_NODE_IDS} ids` }],
      });
    }
    // An Error in a list is reported by GraphQL at that element's path, the element null; the others still answer.
    return Promise.all(ids.map((id) => this.find(id, context).catch((error: unknown) => asError(error))));
  }

  /** One element: its lookups (each batched across elements by the request's loaders), then the policy's one call. */
  private async find(id: string, context: RequestContext): Promise<NodeInterface | null> {
    for (const lookup of this.lookups) {
      const found = await lookup.load(id, context);
      if (!found) continue;
      const refusal = refusalOf(await this.check(lookup.kind, id, context));
      if (refusal) throw refusal;
      return found;
    }
    // Found by no type. A refusal must not tell what exists: unless the caller may know that an id of
    // some type is unknown (as ADMIN may), it is refused as every root field refuses an id outside its scope.
    const decisions = await Promise.all(this.lookups.map((lookup) => this.check(lookup.kind, id, context)));
    const refusals = decisions.map(refusalOf);
    if (refusals.every((refusal) => refusal !== null)) throw refusals[0]!;
    return null;
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
