import { GraphQLError, parse } from 'graphql';
import { documentNesting } from './document-nesting';
import { QUERY_LIMITS, TRANSPORT_LIMITS } from './query-limits';

// graphql-ws parses and validates a subscribe message itself, past Apollo's
// parse options and the HTTP body checks: the limits that keep the parser and
// validation from running away are applied here first. (A subscription has
// one root field and resolves cheap trust points, so no cost is estimated.)

const refused = (message: string, limit: string, allowed: number) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', limit, allowed } });

/** The refusals of a subscribe message's document, or none. */
export function subscriptionDocumentFaults(query: unknown): GraphQLError[] {
  if (typeof query !== 'string') return [];
  if (Buffer.byteLength(query) > TRANSPORT_LIMITS.maxBodyBytes) {
    return [
      refused(
        `The document is larger than ${TRANSPORT_LIMITS.maxBodyBytes} bytes`,
        'bytes',
        TRANSPORT_LIMITS.maxBodyBytes,
      ),
    ];
  }
  if (documentNesting(query) > QUERY_LIMITS.maxNesting) {
    return [
      refused(`The document nests deeper than ${QUERY_LIMITS.maxNesting} levels`, 'nesting', QUERY_LIMITS.maxNesting),
    ];
  }
  try {
    parse(query, { maxTokens: QUERY_LIMITS.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError && /contains more th\w+ \d+ tokens/i.test(error.message)) {
      return [refused(`The document has more than ${QUERY_LIMITS.maxTokens} tokens`, 'tokens', QUERY_LIMITS.maxTokens)];
    }
    // (graphql-js words it "contains more that N tokens".) Any other syntax error is graphql-ws's own to report.
  }
  return [];
}
