import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsEnum } from 'class-validator';
import { EndedBy, EndReason, MeetingMode, Motive, Party } from '../graphql/enums';
import {
  BoundedIntField,
  Defaulted,
  DateTimeField,
  DescriptionField,
  FreeTextField,
  IdempotencyKeyField,
  INPUT_LIMITS,
  OccurredAtField,
  UuidField,
} from '../graphql/input-rules';

// Every relationship mutation's input: the contract's fields, each with its bound.

@InputType({ isAbstract: true })
abstract class RecordedFactInput {
  @OccurredAtField()
  occurredAt?: string | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}

@InputType({ isAbstract: true })
abstract class RelationshipFactInput extends RecordedFactInput {
  @UuidField()
  relationshipId!: string;
}

@InputType()
export class StartRelationshipInput extends RecordedFactInput {
  @UuidField()
  programId!: string;

  @UuidField()
  mentorId!: string;

  @UuidField()
  menteeId!: string;

  @BoundedIntField(INPUT_LIMITS.cadenceDays, { nullable: true })
  cadenceDays?: number | null;
}

@InputType()
export class AssessMentorMotivesInput extends RelationshipFactInput {
  @Field(() => Motive)
  @IsEnum(Motive)
  primaryMotive!: Motive;

  @Field()
  @IsBoolean()
  menteeDevelopmentFirst!: boolean;

  @FreeTextField()
  note?: string | null;
}

@InputType()
export class MakePromiseInput extends RelationshipFactInput {
  @Field(() => Party)
  @IsEnum(Party)
  promisor!: Party;

  @DescriptionField()
  description!: string;

  @DateTimeField()
  dueAt!: string;
}

@InputType()
export class RenegotiatePromiseInput extends RelationshipFactInput {
  @UuidField()
  promiseId!: string;

  @DateTimeField()
  newDueAt!: string;
}

@InputType()
export class KeepPromiseInput extends RelationshipFactInput {
  @UuidField()
  promiseId!: string;
}

@InputType()
export class BreakPromiseInput extends RelationshipFactInput {
  @UuidField()
  promiseId!: string;

  @FreeTextField()
  reason?: string | null;
}

@InputType()
export class ScheduleMeetingInput extends RelationshipFactInput {
  @DateTimeField()
  startsAt!: string;

  @BoundedIntField(INPUT_LIMITS.minutes, { defaultValue: 60 })
  durationMinutes: number = 60;

  @Field(() => MeetingMode, { defaultValue: MeetingMode.VIRTUAL, nullable: true })
  @Defaulted(MeetingMode.VIRTUAL)
  @IsEnum(MeetingMode)
  mode: MeetingMode = MeetingMode.VIRTUAL;

  @Field(() => Party)
  @IsEnum(Party)
  scheduledBy!: Party;
}

@InputType()
export class RescheduleMeetingInput extends RelationshipFactInput {
  @UuidField()
  meetingId!: string;

  @DateTimeField()
  newStartsAt!: string;

  @Field(() => Party)
  @IsEnum(Party)
  by!: Party;
}

@InputType()
export class CancelMeetingInput extends RelationshipFactInput {
  @UuidField()
  meetingId!: string;

  @Field(() => Party)
  @IsEnum(Party)
  by!: Party;

  @FreeTextField()
  reason?: string | null;
}

@InputType()
export class RecordMeetingHeldInput extends RelationshipFactInput {
  @UuidField()
  meetingId!: string;

  @DateTimeField({ nullable: true })
  startedAt?: string | null;

  @BoundedIntField(INPUT_LIMITS.minutes, { nullable: true })
  durationMinutes?: number | null;

  @BoundedIntField(INPUT_LIMITS.minutesLate, { defaultValue: 0 })
  mentorMinutesLate: number = 0;

  @BoundedIntField(INPUT_LIMITS.minutesLate, { defaultValue: 0 })
  menteeMinutesLate: number = 0;
}

@InputType()
export class RecordMeetingMissedInput extends RelationshipFactInput {
  @UuidField()
  meetingId!: string;

  @Field(() => [Party])
  @ArrayMinSize(1, { message: 'needs at least one absent party' })
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsEnum(Party, { each: true })
  absent!: Party[];
}

@InputType()
export class SubmitTrustCheckInInput extends RelationshipFactInput {
  @Field(() => Party)
  @IsEnum(Party)
  respondent!: Party;

  @BoundedIntField(INPUT_LIMITS.rating)
  ability!: number;

  @BoundedIntField(INPUT_LIMITS.rating)
  benevolence!: number;

  @BoundedIntField(INPUT_LIMITS.rating)
  integrity!: number;

  @BoundedIntField(INPUT_LIMITS.rating, { nullable: true })
  openness?: number | null;

  @BoundedIntField(INPUT_LIMITS.rating, { nullable: true })
  organization?: number | null;
}

@InputType()
export class PauseRelationshipInput extends RelationshipFactInput {
  @DateTimeField({ nullable: true })
  until?: string | null;

  @FreeTextField()
  reason?: string | null;
}

@InputType()
export class ResumeRelationshipInput extends RelationshipFactInput {}

@InputType()
export class EndRelationshipInput extends RelationshipFactInput {
  @Field(() => EndedBy)
  @IsEnum(EndedBy)
  endedBy!: EndedBy;

  @Field(() => EndReason)
  @IsEnum(EndReason)
  reason!: EndReason;

  @Field()
  @IsBoolean()
  planned!: boolean;
}
