import { GraphQLError } from 'graphql';

// The error codes of the public contract (schema.graphql's header).
export type ApiErrorCode =
  'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'INTERNAL';

export interface Violation {
  field: string;
  message: string;
}

export const apiError = (code: ApiErrorCode, message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { ...extensions, code } });

export const badUserInput = (violations: Violation[]) =>
  apiError(
    'BAD_USER_INPUT',
    violations.length === 1 ? `${violations[0].field}: ${violations[0].message}` : 'The input has invalid fields',
    { violations },
  );
