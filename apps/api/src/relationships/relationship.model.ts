import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { toMillis } from '@trustline/domain';
import {
  type RelationshipMeeting,
  type RelationshipPromise,
  relationshipStatusAt,
  type RelationshipView,
} from '@trustline/projections';
import type { RelationshipFacts } from '@trustline/access';
import { Connection } from '../graphql/connection';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { EndReason, MeetingMode, MeetingStatus, Party, PromiseStatus, RelationshipStatus } from '../graphql/enums';
import { NodeInterface } from '../nodes/node.interface';

@ObjectType('MentoringPromise')
export class MentoringPromiseModel {
  @Field(() => ID)
  id!: string;

  @Field(() => Party)
  promisor!: Party;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTimeScalar)
  dueAt!: string;

  @Field(() => PromiseStatus)
  status!: PromiseStatus;

  @Field(() => DateTimeScalar, { nullable: true })
  keptAt!: string | null;

  /** Open and past its due date. */
  @Field()
  overdue!: boolean;

  /** The relationship it belongs to (not exposed): who may read its private content. */
  relationship!: RelationshipFacts;

  static from(promise: RelationshipPromise, now: number, relationship: RelationshipFacts): MentoringPromiseModel {
    return Object.assign(new MentoringPromiseModel(), {
      relationship,
      id: promise.id,
      promisor: promise.promisor as Party,
      description: promise.description,
      dueAt: promise.dueAt,
      status: promise.status as PromiseStatus,
      keptAt: promise.keptAt,
      overdue: promise.status === 'OPEN' && now > toMillis(promise.dueAt),
    });
  }
}

@ObjectType('Meeting')
export class MeetingModel {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => Int)
  durationMinutes!: number;

  @Field(() => MeetingMode)
  mode!: MeetingMode;

  @Field(() => MeetingStatus)
  status!: MeetingStatus;

  @Field(() => Party)
  scheduledBy!: Party;

  @Field(() => Party, { nullable: true })
  cancelledBy!: Party | null;

  @Field(() => Float, { nullable: true })
  noticeHours!: number | null;

  static from(meeting: RelationshipMeeting): MeetingModel {
    return Object.assign(new MeetingModel(), {
      id: meeting.id,
      startsAt: meeting.startsAt,
      durationMinutes: meeting.durationMinutes,
      mode: meeting.mode as MeetingMode,
      status: meeting.status as MeetingStatus,
      scheduledBy: meeting.scheduledBy as Party,
      cancelledBy: (meeting.cancelledBy as Party | null) ?? null,
      noticeHours: meeting.status === 'CANCELLED' ? meeting.noticeHours : null,
    });
  }
}

/**
 * A relationship as its stream tells it. `program`, `mentor`, `mentee`,
 * `promises`, `meetings` and the trust fields are resolved from `state`.
 */
@ObjectType('Relationship', { implements: () => [NodeInterface] })
export class RelationshipModel implements NodeInterface {
  @Field(() => ID)
  id!: string;

  @Field(() => RelationshipStatus)
  status!: RelationshipStatus;

  @Field(() => DateTimeScalar)
  startedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  endedAt!: string | null;

  @Field(() => EndReason, { nullable: true })
  endReason!: EndReason | null;

  @Field(() => Int)
  cadenceDays!: number;

  @Field()
  motiveReviewRecommended!: boolean;

  /** The relationship view behind this model (not exposed). */
  state!: RelationshipView;

  /** The instant the view was taken at: decides derived fields such as a pause whose `until` passed. */
  now!: number;

  static from(state: RelationshipView, now: number): RelationshipModel {
    return Object.assign(new RelationshipModel(), {
      id: state.relationshipId,
      status: relationshipStatusAt(state, new Date(now).toISOString()) as RelationshipStatus,
      startedAt: state.startedAt,
      endedAt: state.endedAt,
      endReason: (state.endReason as EndReason | null) ?? null,
      cadenceDays: state.cadenceDays,
      motiveReviewRecommended: state.motiveReviewRecommended,
      state,
      now,
    });
  }
}

@ObjectType('RelationshipConnection')
export class RelationshipConnection extends Connection('Relationship', RelationshipModel) {}
