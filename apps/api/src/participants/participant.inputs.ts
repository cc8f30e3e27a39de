import { Field, InputType } from '@nestjs/graphql';
import { IsEmail, IsEnum, IsOptional, MaxLength } from 'class-validator';
import { ParticipantRole } from '../graphql/enums';
import { IdempotencyKeyField, NameField, OccurredAtField, UuidField } from '../graphql/input-rules';

const MAX_EMAIL_LENGTH = 254;

@InputType()
export class RegisterParticipantInput {
  @UuidField()
  programId!: string;

  @Field(() => ParticipantRole)
  @IsEnum(ParticipantRole)
  role!: ParticipantRole;

  @NameField()
  displayName!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(MAX_EMAIL_LENGTH)
  email?: string | null;

  @OccurredAtField()
  occurredAt?: string | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}

const MAX_ERASURE_REASON_LENGTH = 500;

@InputType()
export class EraseParticipantInput {
  @UuidField()
  participantId!: string;

  /** Why (a ticket, a request's date): recorded in the erasure event, so it must not itself hold personal data. */
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_ERASURE_REASON_LENGTH)
  reason?: string | null;

  @OccurredAtField()
  occurredAt?: string | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}
