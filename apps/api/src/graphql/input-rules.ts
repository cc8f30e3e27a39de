import { applyDecorators } from '@nestjs/common';
import { Field, ID, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { CHECK_IN_RATING } from '@trustline/domain';
import { DateTimeScalar } from './date-time.scalar';

// Every input bound of the API, in one place.
export const INPUT_LIMITS = {
  name: { min: 1, max: 200 },
  description: { min: 1, max: 2000 },
  freeText: { max: 2000 },
  idempotencyKey: { min: 1, max: 200 },
  cadenceDays: { min: 1, max: 90 },
  minutes: { min: 15, max: 480 },
  minutesLate: { min: 0, max: 240 },
  rating: CHECK_IN_RATING,
  /** How far in the future `occurredAt` may lie, for clock skew. */
  futureSkewMs: 5 * 60 * 1000,
} as const;

export const UuidField = (options: { nullable?: boolean } = {}) =>
  applyDecorators(
    Field(() => ID, options),
    ...(options.nullable ? [IsOptional()] : []),
    IsUUID('all', { message: 'must be a UUID' }),
  );

// Stored text is shown to people, in terminals and in exports: no NUL, no C0
// or C1 control character (a newline, CR LF and a tab are kept in long free
// text), so no ANSI escape; no lone UTF-16 surrogate, which no encoding can
// write out.
/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;
/* eslint-enable no-control-regex */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` may not be stored as text, or null when it may (the one rule, for every text input). */
export function textFault(value: string, options: { multiline: boolean }): string | null {
  if ((options.multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(value)) {
    return options.multiline
      ? 'must not contain control characters or escape sequences (newlines and tabs are fine)'
      : 'must not contain control characters, escape sequences or line breaks';
  }
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it holds a lone surrogate)';
  return null;
}

function CleanText(options: { multiline: boolean }): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'cleanText',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textFault(value, options) === null,
        defaultMessage: (args) => textFault(String(args?.value), options) ?? 'must be clean text',
      },
    });
}

function NotBlank(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must not be blank' },
      validator: { validate: (value: unknown) => typeof value !== 'string' || value.trim().length > 0 },
    });
}

export const NameField = () =>
  applyDecorators(
    Field(),
    IsString(),
    Length(INPUT_LIMITS.name.min, INPUT_LIMITS.name.max),
    NotBlank(),
    CleanText({ multiline: false }),
  );

export const DescriptionField = () =>
  applyDecorators(
    Field(),
    IsString(),
    Length(INPUT_LIMITS.description.min, INPUT_LIMITS.description.max),
    NotBlank(),
    CleanText({ multiline: true }),
  );

export const FreeTextField = () =>
  applyDecorators(
    Field(() => String, { nullable: true }),
    IsOptional(),
    IsString(),
    MaxLength(INPUT_LIMITS.freeText.max),
    CleanText({ multiline: true }),
  );

/** A nullable field with a default: an omitted or explicit null value takes the default (as the contract's `Int = 14`). */
export const Defaulted = (value: unknown) => Transform(({ value: given }) => given ?? value);

export const BoundedIntField = (
  bounds: { min: number; max: number },
  options: { nullable?: boolean; defaultValue?: number } = {},
) =>
  applyDecorators(
    Field(() => Int, { ...options, nullable: options.nullable || options.defaultValue !== undefined }),
    ...(options.defaultValue !== undefined ? [Defaulted(options.defaultValue)] : []),
    ...(options.nullable ? [IsOptional()] : []),
    IsInt(),
    Min(bounds.min),
    Max(bounds.max),
  );

// The scalar has already parsed and normalised the instant; IsString keeps the
// property through the pipe's whitelist.
export const DateTimeField = (options: { nullable?: boolean } = {}) =>
  applyDecorators(
    Field(() => DateTimeScalar, options),
    ...(options.nullable ? [IsOptional()] : []),
    IsString(),
  );

/** `occurredAt`: when the fact happened; may be back-dated, not more than a few minutes ahead. */
export const OccurredAtField = () => applyDecorators(DateTimeField({ nullable: true }), NotInTheFuture());

export const IdempotencyKeyField = () =>
  applyDecorators(
    Field(() => String, { nullable: true }),
    IsOptional(),
    IsString(),
    Length(INPUT_LIMITS.idempotencyKey.min, INPUT_LIMITS.idempotencyKey.max),
    CleanText({ multiline: false }),
  );

function NotInTheFuture(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notInTheFuture',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'may not be more than 5 minutes in the future', ...options },
      validator: {
        validate: (value: unknown) =>
          value === undefined || value === null || Date.parse(String(value)) <= Date.now() + INPUT_LIMITS.futureSkewMs,
      },
    });
}
