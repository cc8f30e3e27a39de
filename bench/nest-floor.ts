// bench:api's "framework floor": the smallest Nest app that answers the trust read the way Trustline's resolvers
// are shaped (a root field with its `id` argument and the context, a field resolver with its parent, two optional
// arguments and the context, both async), on the same stack (Nest, Fastify, Apollo's Fastify integration, a
// code-first schema), answering a constant. No access guard, no plugins, no logging, no rate limit, no reads: what
// the stack itself costs this query, for diagnosis only (the target is against bare Apollo).
import 'reflect-metadata';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Args,
  Context,
  Field,
  Float,
  GraphQLModule,
  ID,
  ObjectType,
  Parent,
  Query,
  registerEnumType,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

enum TrustBand {
  TOO_EARLY = 'TOO_EARLY',
  HIGH = 'HIGH',
  STEADY = 'STEADY',
  FRAGILE = 'FRAGILE',
  AT_RISK = 'AT_RISK',
}
registerEnumType(TrustBand, { name: 'TrustBand' });

enum TrustDirection {
  MENTEE_IN_MENTOR = 'MENTEE_IN_MENTOR',
  MENTOR_IN_MENTEE = 'MENTOR_IN_MENTEE',
}
registerEnumType(TrustDirection, { name: 'TrustDirection' });

@ObjectType('TrustScore')
class TrustScoreModel {
  @Field(() => Float) score!: number;
  @Field(() => TrustBand) band!: TrustBand;
}

@ObjectType('Relationship')
class RelationshipModel {
  @Field(() => ID) id!: string;
}

interface Constant {
  trust: { score: number; band: TrustBand };
}

let answer: Constant | null = null;

@Resolver(() => RelationshipModel)
class FloorResolver {
  @Query(() => RelationshipModel, { nullable: true })
  async relationship(@Args('id', { type: () => ID }) id: string, @Context() _context: object) {
    return { id };
  }

  @ResolveField(() => TrustScoreModel)
  async trust(
    @Parent() _relationship: RelationshipModel,
    @Args('direction', { type: () => TrustDirection, nullable: true }) _direction: TrustDirection | null,
    @Args('asOf', { type: () => String, nullable: true }) _asOf: string | null,
    @Context() _context: object,
  ) {
    return answer?.trust;
  }
}

@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      path: '/graphql',
      autoSchemaFile: true,
      playground: false,
      graphiql: false,
    }),
  ],
  providers: [FloorResolver],
})
class FloorModule {}

/** Listens on a free port of 127.0.0.1; `constant` is the `relationship` of the answer (`{ trust: { … } }`). */
export async function serveNestFloor(constant: string): Promise<{ port: number; close: () => Promise<void> }> {
  answer = JSON.parse(constant) as Constant;
  const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return { port: Number(new URL(await app.getUrl()).port), close: () => app.close() };
}
