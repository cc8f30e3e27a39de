import { Field, ObjectType } from '@nestjs/graphql';
import { MutationPayload } from '../write/mutation-payload';
import { ProgramModel } from './program.model';

@ObjectType()
export class ProgramPayload extends MutationPayload {
  @Field(() => ProgramModel)
  program!: ProgramModel;
}
