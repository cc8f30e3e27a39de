import { Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '@trustline/domain';
import { InvalidAppend, isStorageFailure, WrongExpectedVersion } from '@trustline/event-store';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

const logger = new Logger('GraphQL');

// Codes a client may see as they are. Anything else becomes INTERNAL, with the
// cause logged on the server and nothing of it (stack, SQL, paths) sent out.
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

// graphql-js reports a literal of the wrong type as a validation error; the
// contract calls every type-coercion failure BAD_USER_INPUT.
const COERCION = /cannot represent|Expected value of type|Expected type|got invalid value|of required type/i;

const NEST_HTTP_CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.kind, rule: original.rule } };
  }
  if (original instanceof WrongExpectedVersion) {
    return { ...base, message: 'The record changed concurrently; retry', extensions: { code: 'CONFLICT', rule: 'concurrency' } };
  }
  // Disk full, I/O errors: nothing was written, the client may retry later (the cause is logged, not sent).
  if (isStorageFailure(original)) {
    logger.warn({ err: original, path: formatted.path }, 'Storage unavailable while answering a GraphQL request');
    return {
      ...base,
      message: 'The server cannot store or read data right now; retry later',
      extensions: { code: 'UNAVAILABLE', retryable: true },
    };
  }
  if (original instanceof InvalidAppend) {
    return { ...base, message: original.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  const httpStatus = (original as { getStatus?: () => number })?.getStatus?.();
  if (httpStatus && NEST_HTTP_CODES[httpStatus] && !(original instanceof GraphQLError)) {
    return { ...base, extensions: { code: NEST_HTTP_CODES[httpStatus] } };
  }

  const { code, stacktrace: _stacktrace, ...rest } = (formatted.extensions ?? {}) as Record<string, unknown>;
  if (code === 'GRAPHQL_VALIDATION_FAILED' && COERCION.test(formatted.message)) {
    return { ...base, extensions: { ...rest, code: 'BAD_USER_INPUT' } };
  }
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
    return { ...base, extensions: { ...rest, code } };
  }
  const status = NEST_HTTP_CODES[Number((rest.originalError as { statusCode?: number })?.statusCode)];
  if (status) return { ...base, extensions: { code: status } };

  logger.error({ err: original, path: formatted.path }, 'Unexpected error while answering a GraphQL request');
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL' } };
}
