import { ApolloServer, type ApolloServerPlugin, type BaseContext, type GraphQLRequestListener } from '@apollo/server';
import fc from 'fast-check';
import { apiError } from './api-errors';
import * as queryCost from './query-cost';
import {
  asPlugin,
  costLimitRule,
  executionDeadlineRule,
  onePlugin,
  refusedBeforeExecution,
  type RequestRule,
} from './query-limits.plugin';

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
    const server = new ApolloServer({ typeDefs, resolvers, plugins: [asPlugin(executionDeadlineRule(1_000, now))] });
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
    const server = new ApolloServer({ typeDefs, resolvers, plugins: [asPlugin(executionDeadlineRule(120_000, now))] });
    await server.start();
    const response = await server.executeOperation({ query: '{ quick slow { value } }' });
    await server.stop();
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect(result).toEqual({ data: { quick: 2, slow: { value: 1 } } });
  });
});

/** The deadline as it was first checked, in Apollo's willResolveField hook: the oracle of the one in the resolvers. */
function willResolveFieldDeadline(deadlineMs: number, now: () => number): ApolloServerPlugin {
  const listener: GraphQLRequestListener<BaseContext> = {
    async executionDidStart() {
      const deadline = now() + deadlineMs;
      return {
        willResolveField() {
          if (now() > deadline) {
            throw apiError(
              'BAD_USER_INPUT',
              `The request ran past its ${deadlineMs} ms deadline: ask for less at once`,
              {
                limit: 'deadline',
                allowed: deadlineMs,
              },
            );
          }
        },
      };
    },
  };
  return { requestDidStart: async () => listener };
}

describe('the execution deadline, checked in the resolvers', () => {
  // Every field resolver moves the clock by the next of `steps` (sync or async); Leaf's own fields and
  // Node.label resolve by default. The same steps give both servers the same clock at each field.
  const typeDefs = `
    type Leaf { a: Int b: String }
    type Node { id: Int label: String leaf: Leaf leaves: [Leaf] next: Node }
    type Query { root: Node quick: Int nodes: [Node] }`;
  const build = (steps: number[], asyncAt: boolean[]) => {
    const clock = { now: 0, calls: 0 };
    const tick = <T>(value: T): T | Promise<T> => {
      const i = clock.calls++;
      clock.now += steps[i % steps.length];
      return asyncAt[i % asyncAt.length] ? Promise.resolve(value) : value;
    };
    const node = (id: number): Record<string, unknown> => ({ id, label: `n${id}` });
    const resolvers = {
      Query: {
        root: () => tick(node(1)),
        quick: () => tick(7),
        nodes: () => tick([node(2), node(3)]),
      },
      Node: {
        id: (parent: { id: number }) => tick(parent.id),
        leaf: (parent: { id: number }) => tick({ a: parent.id, b: 'x' }),
        leaves: (parent: { id: number }) => tick([{ a: parent.id }, { a: parent.id + 1, b: 'y' }]),
        next: (parent: { id: number }) => tick(parent.id < 4 ? node(parent.id + 1) : null),
      },
    };
    return { clock, resolvers };
  };
  const QUERIES = [
    '{ quick root { id label leaf { a b } next { id next { id leaves { a b } } } } }',
    '{ nodes { id label leaves { a } next { leaf { b } } } quick }',
    '{ a: root { id } b: root { next { next { next { id label } } } } __typename }',
    '{ root { ... on Node { id leaf { a } } } quick }',
  ];
  const answer = async (
    plugin: ApolloServerPlugin,
    resolvers: ReturnType<typeof build>['resolvers'],
    clock: { now: number },
    query: string,
  ) => {
    const server = new ApolloServer({ typeDefs, resolvers, plugins: [plugin] });
    await server.start();
    try {
      const response = await server.executeOperation({ query });
      return { status: response.http.status, body: response.body, clockAtEnd: clock.now };
    } finally {
      await server.stop();
    }
  };

  it('refuses exactly the fields the willResolveField hook refused, with the same errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(...QUERIES),
        async (steps, asyncAt, deadlineMs, query) => {
          const before = build(steps, asyncAt);
          const expected = await answer(
            willResolveFieldDeadline(deadlineMs, () => before.clock.now),
            before.resolvers,
            before.clock,
            query,
          );
          const after = build(steps, asyncAt);
          const actual = await answer(
            asPlugin(executionDeadlineRule(deadlineMs, () => after.clock.now)),
            after.resolvers,
            after.clock,
            query,
          );
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('leaves executions outside Apollo (graphql-ws) unchecked, as before', async () => {
    const { clock, resolvers } = build([1_000_000], [false]);
    const server = new ApolloServer({
      typeDefs,
      resolvers,
      plugins: [asPlugin(executionDeadlineRule(1, () => clock.now))],
    });
    await server.start();
    const { graphql } = await import('graphql');
    const schema = (
      server as unknown as {
        internals: {
          state: { schemaManager: { getSchemaDerivedData(): { schema: import('graphql').GraphQLSchema } } };
        };
      }
    ).internals.state.schemaManager.getSchemaDerivedData().schema;
    const result = await graphql({ schema, source: '{ root { id next { id } } }', contextValue: {} });
    await server.stop();
    expect(result).toEqual({ data: { root: { id: 1, next: { id: 2 } } } });
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
    server = new ApolloServer({ typeDefs, resolvers, plugins: [asPlugin(costLimitRule(() => clock))] });
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

describe('onePlugin', () => {
  const typeDefs = 'type Query { value: Int }';
  const resolvers = { Query: { value: () => 1 } };

  it('runs every rule’s hooks, in the order given, with what separate plugins would see', async () => {
    const seen: string[] = [];
    const rule = (name: string): RequestRule => ({
      listener: {
        async didResolveOperation({ operationName }) {
          seen.push(`${name}:operation:${operationName}`);
        },
        async willSendResponse({ response }) {
          seen.push(`${name}:send:${response.body.kind}`);
          response.http.headers.set(`x-${name}`, name);
        },
      },
      async serverWillStart() {
        seen.push(`${name}:start`);
      },
    });
    const only: RequestRule = {
      listener: {
        async executionDidStart() {
          seen.push('c:execution');
        },
      },
    };
    const server = new ApolloServer({ typeDefs, resolvers, plugins: [onePlugin([rule('a'), rule('b'), only])] });
    await server.start();
    const response = await server.executeOperation({ query: 'query Q { value }' });
    await server.stop();
    expect(response.body.kind === 'single' && response.body.singleResult).toEqual({ data: { value: 1 } });
    expect(response.http.headers.get('x-a')).toBe('a');
    expect(response.http.headers.get('x-b')).toBe('b');
    expect(seen).toEqual([
      'a:start',
      'b:start',
      'a:operation:Q',
      'b:operation:Q',
      'c:execution',
      'a:send:single',
      'b:send:single',
    ]);
  });

  it('refuses an operation when one rule refuses it, as its own plugin would', async () => {
    const refusing: RequestRule = {
      listener: {
        async didResolveOperation() {
          throw refusedBeforeExecution(apiError('BAD_USER_INPUT', 'no'));
        },
      },
    };
    const quiet: RequestRule = { listener: { async didResolveOperation() {} } };
    const answers = [];
    for (const plugins of [[asPlugin(quiet), asPlugin(refusing)], [onePlugin([quiet, refusing])]]) {
      const server = new ApolloServer({ typeDefs, resolvers, plugins });
      await server.start();
      const response = await server.executeOperation({ query: '{ value }' });
      await server.stop();
      answers.push({ status: response.http.status, body: response.body });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1].status).toBe(400);
  });

  it('will not merge two rules answering the same hook', () => {
    const executing: RequestRule = { listener: { async executionDidStart() {} } };
    expect(() => onePlugin([executing, executing])).toThrow(/executionDidStart/);
  });
});
