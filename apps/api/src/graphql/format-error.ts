import type { GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '@trustline/domain';
import { InvalidAppend, isStorageFailure, WrongExpectedVersion } from '@trustline/event-store';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { RequestContext } from '../auth/request-context';
import type { RequestRule } from './query-limits.plugin';
import { NestLines } from '../logging/nest-lines';

const lines = new NestLines('GraphQL');

/**
 * The logger of the request each error was met in: Apollo's formatError is given no context, so the request
 * notes its errors just before they are formatted (errorRequestsRule) and the lines logged here keep their
 * `req` and `correlationId`.
 */
const errorRequests = new WeakMap<object, Logger>();

const noteErrors: GraphQLRequestListener<RequestContext> = {
  async didEncounterErrors({ errors, contextValue }) {
    for (const error of errors) errorRequests.set(error, contextValue.log);
  },
};

/** Apollo hands every error of the request pipeline to didEncounterErrors, then formats the same objects. */
export const errorRequestsRule = (): RequestRule<RequestContext> => ({ listener: noteErrors });

/**
 * Apollo's formatError. An error formatted outside a request's pipeline (before its context exists: the server
 * not started, the context not created) is logged with `root`.
 */
export function formatError(root: Logger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) =>
    formatGraphqlError(formatted, error, (typeof error === 'object' && error && errorRequests.get(error)) || root);
}

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
const COERCION =
  /cannot represent|Expected value of type|Expected type|got invalid value|of required type|does not exist in ".*" enum|is not defined by type/i;

// The parser recurses: a document nested thousands deep exhausts the stack, a refusal not to be worded as the engine's.
const STACK_EXHAUSTED = /Maximum call stack size exceeded/;

// Apollo's own refusals of a malformed HTTP request (no query, a batch, a bad
// method): input the client must fix, with the contract's code.
const APOLLO_REQUEST_CODES = new Set(['BAD_REQUEST', 'PERSISTED_QUERY_NOT_SUPPORTED']);

// Nest's HTTP exceptions (the throttler's among them) carry a class name or a
// library's wording in their message: a client gets one of these instead.
const NEST_HTTP_MESSAGES: Record<number, string> = {
  400: 'The request is invalid',
  401: 'Sign in: send Authorization: Bearer <token>',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'The request is too large',
  429: 'Too many requests: retry later',
};

const NEST_HTTP_CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown, log: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.kind, rule: original.rule } };
  }
  if (original instanceof WrongExpectedVersion) {
    return {
      ...base,
      message: 'The record changed concurrently; retry',
      extensions: { code: 'CONFLICT', rule: 'concurrency' },
    };
  }
  // Disk full, I/O errors: nothing was written, the client may retry later (the cause is logged, not sent).
  if (isStorageFailure(original)) {
    lines.warn(log, { err: original, path: formatted.path }, 'Storage unavailable while answering a GraphQL request');
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
    return { ...base, message: NEST_HTTP_MESSAGES[httpStatus], extensions: { code: NEST_HTTP_CODES[httpStatus] } };
  }

  const { code, stacktrace: _stacktrace, ...rest } = (formatted.extensions ?? {}) as Record<string, unknown>;
  if (code === 'GRAPHQL_PARSE_FAILED' && STACK_EXHAUSTED.test(formatted.message)) {
    return { ...base, message: 'The document is nested too deeply to read', extensions: { code } };
  }
  if (code === 'GRAPHQL_VALIDATION_FAILED' && formatted.message === 'Validation aborted.') {
    // graphql-js gave up comparing fields for merging: too many repeats of one field.
    return {
      ...base,
      message: 'The document repeats fields too often to validate: ask for each field once',
      extensions: { code },
    };
  }
  if (code === 'GRAPHQL_VALIDATION_FAILED' && (COERCION.test(formatted.message) || refusedAsInput(error))) {
    return { ...base, extensions: { ...rest, code: 'BAD_USER_INPUT' } };
  }
  if (typeof code === 'string' && APOLLO_REQUEST_CODES.has(code)) {
    return { ...base, extensions: { ...rest, code: 'BAD_USER_INPUT' } };
  }
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
    return { ...base, extensions: { ...rest, code } };
  }
  const statusCode = Number((rest.originalError as { statusCode?: number })?.statusCode);
  if (NEST_HTTP_CODES[statusCode])
    return { ...base, message: NEST_HTTP_MESSAGES[statusCode], extensions: { code: NEST_HTTP_CODES[statusCode] } };

  // Apollo refuses some malformed requests (a persisted-query hash that does not match) with an HTTP 4xx and no code.
  const requestStatus = Number(
    (error as { extensions?: { http?: { status?: number } } } | undefined)?.extensions?.http?.status,
  );
  if ((code === undefined || code === 'INTERNAL_SERVER_ERROR') && requestStatus >= 400 && requestStatus < 500) {
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }

  lines.error(log, { err: original, path: formatted.path }, 'Unexpected error while answering a GraphQL request');
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL' } };
}

/**
 * A validation error raised as BAD_USER_INPUT by a scalar's parseLiteral (a
 * DateTime literal) or a limit rule: Apollo re-codes every validation error
 * GRAPHQL_VALIDATION_FAILED but keeps the original beside it.
 */
function refusedAsInput(error: unknown): boolean {
  const original = (error as { originalError?: unknown })?.originalError;
  return original instanceof GraphQLError && original.extensions?.code === 'BAD_USER_INPUT';
}
