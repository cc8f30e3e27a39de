import { firstOutcome, wsClient } from './support/access.fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// What the HTTP layer tells callers (authorization.md §1, issue #8 item 5):
// CORS allow-list, no framework banner, the rate limit per subject and per
// operation with HTTP 429 + Retry-After, forwarded addresses only behind TRUST_PROXY.

jest.setTimeout(120_000);

const ALLOWED_ORIGIN = 'https://app.example.org';
const LIMIT = 5;

const preflight = (server: TestApp, origin: string) =>
  fetch(`${server.url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });

const post = (server: TestApp, query: string, headers: Record<string, string>) =>
  fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });

describe('the HTTP surface', () => {
  let direct: TestApp;
  let proxied: TestApp;

  beforeAll(async () => {
    direct = await startTestApp({
      env: {
        CORS_ORIGINS: `${ALLOWED_ORIGIN}, https://admin.example.org`,
        TRUST_PROXY: 'false',
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
      },
    });
    // Explicit empty CORS_ORIGINS: @nestjs/config copies one app's settings into process.env for the next.
    proxied = await startTestApp({
      env: { TRUST_PROXY: 'true', CORS_ORIGINS: '', RATE_LIMIT_PER_MINUTE: String(LIMIT) },
    });
  });
  afterAll(async () => {
    for (const server of [direct, proxied]) {
      await server.close();
      removeDir(server.dataDir);
    }
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin, the Authorization header included', async () => {
      const response = await preflight(direct, ALLOWED_ORIGIN);
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    });

    it('grants nothing to an origin not on the list, nor to any origin by default', async () => {
      for (const [server, origin] of [
        [direct, 'https://evil.example'],
        [direct, 'https://app.example.org.evil.example'],
        [proxied, ALLOWED_ORIGIN],
      ] as const) {
        const response = await preflight(server, origin);
        expect([origin, response.headers.get('access-control-allow-origin')]).toEqual([origin, null]);
        const call = await post(server, '{ me { subject } }', { origin, authorization: `Bearer ${server.token()}` });
        expect([origin, call.headers.get('access-control-allow-origin')]).toEqual([origin, null]);
      }
    });

    it('lets an allowed origin read an authorized answer', async () => {
      const response = await post(direct, '{ me { subject } }', {
        origin: ALLOWED_ORIGIN,
        authorization: `Bearer ${direct.token({ sub: 'cors' })}`,
      });
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(await response.json()).toEqual({ data: { me: { subject: 'cors' } } });
    });
  });

  it('sends no X-Powered-By', async () => {
    for (const path of ['/graphql', '/health']) {
      const response = await fetch(`${direct.url}${path}`, { method: path === '/graphql' ? 'POST' : 'GET' });
      expect([path, response.headers.get('x-powered-by')]).toEqual([path, null]);
    }
  });

  describe('the rate limit', () => {
    it('counts an operation once however many root fields it has, per subject, then answers 429 with Retry-After', async () => {
      const many = `{ ${Array.from({ length: 12 }, (_, i) => `f${i}: me { subject }`).join(' ')} }`;
      const busy = direct.token({ sub: 'busy-subject' });
      for (let i = 0; i < LIMIT; i++) {
        const response = await post(direct, many, { authorization: `Bearer ${busy}` });
        expect([i, response.status]).toEqual([i, 200]);
      }
      const limited = await post(direct, many, { authorization: `Bearer ${busy}` });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await limited.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
      expect([body.data ?? null, body.errors[0].extensions.code]).toEqual([null, 'RATE_LIMITED']);
      // Another subject, from the same address, has its own budget.
      const other = await post(direct, '{ me { subject } }', {
        authorization: `Bearer ${direct.token({ sub: 'calm-subject' })}`,
      });
      expect(other.status).toBe(200);
    });

    it('counts each graphql-ws subscribe message against the same budget', async () => {
      const client = wsClient(direct, direct.token({ sub: 'subscriber' }));
      // An unknown program: allowed to an ADMIN and never pushing, so only the refused subscription answers.
      const outcomes = Array.from({ length: LIMIT + 1 }, (_, index) =>
        firstOutcome(client, 'subscription ($id: ID!) { programTrustChanged(programId: $id) { relationshipId } }', {
          id: '00000000-0000-4000-8000-000000000000',
        }).then((outcome) => ({ index, outcome })),
      );
      const first = await Promise.race(outcomes);
      await client.dispose();
      const codes =
        first.outcome.kind === 'error'
          ? (first.outcome.error as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)
          : [];
      expect([first.index, codes]).toEqual([LIMIT, ['RATE_LIMITED']]);
    });

    it('keys anonymous callers by their address, ignoring X-Forwarded-For unless TRUST_PROXY says to believe it', async () => {
      const statuses = async (server: TestApp) => {
        const seen: number[] = [];
        for (let i = 0; i <= LIMIT; i++)
          seen.push((await post(server, '{ __typename }', { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
        return seen;
      };
      // Directly exposed: the forged header changes nothing, the one address runs out.
      expect((await statuses(direct)).at(-1)).toBe(429);
      // Behind a trusted proxy: each forwarded client has its own budget (and no token: 401).
      expect(await statuses(proxied)).toEqual(Array(LIMIT + 1).fill(401));
    });
  });
});
