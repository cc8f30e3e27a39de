import { Field, ObjectType } from '@nestjs/graphql';
import { MeetingModel, MentoringPromiseModel, RelationshipModel } from '../relationships/relationship.model';
import { ParticipantModel } from '../participants/participant.model';
import { ProgramModel } from '../programs/program.model';

// Every payload carries the commit position and whether the caller's own read
// models had reached it when the mutation answered.
@ObjectType({ isAbstract: true })
abstract class MutationPayload {
  @Field()
  position!: string;

  @Field()
  projected!: boolean;
}

@ObjectType()
export class ProgramPayload extends MutationPayload {
  @Field(() => ProgramModel)
  program!: ProgramModel;
}

@ObjectType()
export class ParticipantPayload extends MutationPayload {
  @Field(() => ParticipantModel)
  participant!: ParticipantModel;
}

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
