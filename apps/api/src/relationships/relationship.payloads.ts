import { Field, ObjectType } from '@nestjs/graphql';
import { MutationPayload } from '../write/mutation-payload';
import { MeetingModel, MentoringPromiseModel, RelationshipModel } from './relationship.model';

@ObjectType()
export class RelationshipPayload extends MutationPayload {
  @Field(() => RelationshipModel)
  relationship!: RelationshipModel;
}

@ObjectType()
export class PromisePayload extends MutationPayload {
  @Field(() => MentoringPromiseModel)
  promise!: MentoringPromiseModel;

  @Field(() => RelationshipModel)
  relationship!: RelationshipModel;
}

@ObjectType()
export class MeetingPayload extends MutationPayload {
  @Field(() => MeetingModel)
  meeting!: MeetingModel;

  @Field(() => RelationshipModel)
  relationship!: RelationshipModel;
}
