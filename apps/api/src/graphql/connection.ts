import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';

@ObjectType('PageInfo')
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** One page of a list, as the read models (or the audit trail) give it. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Builds the page info of edges shown in list order. */
export function pageInfoOf(
  edges: readonly { cursor: string }[],
  more: { hasNextPage: boolean; hasPreviousPage: boolean },
): PageInfo {
  return { ...more, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
}

/** The backward-pagination arguments every list takes beside `first`/`after` (Relay); `last` wins over `first`. */
export const LAST = {
  type: () => Int,
  nullable: true,
  description: 'The last items of the list, or those just before `before`; takes precedence over `first`.',
};
export const BEFORE = { type: () => String, nullable: true };

/** A Relay connection type named `<name>Connection` with `<name>Edge` edges. */
export function Connection<T>(name: string, node: Type<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  // Concrete connections subclass this with @ObjectType('<name>Connection').
  @ObjectType({ isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;

    static from(page: Page<T>, totalCount: number) {
      return { ...page, totalCount };
    }
  }
  return ConnectionType;
}

/** The same page with each node shaped anew: a read-model view as its GraphQL model. */
export function mapPage<T, U>(page: Page<T>, shape: (node: T) => U): Page<U> {
  return { ...page, edges: page.edges.map((edge) => ({ ...edge, node: shape(edge.node) })) };
}
