import { ApolloServer } from '@apollo/server';
import * as queryCost from './query-cost';
import { costLimitPlugin, executionDeadlinePlugin } from './query-limits.plugin';

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

describe('the cost limit, for an operation asked again', () => {
  const typeDefs = `
    scalar DateTime
    type TrustScore { score: Float! }
    type Relationship { id: ID! trust(asOf: DateTime): TrustScore! }
    type Query { relationship(id: ID!): Relationship note(text: String): String }`;
  const resolvers = {
    Query: { relationship: (_: unknown, { id }: { id: string }) => ({ id }), note: () => 'n' },
    Relationship: { trust: () => ({ score: 50 }) },
  };
  const NOW = Date.parse('2026-06-01T00:00:00.000Z');
  let clock = NOW;
  let server: ApolloServer;
  let priced: jest.SpyInstance;

  beforeEach(async () => {
    clock = NOW;
    server = new ApolloServer({ typeDefs, resolvers, plugins: [costLimitPlugin(() => clock)] });
    await server.start();
    priced = jest.spyOn(queryCost, 'estimateCost');
  });
  afterEach(async () => {
    priced.mockRestore();
    await server.stop();
  });

  const run = async (query: string, variables?: Record<string, unknown>) => {
    const response = await server.executeOperation({ query, variables });
    return { status: response.http.status, ...(response.body.kind === 'single' ? response.body.singleResult : {}) };
  };
  const TRUST = 'query ($id: ID!) { relationship(id: $id) { trust { score } } }';

  it('is priced once when its estimate holds for any variables at any time', async () => {
    expect(await run(TRUST, { id: 'a' })).toEqual({
      status: undefined,
      data: { relationship: { trust: { score: 50 } } },
    });
    clock = NOW + 400 * 24 * 3600 * 1000;
    expect((await run(TRUST, { id: 'b' })).data).toEqual({ relationship: { trust: { score: 50 } } });
    expect(priced).toHaveBeenCalledTimes(1);
  });

  it('still leaves variables that do not coerce to Apollo, as before it was kept', async () => {
    await run(TRUST, { id: 'a' });
    const refused = await run(TRUST, { id: { not: 'an id' } });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.data).toBeUndefined();
  });

  it('is priced again each time when an argument it prices comes from a variable', async () => {
    const query = 'query ($at: DateTime!) { relationship(id: "a") { trust(asOf: $at) { score } } }';
    expect((await run(query, { at: '2026-06-02T00:00:00.000Z' })).errors).toBeUndefined();
    const refused = await run(query, { at: '2030-01-01T00:00:00.000Z' });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(priced).toHaveBeenCalledTimes(2);
  });

  it('is priced again each time when it depends on now (an as-of literal)', async () => {
    const query = '{ relationship(id: "a") { trust(asOf: "2026-12-01T00:00:00.000Z") { score } } }';
    expect((await run(query)).errors).toBeUndefined();
    clock = Date.parse('2025-06-01T00:00:00.000Z');
    expect((await run(query)).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(priced).toHaveBeenCalledTimes(2);
  });

  it('is priced again each time when an argument comes from a nullable variable', async () => {
    const query = 'query ($text: String) { note(text: $text) }';
    await run(query, { text: 'x' });
    await run(query, {});
    expect(priced).toHaveBeenCalledTimes(2);
  });

  it('is refused each time when over the limits, never kept', async () => {
    const aliases = Array.from({ length: 21 }, (_, i) => `r${i}: relationship(id: "${i}") { id }`).join(' ');
    for (let i = 0; i < 2; i++) {
      const refused = await run(`{ ${aliases} }`);
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'rootFields' });
    }
    expect(priced).toHaveBeenCalledTimes(2);
  });
});
