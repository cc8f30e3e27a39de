import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { MAX_PAGE_SIZE } from '@trustline/projections';
import { apiError } from '../graphql/api-errors';
import type { RequestContext } from '../graphql/request-context';
import { ParticipantResolver } from '../participants/participant.resolver';
import { ProgramResolver } from '../programs/program.resolver';
import { RelationshipResolver } from '../relationships/relationship.resolver';
import type { NodeInterface } from './node.interface';
import { NodeInterface as NodeType } from './node.interface';

/** The most ids one `nodes` call may ask for: as many as one page of any list holds. */
export const MAX_NODE_IDS = MAX_PAGE_SIZE;

type Lookup = (id: string, context: RequestContext) => Promise<NodeInterface | null> | NodeInterface | null;

/**
 * `node(id)` and `nodes(ids)` answer through the very root fields a client
 * would otherwise call (`relationship(id)`, `program(id)`, `participant(id)`),
 * so whatever those check or refuse applies here identically: a refusal of one
 * element is that element's error (null, with the error at its path).
 */
@Resolver()
export class NodeResolver {
  /** Tried in turn; the first that finds the id answers. Most refetches are of relationships. */
  private readonly lookups: readonly Lookup[];

  constructor(programs: ProgramResolver, participants: ParticipantResolver, relationships: RelationshipResolver) {
    this.lookups = [
      (id, context) => relationships.relationship(id, context),
      (id, context) => programs.program(id, context),
      (id, context) => participants.participant(id, context),
    ];
  }

  @Query(() => NodeType, { nullable: true })
  node(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext): Promise<NodeInterface | null> {
    return this.find(id, context);
  }

  @Query(() => [NodeType], { nullable: 'items' })
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

  /** One element: all its lookups, each batched across the elements by the request's loaders. */
  private async find(id: string, context: RequestContext): Promise<NodeInterface | null> {
    for (const lookup of this.lookups) {
      const found = await lookup(id, context);
      if (found) return found;
    }
    return null;
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
