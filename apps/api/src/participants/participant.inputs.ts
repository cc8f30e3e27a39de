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
