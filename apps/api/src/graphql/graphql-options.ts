import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import { AuthService } from '../auth/auth.service';
import { correlationIdOf } from './correlation-id';
import { formatError } from './format-error';
import { complexityPlugin, depthRule } from './query-limits';
import type { RequestContext } from './request-context';
import { createLoaders } from '../views/loaders';
import type { Views } from '../views/views.service';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics.plugin';
import type { Metrics } from '../metrics/metrics.service';

// The generated schema is committed beside the app so reviewers and the
// contract check see every change to the public surface. A deployed build
// (no apps/api folder) keeps it in memory.
const SCHEMA_FILE = path.join(process.cwd(), 'apps/api/schema.graphql');

export function graphqlOptions(auth: AuthService, views: Views, metrics: Metrics): ApolloDriverConfig {
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
    formatError,
    validationRules: [depthRule()],
    plugins: [complexityPlugin(), graphqlMetricsPlugin(metrics)],
    // HTTP requests bring the token in the Authorization header; graphql-ws
    // connections in connectionParams.authorization.
    context: ({ req, connectionParams }: { req?: Request; connectionParams?: Record<string, unknown> }): RequestContext => {
      const authorization = req ? req.headers.authorization : connectionParams?.authorization;
      return {
        req,
        auth: auth.authenticate(typeof authorization === 'string' ? authorization : undefined),
        correlationId: correlationIdOf(req?.headers['x-correlation-id']),
        loaders: createLoaders(views),
      };
    },
    subscriptions: {
      'graphql-ws': {
        onConnect: ({ connectionParams }) => {
          const authorization = connectionParams?.authorization;
          return auth.authenticate(typeof authorization === 'string' ? authorization : undefined).kind !== 'invalid';
        },
      },
    },
  };
}
