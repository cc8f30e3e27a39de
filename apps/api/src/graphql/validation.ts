import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { badUserInput, type Violation } from './api-errors';

/** Flattens class-validator's tree into `{ field: 'input.description', message }` pairs. */
export function violationsOf(errors: ValidationError[], parent = 'input'): Violation[] {
  return errors.flatMap((error) => {
    const field = `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(new RegExp(`^${error.property} `), ''),
    }));
    return [...own, ...violationsOf(error.children ?? [], field)];
  });
}

/** Validates every GraphQL input object; a failure is BAD_USER_INPUT naming each field. */
export const inputValidationPipe = () =>
  new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => badUserInput(violationsOf(errors)),
  });
