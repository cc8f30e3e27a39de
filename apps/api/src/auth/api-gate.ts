import { Injectable } from '@nestjs/common';
import type { Authentication } from '@trustline/access';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { asArray, GRAPHQL_PATH } from '../graphql/http-transport';
import { AuthService } from './auth.service';
import { OperationRateLimit } from './operation-rate-limit';

const AUTHENTICATION = Symbol('trustline.authentication');
type GatedRequest = FastifyRequest & { [AUTHENTICATION]?: Authentication };

/** What the gate found on this request (the GraphQL context reads it rather than verifying twice). */
export const authenticationOf = (req: FastifyRequest): Authentication =>
  (req as GatedRequest)[AUTHENTICATION] ?? { kind: 'anonymous' };

const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ errors: [{ message, extensions: { code } }] });

/**
 * The routes behind the gate: GraphQL over HTTP and the CSV exports
 * (graphql-ws connections authenticate when they open). /health and
 * /metrics stay open (authorization.md §1). New data routes are added here.
 */
const GATED = (url: string | undefined) => url === GRAPHQL_PATH || url?.startsWith('/export/') === true;

/**
 * In front of every GraphQL request over HTTP (and the other routes of
 * GATED), before parsing or validation:
 * counts the operation against its caller's budget, then lets through only a
 * caller with a valid token. Nothing of the schema (no data, no introspection,
 * no "Did you mean" suggestions) reaches anyone else.
 *
 * A Fastify preHandler of those routes: it runs once the body is read and
 * the transport's refusals (http-transport.ts) are made, as on Express.
 */
@Injectable()
export class ApiGate {
  constructor(
    private readonly auth: AuthService,
    private readonly rateLimit: OperationRateLimit,
  ) {}

  /** Puts the gate in front of the gated routes as they are added: call before the app initialises. */
  guard(instance: FastifyInstance): void {
    const gate = (request: FastifyRequest, reply: FastifyReply) => this.check(request, reply);
    instance.addHook('onRoute', (route: RouteOptions) => {
      if (!GATED(route.url)) return;
      route.preHandler = [...asArray(route.preHandler), gate];
    });
    // An unknown export path is behind the gate too: 401 without a token, Nest's 404 with one. Added before Nest
    // sets its error handler, the route hands its errors to the one in place when they happen.
    instance.all('/export/*', {
      handler: (_request, reply) => reply.callNotFound(),
      errorHandler: (error, request, reply) => instance.errorHandler(error, request, reply),
    });
  }

  /** Lets the request on (undefined), or answers it: a hook that replies returns the reply. */
  async check(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    // A CORS preflight carries no credentials and gets no data.
    if (request.method === 'OPTIONS') return undefined;
    const authentication = await this.auth.authenticate(request.headers.authorization);
    const verdict = await this.rateLimit.count(authentication, request.ip);
    if (verdict.limited) {
      reply.header('Retry-After', String(verdict.retryAfterSeconds));
      return refuse(reply, 429, 'RATE_LIMITED', `Too many requests: retry in ${verdict.retryAfterSeconds} s`);
    }
    if (authentication.kind !== 'viewer') {
      reply.header('WWW-Authenticate', 'Bearer');
      return refuse(
        reply,
        401,
        'UNAUTHENTICATED',
        authentication.kind === 'invalid' ? authentication.reason : 'Sign in: send Authorization: Bearer <token>',
      );
    }
    (request as GatedRequest)[AUTHENTICATION] = authentication;
    return undefined;
  }
}
