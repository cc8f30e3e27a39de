import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Viewer')
export class ViewerModel {
  @Field()
  subject!: string;

  @Field(() => [String])
  roles!: string[];

  @Field(() => ID, { nullable: true })
  participantId!: string | null;

  @Field(() => [ID])
  programIds!: string[];
}
