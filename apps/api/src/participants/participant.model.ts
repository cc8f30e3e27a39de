import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { ParticipantState } from '@trustline/domain';
import type { ParticipantView } from '@trustline/projections';
import { ParticipantRole } from '../graphql/enums';
import { NodeInterface } from '../graphql/node.interface';

/** What `displayName` answers once a participant is erased (schema.graphql, authorization.md §5). */
export const ERASED_DISPLAY_NAME = 'Erased participant';

@ObjectType('Participant', { implements: () => [NodeInterface] })
export class ParticipantModel implements NodeInterface {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  programId!: string;

  @Field(() => ParticipantRole)
  role!: ParticipantRole;

  /** As stored (sealed); the resolver reveals it, or answers ERASED_DISPLAY_NAME once erased. */
  @Field()
  displayName!: string;

  @Field()
  erased!: boolean;

  // Resolved per caller (ParticipantResolver.email): the program's staff and the participant itself read it.
  @Field(() => String, {
    nullable: true,
    description: 'Null where the caller may not see it (authorization.md), and once erased.',
  })
  email!: string | null;

  static from(state: Extract<ParticipantState, { status: 'registered' }>): ParticipantModel {
    return Object.assign(new ParticipantModel(), {
      id: state.participantId,
      programId: state.programId,
      role: state.role as ParticipantRole,
      displayName: state.displayName,
      erased: state.erased,
    });
  }

  /** The read model keeps no email (it has a table of its own): `email` is resolved per caller. */
  static fromView(view: ParticipantView): ParticipantModel {
    return ParticipantModel.from({ ...view, email: null });
  }
}
