import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraphQLRequestListener } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { Clock } from '@trustline/command-handling';
import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service';
import { authenticationOf } from '../auth/api-gate';
import { graphqlWsAuth, type WsConnectionExtra } from '../auth/graphql-ws.auth';
import type { OperationRateLimit } from '../auth/operation-rate-limit';
import { correlationIdOf } from '../graphql/correlation-id';
import { errorRequestsRule, formatError } from '../graphql/format-error';
import { QUERY_LIMITS } from '../graphql/query-limits';
import {
  costLimitRule,
  executedStatusRule,
  executionDeadlineRule,
  onePlugin,
  type RequestRule,
} from '../graphql/query-limits.plugin';
import { queryShapeRules } from '../graphql/query-shape.rules';
import type { RequestContext } from '../auth/request-context';
import { createLoaders } from '../views/loaders';
import type { Views } from '../views/views.service';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics.plugin';
import type { Metrics } from '../metrics/metrics.service';
import type { RequestLog } from '../logging/request-log';

// The generated schema is committed beside the app so reviewers and the
// contract check see every change to the public surface. A deployed build
// (no apps/api folder) keeps it in memory.
const SCHEMA_FILE = path.join(process.cwd(), 'apps/api/schema.graphql');

export function graphqlOptions(
  auth: AuthService,
  rateLimit: OperationRateLimit,
  views: Views,
  clock: Clock,
  metrics: Metrics,
  requestLog: RequestLog,
): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: fs.existsSync(path.dirname(SCHEMA_FILE)) ? SCHEMA_FILE : true,
    sortSchema: true,
    // No landing page: the hosted ones load scripts from a CDN, and the API must work offline.
    playground: false,
    graphiql: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(requestLog.root),
    // A document too long to be a real client's is cut off by the parser itself.
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: queryShapeRules(),
    plugins: [
      // Trustline's own rules, one plugin: each plugin costs every request a listener and its promises.
      onePlugin<RequestContext>([
        costLimitRule(),
        executionDeadlineRule(),
        executedStatusRule(),
        errorRequestsRule(),
        answersNotStoredRule(),
      ]),
      graphqlMetricsPlugin(metrics),
      // Apollo installs these unless told not to. The schema gives no cache hints (no @cacheControl, no
      // setCacheHint), so its CacheControl plugin only ever wrote `Cache-Control: no-store` (answersNotStoredRule
      // does that) at the price of a willResolveField hook on every field of every request; InlineTrace works for
      // federated subgraphs only, which this schema is not.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
    // executedStatusRule sets the status of executed requests, Nest's plugin would reset it to 200.
    preserveHttpStatusForExecutionErrors: false,
    // HTTP requests are authenticated by the gate in front of /graphql; graphql-ws
    // connections when they open (connectionParams.authorization). Apollo's Fastify
    // integration passes the request itself; graphql-ws its context, with `extra`.
    context: (source: FastifyRequest | { extra?: WsConnectionExtra }): RequestContext => {
      const req = 'raw' in source ? source : undefined;
      // The request's one instant: every figure of the response, and a write's defaults, are as of it.
      const now = clock.now();
      return new GraphqlContext(
        req,
        req
          ? authenticationOf(req)
          : ((source as { extra?: WsConnectionExtra }).extra?.authentication ?? { kind: 'anonymous' }),
        // Fastify's request id is the correlation id, the caller's when sane (app.factory.ts: genReqId).
        req ? req.id : correlationIdOf(undefined),
        now,
        createLoaders(views, now),
        requestLog,
      );
    },
    subscriptions: { 'graphql-ws': graphqlWsAuth(auth, rateLimit) },
  };
}

/**
 * A request's context. Its logger, a child of the request log's, is made when first used: most requests log
 * nothing but their completion line, which needs none. The getter is on the prototype, so that Apollo's copy of
 * the context (an Object.assign onto the same prototype) keeps it lazy rather than calling it.
 */
class GraphqlContext implements RequestContext {
  /** The HTTP request the context was made for: `req` itself may be set later (Nest does, on graphql-ws). */
  private readonly logged: FastifyRequest | undefined;

  constructor(
    readonly req: FastifyRequest | undefined,
    readonly auth: RequestContext['auth'],
    readonly correlationId: string,
    readonly now: number,
    readonly loaders: RequestContext['loaders'],
    private readonly requestLog: RequestLog,
  ) {
    this.logged = req;
  }

  get log(): RequestContext['log'] {
    return this.requestLog.of(this.logged);
  }
}

const notStored: GraphQLRequestListener<RequestContext> = {
  async willSendResponse({ response }) {
    if (!response.http.headers.get('cache-control')) response.http.headers.set('cache-control', 'no-store');
  },
};

/**
 * Every answer of Apollo's request pipeline says `Cache-Control: no-store`, as Apollo's CacheControl plugin
 * said it of an answer with no cache hints (all of them here); a Cache-Control header already set (an Apollo
 * error's own) is left, as that plugin left one it could not read.
 */
export const answersNotStoredRule = (): RequestRule<RequestContext> => ({ listener: notStored });
