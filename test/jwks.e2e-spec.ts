import { type JwksServer, signingKey, type SigningKey, signWith, startJwksServer } from '@trustline/testing';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// The server with a real identity provider's settings: AUTH_JWKS_URL (a key
// server on loopback), AUTH_ISSUER and AUTH_AUDIENCE.

jest.setTimeout(120_000);

const ISSUER = 'https://id.example.org/';
const AUDIENCE = 'trustline-api';

describe('a server verifying tokens of an identity provider', () => {
  let keys: JwksServer;
  let key: SigningKey;
  let server: TestApp;
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
  const me = (token: string) =>
    server.graphql<{ me: { subject: string; roles: string[] } }>('{ me { subject roles } }', {}, { token });

  beforeAll(async () => {
    keys = await startJwksServer();
    key = await signingKey('idp-1', 'RS256');
    keys.publish([key, await signingKey('idp-ec', 'ES256')]);
    server = await startTestApp({ env: { AUTH_JWKS_URL: keys.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
    await keys.close();
  });

  it("accepts the provider's RS256 token with the configured issuer and audience", async () => {
    const token = await signWith(key, {
      sub: 'okta|ada',
      roles: ['AUDITOR', 'SUPERUSER'],
      iss: ISSUER,
      aud: AUDIENCE,
      exp: inAnHour(),
    });
    const response = await me(token);
    expect(response.data).toEqual({ me: { subject: 'okta|ada', roles: ['AUDITOR'] } });
  });

  it.each<[string, Record<string, unknown>]>([
    ['another issuer', { iss: 'https://evil.example/', aud: AUDIENCE }],
    ['another audience', { iss: ISSUER, aud: 'someone-else' }],
    ['no exp', { iss: ISSUER, aud: AUDIENCE, exp: undefined }],
  ])('refuses a token of %s with UNAUTHENTICATED', async (_case, claims) => {
    const token = await signWith(key, { sub: 'okta|mallory', roles: ['ADMIN'], exp: inAnHour(), ...claims });
    const response = await me(token);
    expect([response.status, response.data ?? null, response.errors?.[0].extensions?.code]).toEqual([
      401,
      null,
      'UNAUTHENTICATED',
    ]);
  });

  it('refuses a token whose kid the key set does not hold', async () => {
    const stranger = await signingKey('not-published', 'RS256');
    const response = await me(
      await signWith(stranger, { sub: 'x', roles: ['ADMIN'], iss: ISSUER, aud: AUDIENCE, exp: inAnHour() }),
    );
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('still accepts its own HS256 tokens, minted with the same issuer and audience', async () => {
    expect((await me(server.token({ sub: 'cli-admin' }))).data?.me.subject).toBe('cli-admin');
  });
});
