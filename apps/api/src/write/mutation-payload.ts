import { Field, ObjectType } from '@nestjs/graphql';

// Every payload carries the commit position and whether the caller's own read
// models had reached it when the mutation answered. Each feature declares its
// payloads beside its models, extending this.
@ObjectType({ isAbstract: true })
export abstract class MutationPayload {
  @Field()
  position!: string;

  @Field()
  projected!: boolean;
}
