import type { ApolloServerPlugin } from '@apollo/server';
import depthLimit from 'graphql-depth-limit';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { GraphQLSchema } from 'graphql';
import { apiError } from './api-errors';
import { PAGE_SIZES } from './page-sizes';

// What one request may ask of the server, in one place.
export const QUERY_LIMITS = {
  /** Nesting deeper than this is refused before execution. */
  maxDepth: 10,
  /** Each field costs 1; a list field costs `first` times its selection. */
  maxComplexity: 20_000,
  /** The largest page any list returns (lists clamp `first`), so a larger `first` costs no more. */
  largestPage: Math.max(PAGE_SIZES.largestList, PAGE_SIZES.largestHistory),
} as const;

export const depthRule = () => depthLimit(QUERY_LIMITS.maxDepth);

// A connection or list asked with `first: n` costs n times what each item selects.
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args.first === 'number'
    ? 1 + Math.min(Math.max(0, args.first), QUERY_LIMITS.largestPage) * childComplexity
    : undefined;

/** Refuses an operation whose estimated cost exceeds the limit, before any resolver runs. */
export function complexityPlugin(): ApolloServerPlugin {
  let schema: GraphQLSchema;
  return {
    async serverWillStart(service) {
      schema = service.schema;
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName,
            variables: request.variables,
            estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > QUERY_LIMITS.maxComplexity) {
            throw apiError(
              'BAD_USER_INPUT',
              `The query is too complex (${complexity}; the limit is ${QUERY_LIMITS.maxComplexity}): ask for smaller pages`,
            );
          }
        },
      };
    },
  };
}
