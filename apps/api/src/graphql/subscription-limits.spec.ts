import { QUERY_LIMITS } from './query-limits';
import { subscriptionDocumentFaults } from './subscription-limits';

describe('a subscribe message', () => {
  it('passes when its document is an ordinary subscription', () => {
    expect(subscriptionDocumentFaults('subscription { trustChanged(relationshipId: "x") { score } }')).toEqual([]);
  });

  it('is refused when its document nests past the limit, before graphql-js recurses into it', () => {
    const deep = `subscription ${'{ a '.repeat(QUERY_LIMITS.maxNesting + 1)}${'}'.repeat(QUERY_LIMITS.maxNesting + 1)}`;
    const [fault] = subscriptionDocumentFaults(deep);
    expect(fault.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'nesting' });
  });

  it('is refused when its document has more tokens than the parser may read', () => {
    const long = `subscription { trustChanged(relationshipId: "x") { ${'score '.repeat(QUERY_LIMITS.maxTokens)} } }`;
    const [fault] = subscriptionDocumentFaults(long);
    expect(fault.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'tokens' });
  });

  it('leaves a plain syntax error to graphql-ws', () => {
    expect(subscriptionDocumentFaults('subscription {')).toEqual([]);
  });
});
