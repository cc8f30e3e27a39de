import { InputType } from '@nestjs/graphql';
import {
  BoundedIntField,
  DescriptionField,
  IdempotencyKeyField,
  INPUT_LIMITS,
  NameField,
  OccurredAtField,
  UuidField,
} from '../graphql/input-rules';

@InputType()
export class LaunchProgramInput {
  @NameField()
  name!: string;

  @BoundedIntField(INPUT_LIMITS.cadenceDays, { defaultValue: 14 })
  cadenceDays: number = 14;

  @BoundedIntField(INPUT_LIMITS.minutes, { defaultValue: 60 })
  sessionMinutes: number = 60;

  @OccurredAtField()
  occurredAt?: string | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}

@InputType()
export class RecordProgramCommunicationInput {
  @UuidField()
  programId!: string;

  @NameField()
  channel!: string;

  @DescriptionField()
  summary!: string;

  @OccurredAtField()
  occurredAt?: string | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}
