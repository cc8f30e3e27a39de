import { ApolloServer } from '@apollo/server';
import { executionDeadlinePlugin } from './query-limits.plugin';

describe('the execution deadline', () => {
  // Time as an input: the clock moves only when `slow` resolves, by a minute.
  let clock = 0;
  const now = () => clock;
  const typeDefs = 'type Slow { value: Int } type Query { slow: Slow quick: Int }';
  const resolvers = {
    Query: {
      slow: async () => {
        clock += 60_000;
        return { value: 1 };
      },
      quick: () => 2,
    },
    Slow: { value: (parent: { value: number }) => parent.value },
  };

  it('refuses the fields still to resolve once it has passed, and keeps what was done in time', async () => {
    const server = new ApolloServer({ typeDefs, resolvers, plugins: [executionDeadlinePlugin(1_000, now)] });
    await server.start();
    const response = await server.executeOperation({ query: '{ quick slow { value } }' });
    await server.stop();
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect(result?.data).toEqual({ quick: 2, slow: { value: null } });
    expect(result?.errors).toEqual([
      expect.objectContaining({
        path: ['slow', 'value'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', limit: 'deadline' }),
      }),
    ]);
  });

  it('lets a request within it run in full', async () => {
    const server = new ApolloServer({ typeDefs, resolvers, plugins: [executionDeadlinePlugin(120_000, now)] });
    await server.start();
    const response = await server.executeOperation({ query: '{ quick slow { value } }' });
    await server.stop();
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect(result).toEqual({ data: { quick: 2, slow: { value: 1 } } });
  });
});
