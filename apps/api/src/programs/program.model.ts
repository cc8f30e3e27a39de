import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ProgramState } from '@trustline/domain';
import { Connection } from '../graphql/connection';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { NodeInterface } from '../nodes/node.interface';

@ObjectType('Program', { implements: () => [NodeInterface] })
export class ProgramModel implements NodeInterface {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  cadenceDays!: number;

  @Field(() => Int)
  sessionMinutes!: number;

  @Field(() => DateTimeScalar)
  launchedAt!: string;

  static from(state: Extract<ProgramState, { status: 'launched' }>): ProgramModel {
    return Object.assign(new ProgramModel(), {
      id: state.programId,
      name: state.name,
      cadenceDays: state.cadenceDays,
      sessionMinutes: state.sessionMinutes,
      launchedAt: state.launchedAt,
    });
  }
}

@ObjectType('ProgramConnection')
export class ProgramConnection extends Connection('Program', ProgramModel) {}
