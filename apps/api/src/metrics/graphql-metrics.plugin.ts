import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../auth/request-context';
import { NestLines } from '../logging/nest-lines';
import type { Metrics } from './metrics.service';

// Errors a client caused: logged at info, one line without a stack. Anything
// else (INTERNAL, UNAVAILABLE) is logged where it is mapped, with its cause.
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Operation names become label values: only sane, short ones; the rest count together. */
const labelOf = (name: string | null | undefined): string =>
  name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'anonymous';

const firstOperationName = (context: GraphQLRequestContext<RequestContext>): string | undefined => {
  const definition = context.document?.definitions.find((d) => d.kind === 'OperationDefinition');
  return definition?.kind === 'OperationDefinition' ? definition.name?.value : undefined;
};

/** Durations by operation and errors by code for /metrics, and a log line for each error a client caused. */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  const lines = new NestLines('GraphQL');
  return {
    async requestDidStart() {
      // What the histogram's startTimer measures (process.hrtime, in seconds), without its closure and label copies.
      const started = process.hrtime();
      let operation = 'anonymous';
      let type = 'unknown';
      return {
        async didResolveOperation(context: GraphQLRequestContext<RequestContext>) {
          operation = labelOf(context.operationName);
          type = context.operation?.operation ?? 'unknown';
        },
        async willSendResponse(context: GraphQLRequestContext<RequestContext>) {
          // Refused before the operation was resolved (validation): the name the request gave, or the document's.
          if (operation === 'anonymous')
            operation = labelOf(context.request.operationName ?? firstOperationName(context));
          const [seconds, nanoseconds] = process.hrtime(started);
          metrics.graphqlDuration.observe({ operation, type }, seconds + nanoseconds / 1e9);
          const body = context.response.body;
          const errors: readonly GraphQLFormattedError[] =
            body?.kind === 'single'
              ? (body.singleResult.errors ?? [])
              : body?.kind === 'incremental'
                ? (body.initialResult.errors ?? [])
                : [];
          for (const error of errors) {
            const code = String(error.extensions?.code ?? 'INTERNAL');
            metrics.graphqlErrors.inc({ code });
            if (CLIENT_CODES.has(code)) {
              lines.log(
                context.contextValue.log,
                { code, operation, path: error.path, message: error.message },
                'GraphQL request refused',
              );
            }
          }
        },
      };
    },
  };
}
