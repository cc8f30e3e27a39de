import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Authentication, Viewer } from './viewer';
import type { Loaders } from '../views/loaders';
import { apiError } from '../graphql/api-errors';

/** What every resolver receives as its GraphQL context. */
export interface RequestContext {
  /** The HTTP request (none on a graphql-ws connection). */
  req?: FastifyRequest;
  auth: Authentication;
  correlationId: string;
  /** The request's one instant (ms), read from the CLOCK when it arrived: every figure of the response is as of it. */
  now: number;
  loaders: Loaders;
  /** Where what is logged while answering goes: the request's logger (its `req`, `correlationId`), else the root. */
  log: Logger;
}

/** The caller, or UNAUTHENTICATED. */
export function requireViewer(context: RequestContext): Viewer {
  if (context.auth.kind === 'viewer') return context.auth.viewer;
  if (context.auth.kind === 'invalid') throw apiError('UNAUTHENTICATED', context.auth.reason);
  throw apiError('UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <token>');
}
