import * as net from 'node:net';
import { auditServer } from 'graphql-http';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
import { QUERY_LIMITS, TRANSPORT_LIMITS } from '../apps/api/src/graphql/query-limits';
import { arrangeRelationship, type Arranged } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// Careless and hostile clients against the real server: every refusal is a
// 4xx with the contract's code, none is a 500, none appends an event, none
// leaks an internal, and the server keeps answering /health.

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  text: string;
}

const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
const INTERNALS = /stack|\/work\/|node_modules|\.ts:\d|Exception|TypeError|SQLITE|at [A-Z]\w+\./;

describe('a server facing hostile input', () => {
  let server: TestApp;
  let token: string;
  let arranged: Arranged;
  let longAgo: Arranged;
  let store: EventStore;
  let eventsBefore: number;
  const answered: { name: string; status: number }[] = [];

  const post = async (
    name: string,
    body: string | Buffer,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<Answer> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    const text = await response.text();
    answered.push({ name, status: response.status });
    let parsed: Answer['body'] = {};
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      // asserted below: every answer is JSON
    }
    return { status: response.status, body: parsed, text };
  };
  const ask = (name: string, query: string, variables?: Record<string, unknown>) =>
    post(name, JSON.stringify({ query, variables }));

  const expectRefusal = (answer: Answer, status: number, code: string) => {
    expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
    expect(answer.text).not.toMatch(INTERNALS);
  };

  beforeAll(async () => {
    server = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    token = server.token();
    arranged = await arrangeRelationship(server, token);
    longAgo = await arrangeRelationship(server, token, { startedAt: '1990-01-01T00:00:00.000Z', cadenceDays: 7 });
    store = server.app.get<EventStore>(EVENT_STORE);
    eventsBefore = (await store.readAll()).length;
  }, 60_000);

  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  describe('at the transport', () => {
    it.each([
      ['malformed JSON', '{"query": "{ me { subject } }"', 'application/json', 400],
      ['a JSON null body', 'null', 'application/json', 400],
      ['a JSON string body', '"{ me { subject } }"', 'application/json', 400],
      ['a batch', '[{"query": "{ me { subject } }"}]', 'application/json', 400],
      ['a query that is not a string', '{"query": 42}', 'application/json', 400],
      ['no query at all', '{"variables": {}}', 'application/json', 400],
      [
        'variables that are not an object',
        '{"query": "{ me { subject } }", "variables": [1]}',
        'application/json',
        400,
      ],
      ['a text/plain body', '{"query": "{ me { subject } }"}', 'text/plain', 415],
      ['a form body', 'query=%7Bme%7Bsubject%7D%7D', 'application/x-www-form-urlencoded', 415],
      ['a latin-1 body', '{"query": "{ me { subject } }"}', 'application/json; charset=latin1', 415],
      ['no content type', '{"query": "{ me { subject } }"}', '', 415],
    ])('answers %s with a GraphQL-shaped error', async (name, body, contentType, status) => {
      const answer = await post(name, body, contentType ? { 'content-type': contentType } : {});
      expectRefusal(answer, status, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].message).toEqual(expect.any(String));
    });

    it('answers a body over 1 MiB with HTTP 413 in GraphQL shape', async () => {
      const answer = await ask('an oversize body', `{ me { subject } } # ${'x'.repeat(TRANSPORT_LIMITS.maxBodyBytes)}`);
      expectRefusal(answer, 413, 'BAD_USER_INPUT');
    });

    it('processes a body just under 1 MiB', async () => {
      const answer = await ask(
        'a body under the limit',
        `{ me { subject } } # ${'x'.repeat(TRANSPORT_LIMITS.maxBodyBytes - 100)}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ me: { subject: 'e2e-admin' } });
    });
  });

  describe('before execution', () => {
    it('refuses a fragment cycle in validation, without overflowing the stack', async () => {
      const answer = await ask(
        'a fragment cycle',
        'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      );
      expectRefusal(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0].message).toMatch(/Cannot spread fragment "A" within itself/);
    });

    it('refuses 1,000 aliases of the most expensive field before running any', async () => {
      const aliases = Array.from(
        { length: 1000 },
        (_, i) =>
          `a${i}: relationshipAsOf(relationshipId: "${arranged.relationshipId}", at: "2026-01-01T00:00:00Z") { eventsApplied trust { score } }`,
      );
      const answer = await ask('1,000 aliases', `{ ${aliases.join(' ')} }`);
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].extensions).toMatchObject({
        limit: 'aliases',
        found: 1000,
        allowed: QUERY_LIMITS.maxAliases,
      });
      expect(answer.body.data).toBeUndefined();
    });

    it('refuses more root fields than allowed, repeats and fragments counted', async () => {
      const answer = await ask(
        'too many root fields',
        `{ ...M ...M ${'me { subject } '.repeat(QUERY_LIMITS.maxRootFields)} } fragment M on Query { me { subject } }`,
      );
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].extensions).toMatchObject({
        limit: 'rootFields',
        found: QUERY_LIMITS.maxRootFields + 2,
      });
    });

    it('refuses nesting deeper than allowed', async () => {
      const deep = 'program { relationships { edges { node { '.repeat(3) + 'id' + ' } } } }'.repeat(3);
      const answer = await ask('too deep', `{ relationship(id: "${arranged.relationshipId}") { ${deep} } }`);
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].extensions).toMatchObject({ limit: 'depth', allowed: QUERY_LIMITS.maxDepth });
    });

    it('refuses more directives than allowed', async () => {
      const answer = await ask(
        'too many directives',
        `{ me { subject ${'@include(if: true) '.repeat(QUERY_LIMITS.maxDirectives + 1)} } }`,
      );
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].extensions).toMatchObject({ limit: 'directives' });
    });

    it('refuses a document longer than the token limit', async () => {
      const answer = await ask('too many tokens', `{ me { ${'subject '.repeat(QUERY_LIMITS.maxTokens)} } }`);
      expectRefusal(answer, 400, 'GRAPHQL_PARSE_FAILED');
    });

    it.each([
      ['a selection nested 5,000 deep', () => `{ me ${'{ subject '.repeat(5000)}${'}'.repeat(5001)}`, 'BAD_USER_INPUT'],
      [
        'a list literal nested 10,000 deep',
        () => `{ relationship(id: ${'['.repeat(10000)}${']'.repeat(10000)}) { id } }`,
        'BAD_USER_INPUT',
      ],
      [
        'an object literal nested 60 deep',
        () => `mutation { launchProgram(input: ${'{ a: '.repeat(60)}1${'}'.repeat(60)}) { position } }`,
        'BAD_USER_INPUT',
      ],
      ['a field repeated 4,000 times', () => `{ ${'me { subject } '.repeat(4000)}}`, 'GRAPHQL_VALIDATION_FAILED'],
      ['__typename repeated 15,000 times', () => `{ ${'__typename '.repeat(15000)}}`, 'GRAPHQL_VALIDATION_FAILED'],
      [
        '35 aliases of __typename',
        () => `{ ${Array.from({ length: 35 }, (_, i) => `t${i}: __typename`).join(' ')} }`,
        'BAD_USER_INPUT',
      ],
      [
        'a subscription over HTTP',
        () => `subscription { trustChanged(relationshipId: "${arranged.relationshipId}") { score } }`,
        'BAD_USER_INPUT',
      ],
      [
        'two operations and no operationName',
        () => 'query A { me { subject } } query B { me { subject } }',
        'OPERATION_RESOLUTION_FAILURE',
      ],
    ])('refuses %s with HTTP 400 and no engine message', async (name, query, code) => {
      const answer = await ask(name, query());
      expectRefusal(answer, 400, code);
      expect(answer.body.errors?.[0].message).not.toMatch(/call stack|aborted/i);
    });

    it('refuses a persisted-query hash that does not match its query', async () => {
      const answer = await post(
        'a mismatched persisted query',
        JSON.stringify({
          query: '{ me { subject } }',
          extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
        }),
      );
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
    });

    it.each([
      [
        'PUT',
        { method: 'PUT', body: '{"query": "{ me { subject } }"}', headers: { 'content-type': 'application/json' } },
        405,
      ],
      [
        'a mutation over GET',
        {
          method: 'GET',
          path: '?query=mutation%7BlaunchProgram(input:%7Bname:%22x%22%7D)%7Bposition%7D%7D',
          headers: { 'apollo-require-preflight': '1' },
        },
        405,
      ],
      [
        'an Accept it cannot answer',
        {
          method: 'POST',
          body: '{"query": "{ me { subject } }"}',
          headers: { 'content-type': 'application/json', accept: 'application/xml' },
        },
        406,
      ],
    ])('answers %s with a 4xx in GraphQL shape', async (name, request, status) => {
      const { path: query = '', ...init } = request as RequestInit & { path?: string };
      const response = await fetch(`${server.url}/graphql${query}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
      });
      answered.push({ name, status: response.status });
      expect(response.status).toBe(status);
      const body = (await response.json()) as Answer['body'];
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('refuses an operation over the cost limit with the figure, whatever way its work is spelled', async () => {
      const trajectory = `relationship(id: "${arranged.relationshipId}") { trustTrajectory { at score contributions { rule positive negative } } }`;
      const aliased = await ask(
        'costly aliases',
        `{ ${Array.from({ length: 12 }, (_, i) => `t${i}: ${trajectory}`).join(' ')} }`,
      );
      expectRefusal(aliased, 400, 'BAD_USER_INPUT');
      expect(aliased.body.errors?.[0].extensions).toMatchObject({ limit: 'cost', allowed: QUERY_LIMITS.maxCost });
      expect(aliased.body.errors?.[0].message).toMatch(/cost \d+; the limit is \d+/);

      const paged = await ask(
        'costly pages',
        'query ($n: Int) { programs(first: $n) { edges { node { relationships(first: $n) { edges { node { trust { score } cadence { score } } } } } } } }',
        { n: 200 },
      );
      expectRefusal(paged, 400, 'BAD_USER_INPUT');
      expect(paged.body.errors?.[0].extensions?.found).toBeGreaterThan(QUERY_LIMITS.maxCost);
    });

    it('answers an operation within the limits', async () => {
      const answer = await ask(
        'a fair query',
        `{ relationship(id: "${arranged.relationshipId}") { trust { score } trustTrajectory { at } cadence { score } } }`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      const page = await ask(
        'a page of 50 relationships',
        `{ program(id: "${arranged.programId}") { trustTrend(bucket: MONTH) { communications } relationships(first: 50) { totalCount edges { node {
           id status startedAt mentor { displayName } mentee { displayName } trust { score band } cadence { score } promises { id status } meetings { id status } } } } } }`,
      );
      expect(page.status).toBe(200);
      expect(page.body.errors).toBeUndefined();
    });
  });

  describe('bounded ranges', () => {
    const id = () => arranged.relationshipId;
    it.each([
      ['at', () => `{ relationshipAsOf(relationshipId: "${id()}", at: "9999-01-01T00:00:00Z") { eventsApplied } }`],
      ['at', () => `{ relationshipAsOf(relationshipId: "${id()}", at: "1900-01-01T00:00:00Z") { eventsApplied } }`],
      [
        'knownAt',
        () =>
          `{ relationshipAsOf(relationshipId: "${id()}", at: "2026-01-01T00:00:00Z", knownAt: "9999-01-01T00:00:00Z") { eventsApplied } }`,
      ],
      ['asOf', () => `{ relationship(id: "${id()}") { trust(asOf: "3000-01-01T00:00:00Z") { score } } }`],
      ['asOf', () => `{ relationship(id: "${id()}") { cadence(asOf: "3000-01-01T00:00:00Z") { score } } }`],
      ['to', () => `{ relationship(id: "${id()}") { trustTrajectory(to: "3000-01-01T00:00:00Z") { at } } }`],
      ['asOf', () => `{ program(id: "${arranged.programId}") { atRisk(asOf: "3000-01-01T00:00:00Z") { id } } }`],
      ['to', () => `{ program(id: "${arranged.programId}") { trustTrend(to: "3000-01-01T00:00:00Z") { start } } }`],
      ['from', () => `{ program(id: "${arranged.programId}") { trustTrend(from: "0001-01-01T00:00:00Z") { start } } }`],
    ])('refuses an instant outside its window, naming %s', async (argument, query) => {
      const answer = await ask(`out of range ${argument}`, query());
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].extensions?.violations).toEqual([expect.objectContaining({ field: argument })]);
    });

    it('refuses the same instants sent as variables', async () => {
      const answer = await ask(
        'out of range variable',
        'query ($id: ID!, $at: DateTime!) { relationshipAsOf(relationshipId: $id, at: $at) { eventsApplied } }',
        {
          id: arranged.relationshipId,
          at: '9999-01-01T00:00:00Z',
        },
      );
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].extensions?.violations).toEqual([expect.objectContaining({ field: 'at' })]);
    });

    it('answers a trend whose from defaults to a launch long ago with the most buckets documented', async () => {
      const answer = await ask(
        'trend of an old program',
        `{ program(id: "${longAgo.programId}") { trustTrend { start } } }`,
      );
      expect(answer.status).toBe(200);
      expect((answer.body.data as { program: { trustTrend: unknown[] } }).program.trustTrend).toHaveLength(
        QUERY_LIMITS.maxTrendBuckets,
      );
    });

    it('answers a trend of as many buckets as documented, and refuses one more', async () => {
      const weeks = (n: number) => new Date(Date.now() - n * 7 * 86_400_000).toISOString();
      const trend = (from: string) =>
        `{ program(id: "${arranged.programId}") { trustTrend(from: "${from}") { start } } }`;
      const within = await ask('longest trend', trend(weeks(QUERY_LIMITS.maxTrendBuckets - 2)));
      expect(within.status).toBe(200);
      const beyond = await ask('trend too long', trend(weeks(QUERY_LIMITS.maxTrendBuckets + 2)));
      expectRefusal(beyond, 400, 'BAD_USER_INPUT');
    });
  });

  describe('every scalar, in variables and in literals', () => {
    const launch = 'mutation ($input: LaunchProgramInput!) { launchProgram(input: $input) { position } }';
    const end = 'mutation ($input: EndRelationshipInput!) { endRelationship(input: $input) { position } }';
    const promise = 'mutation ($input: MakePromiseInput!) { makePromise(input: $input) { position } }';
    const endInput = (overrides: Record<string, unknown>) => ({
      relationshipId: arranged.relationshipId,
      endedBy: 'PROGRAM',
      reason: 'COMPLETED',
      planned: true,
      ...overrides,
    });
    const promiseInput = (overrides: Record<string, unknown>) => ({
      relationshipId: arranged.relationshipId,
      promisor: 'MENTOR',
      description: 'Send the reading list',
      dueAt: inAMonth(),
      ...overrides,
    });

    it.each<[string, string, () => Record<string, unknown>]>([
      ['Int overflow', launch, () => ({ input: { name: 'x', cadenceDays: 2147483648 } })],
      ['Int underflow', launch, () => ({ input: { name: 'x', cadenceDays: -2147483649 } })],
      ['Int as a fraction', launch, () => ({ input: { name: 'x', cadenceDays: 1.5 } })],
      ['Int as a string', launch, () => ({ input: { name: 'x', cadenceDays: '14' } })],
      ['Int as a boolean', launch, () => ({ input: { name: 'x', cadenceDays: true } })],
      ['Int as 1e400', launch, () => ({ input: { name: 'x', cadenceDays: Number.MAX_VALUE } })],
      ['String as a number', launch, () => ({ input: { name: 42 } })],
      ['String as an object', launch, () => ({ input: { name: { text: 'x' } } })],
      ['String as a list', launch, () => ({ input: { name: ['x'] } })],
      ['a required String missing', launch, () => ({ input: {} })],
      ['a required String as null', launch, () => ({ input: { name: null } })],
      ['an unknown input field', launch, () => ({ input: { name: 'x', colour: 'red' } })],
      ['the input as a string', launch, () => ({ input: 'name: x' })],
      ['Boolean as a string', end, () => ({ input: endInput({ planned: 'yes' }) })],
      ['Boolean as a number', end, () => ({ input: endInput({ planned: 1 }) })],
      ['ID as a boolean', end, () => ({ input: endInput({ relationshipId: true }) })],
      ['ID as a fraction', end, () => ({ input: endInput({ relationshipId: 1.5 }) })],
      ['ID as an object', end, () => ({ input: endInput({ relationshipId: {} }) })],
      ['an enum value that does not exist', end, () => ({ input: endInput({ endedBy: 'NOBODY' }) })],
      ['an enum value in lower case', end, () => ({ input: endInput({ endedBy: 'program' }) })],
      ['an enum as a number', end, () => ({ input: endInput({ endedBy: 1 }) })],
      ['DateTime on 30 February', promise, () => ({ input: promiseInput({ dueAt: '2026-02-30T00:00:00Z' }) })],
      ['DateTime at 24:00', promise, () => ({ input: promiseInput({ dueAt: '2026-03-01T24:00:00Z' }) })],
      ['DateTime without a zone', promise, () => ({ input: promiseInput({ dueAt: '2026-03-01T09:30:00' }) })],
      ['DateTime as a word', promise, () => ({ input: promiseInput({ dueAt: 'tomorrow' }) })],
      ['DateTime as a number', promise, () => ({ input: promiseInput({ dueAt: 1767225600000 }) })],
      ['DateTime past year 9999', promise, () => ({ input: promiseInput({ dueAt: '9999-12-31T23:00:00-05:00' }) })],
    ])('refuses %s in variables with BAD_USER_INPUT and HTTP 400', async (name, query, variables) => {
      expectRefusal(await ask(`variables: ${name}`, query, variables()), 400, 'BAD_USER_INPUT');
    });

    it.each<[string, () => string]>([
      ['Int overflow', () => 'mutation { launchProgram(input: { name: "x", cadenceDays: 2147483648 }) { position } }'],
      ['Int as a fraction', () => 'mutation { launchProgram(input: { name: "x", cadenceDays: 1.5 }) { position } }'],
      ['Int as a string', () => 'mutation { launchProgram(input: { name: "x", cadenceDays: "14" }) { position } }'],
      ['String as a number', () => 'mutation { launchProgram(input: { name: 42 }) { position } }'],
      ['String as an enum', () => 'mutation { launchProgram(input: { name: MENTOR }) { position } }'],
      ['a required String as null', () => 'mutation { launchProgram(input: { name: null }) { position } }'],
      ['a required String missing', () => 'mutation { launchProgram(input: {}) { position } }'],
      ['an unknown input field', () => 'mutation { launchProgram(input: { name: "x", colour: "red" }) { position } }'],
      [
        'Boolean as a string',
        () =>
          `mutation { endRelationship(input: { relationshipId: "${arranged.relationshipId}", endedBy: PROGRAM, reason: COMPLETED, planned: "yes" }) { position } }`,
      ],
      ['ID as a boolean', () => '{ relationship(id: true) { id } }'],
      ['ID as a fraction', () => '{ relationship(id: 1.5) { id } }'],
      [
        'an enum value that does not exist',
        () => `{ program(id: "${arranged.programId}") { trustTrend(bucket: DAY) { start } } }`,
      ],
      [
        'an enum as a string',
        () => `{ program(id: "${arranged.programId}") { trustTrend(bucket: "WEEK") { start } } }`,
      ],
      [
        'DateTime on 30 February',
        () =>
          `{ relationshipAsOf(relationshipId: "${arranged.relationshipId}", at: "2026-02-30T00:00:00Z") { eventsApplied } }`,
      ],
      [
        'DateTime as a word',
        () => `{ relationshipAsOf(relationshipId: "${arranged.relationshipId}", at: "yesterday") { eventsApplied } }`,
      ],
      [
        'DateTime as a number',
        () => `{ relationshipAsOf(relationshipId: "${arranged.relationshipId}", at: 42) { eventsApplied } }`,
      ],
    ])('refuses %s as a literal with BAD_USER_INPUT and HTTP 400', async (name, query) => {
      expectRefusal(await ask(`literal: ${name}`, query()), 400, 'BAD_USER_INPUT');
    });
  });

  describe('clean text', () => {
    const launch = 'mutation ($input: LaunchProgramInput!) { launchProgram(input: $input) { position } }';
    it.each([
      ['a NUL byte', { name: 'Spring\u0000cohort' }],
      ['an ANSI escape', { name: '\u001b[31mSpring\u001b[0m' }],
      ['a C1 control', { name: 'Spring\u009bcohort' }],
      ['a newline in a name', { name: 'Spring\ncohort' }],
      ['a lone surrogate', { name: 'Spring \ud800 cohort' }],
      ['a whitespace-only name', { name: '    ' }],
      ['an escape in the idempotency key', { name: 'Spring', idempotencyKey: 'key\u001b' }],
    ])('refuses %s naming the field, with HTTP 400', async (name, input) => {
      const answer = await ask(`text: ${name}`, launch, { input });
      expectRefusal(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0].extensions?.violations).toEqual([
        expect.objectContaining({ field: expect.stringMatching(/^input\.(name|idempotencyKey)$/) }),
      ]);
    });

    it('refuses a blank or escaped promise description, and keeps newlines in one', async () => {
      const promise = 'mutation ($input: MakePromiseInput!) { makePromise(input: $input) { position } }';
      const input = (description: string) => ({
        input: { relationshipId: arranged.relationshipId, promisor: 'MENTOR', description, dueAt: inAMonth() },
      });
      expectRefusal(await ask('text: blank description', promise, input('   \n ')), 400, 'BAD_USER_INPUT');
      expectRefusal(
        await ask('text: escaped description', promise, input('read \u001b[2J this')),
        400,
        'BAD_USER_INPUT',
      );
      const kept = await ask('text: multiline description', promise, input('Read:\n\tchapter 1\r\n\tchapter 2'));
      expect(kept.body.errors).toBeUndefined();
      eventsBefore += 1;
    });
  });

  it('passes every MUST of the GraphQL-over-HTTP audit suite, and none of its requests gets a 5xx', async () => {
    const statuses: number[] = [];
    const results = await auditServer({
      url: `${server.url}/graphql`,
      fetchFn: async (input: string | URL | Request, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        const response = await fetch(input, { ...init, headers });
        statuses.push(response.status);
        return response;
      },
    });
    expect(results.filter((result) => result.status === 'error').map((result) => result.name)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  it('cuts off a client that never finishes sending its request', async () => {
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: 1000\r\n\r\n{"query":`,
    );
    // One more byte now and then keeps the socket busy, but not the request alive.
    const trickle = setInterval(() => socket.write(' '), 2_000);
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(trickle);
    expect(received === '' || /^HTTP\/1\.1 408/.test(received)).toBe(true);
  }, 120_000);

  it('answered nothing with a 5xx, appended nothing and still answers /health', async () => {
    expect(answered.length).toBeGreaterThan(80);
    expect(answered.filter(({ status }) => status >= 500)).toEqual([]);
    expect((await store.readAll()).length).toBe(eventsBefore);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });
});
