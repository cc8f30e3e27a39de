import { Field, ObjectType } from '@nestjs/graphql';
import { MutationPayload } from '../write/mutation-payload';
import { ParticipantModel } from './participant.model';

@ObjectType()
export class ParticipantPayload extends MutationPayload {
  @Field(() => ParticipantModel)
  participant!: ParticipantModel;
}
