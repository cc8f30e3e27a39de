import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { QUERY_LIMITS } from './query-limits';

// The shape of a document, checked by validation (HTTP 400) before anything is
// priced: graphql-armor's rules, which walk fragments once each and so neither
// recurse forever on a fragment cycle (validation's NoFragmentCycles refuses
// it) nor blow up on fragments spread many times.

type ArmorReject = (context: ValidationContext | null, error: GraphQLError) => void;

/** Reports armor's refusal as BAD_USER_INPUT with the figure, instead of throwing out of validation. */
const reportAs =
  (limit: string, allowed: number): ArmorReject =>
  (context, error) => {
    const found = Number(/found (\d+)/.exec(error.message)?.[1]);
    const message = error.message.replace(/^Syntax Error: /, '');
    context?.reportError(
      new GraphQLError(message, {
        extensions: { code: 'BAD_USER_INPUT', limit, allowed, ...(Number.isFinite(found) ? { found } : {}) },
      }),
    );
  };

const armor = (limit: string, n: number) => ({
  n,
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [reportAs(limit, n)],
});

export const queryShapeRules = (): ValidationRule[] => [
  maxDepthRule({ ...armor('depth', QUERY_LIMITS.maxDepth), flattenFragments: true }) as ValidationRule,
  // Aliases of __typename count too: armor allows any number of them by default.
  maxAliasesRule({ ...armor('aliases', QUERY_LIMITS.maxAliases), allowList: [] }) as ValidationRule,
  maxDirectivesRule(armor('directives', QUERY_LIMITS.maxDirectives)) as ValidationRule,
];
