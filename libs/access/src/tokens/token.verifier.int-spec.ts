import { type JwksServer, signingKey, type SigningKey, signWith as sign, startJwksServer } from '@trustline/testing';
import { exportSPKI, SignJWT } from 'jose';
import { mintToken, type TokenClaims } from './token.minter';
import { TokenVerifier } from './token.verifier';

// Tokens as authorization.md §1 defines them, verified against a key server
// this test runs on loopback (a real HTTP JWKS endpoint, as an identity provider serves it).

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const now = () => Math.floor(Date.now() / 1000);

const unsigned = (header: object, claims: object) =>
  `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

describe('a bearer token', () => {
  const verifier = new TokenVerifier({ secret: SECRET });
  const valid: TokenClaims = { sub: 'ada', roles: ['PROGRAM_MANAGER'], programIds: ['p1'] };

  describe('signed HS256 with the server secret', () => {
    it('names its caller, with only the known roles', async () => {
      const token = mintToken({ secret: SECRET }, { ...valid, roles: ['PROGRAM_MANAGER', 'OWNER' as never] });
      expect(await verifier.authenticate(`Bearer ${token}`)).toEqual({
        kind: 'viewer',
        viewer: { subject: 'ada', roles: ['PROGRAM_MANAGER'], participantId: null, programIds: ['p1'] },
        expiresAt: expect.any(Number),
      });
    });

    it('is still valid within 30 s of clock skew past its exp, and invalid beyond', async () => {
      expect((await verifier.verify(mintToken({ secret: SECRET }, valid, -10))).kind).toBe('viewer');
      expect((await verifier.verify(mintToken({ secret: SECRET }, valid, -60))).kind).toBe('invalid');
    });
  });

  it.each<[string, () => Promise<string> | string]>([
    ['signed with another secret', () => mintToken({ secret: 'o'.repeat(40) }, valid)],
    [
      'without exp',
      () => new SignJWT({ ...valid }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET)),
    ],
    [
      'without sub',
      () =>
        new SignJWT({ roles: ['ADMIN'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(SECRET)),
    ],
    [
      'with an empty sub',
      () =>
        new SignJWT({ roles: ['ADMIN'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(SECRET)),
    ],
    ['unsigned (alg none)', () => unsigned({ alg: 'none', typ: 'JWT' }, { ...valid, exp: now() + 3600 })],
    [
      'signed with another HMAC algorithm (HS512)',
      () =>
        new SignJWT({ ...valid })
          .setProtectedHeader({ alg: 'HS512' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(SECRET.repeat(2))),
    ],
    [
      'an RS256 token while no JWKS is configured',
      async () => sign(await signingKey('k', 'RS256'), { ...valid, exp: now() + 3600 }),
    ],
    ['not a JWT at all', () => 'not-a-token'],
  ])('%s is invalid', async (_case, make) => {
    expect(await verifier.authenticate(`Bearer ${await make()}`)).toMatchObject({ kind: 'invalid' });
  });

  it('that is not a Bearer credential is invalid, and none at all is anonymous', async () => {
    expect(await verifier.authenticate(`Basic abc`)).toMatchObject({ kind: 'invalid' });
    expect(await verifier.authenticate(undefined)).toEqual({ kind: 'anonymous' });
  });

  describe('with AUTH_ISSUER and AUTH_AUDIENCE configured', () => {
    const strict = new TokenVerifier({ secret: SECRET, issuer: 'https://id.example.org', audience: 'trustline' });

    it('is valid only with both matching', async () => {
      const key = { secret: SECRET, issuer: 'https://id.example.org', audience: 'trustline' };
      expect((await strict.verify(mintToken(key, valid))).kind).toBe('viewer');
      expect((await strict.verify(mintToken({ ...key, issuer: 'https://evil.example' }, valid))).kind).toBe('invalid');
      expect((await strict.verify(mintToken({ ...key, audience: 'other' }, valid))).kind).toBe('invalid');
      expect((await strict.verify(mintToken({ secret: SECRET }, valid))).kind).toBe('invalid');
    });
  });

  describe('from an identity provider (AUTH_JWKS_URL)', () => {
    let keys: JwksServer;
    let rsa: SigningKey;
    let ec: SigningKey;

    beforeAll(async () => {
      keys = await startJwksServer();
      rsa = await signingKey('rsa-1', 'RS256');
      ec = await signingKey('ec-1', 'ES256');
    });
    afterAll(() => keys.close());

    const jwksVerifier = () => new TokenVerifier({ secret: SECRET, jwksUrl: keys.url, jwks: { cooldownMs: 0 } });

    it('verifies RS256 and ES256 tokens signed with a published key, fetching the set once', async () => {
      keys.publish([rsa, ec]);
      const verifier = jwksVerifier();
      const before = keys.fetches();
      expect(await verifier.verify(await sign(rsa, { ...valid, exp: now() + 3600 }))).toMatchObject({
        kind: 'viewer',
        viewer: { subject: 'ada' },
      });
      expect(await verifier.verify(await sign(ec, { ...valid, exp: now() + 3600 }))).toMatchObject({ kind: 'viewer' });
      expect(await verifier.verify(await sign(rsa, { ...valid, exp: now() + 3600 }))).toMatchObject({ kind: 'viewer' });
      expect(keys.fetches() - before).toBe(1);
      // The embedded default's HS256 tokens still verify beside them.
      expect((await verifier.verify(mintToken({ secret: SECRET }, valid))).kind).toBe('viewer');
    });

    it('refuses a token whose kid the key set does not hold', async () => {
      keys.publish([rsa]);
      const stranger = await signingKey('unknown-kid', 'RS256');
      expect(await jwksVerifier().verify(await sign(stranger, { ...valid, exp: now() + 3600 }))).toMatchObject({
        kind: 'invalid',
      });
    });

    it('refuses a token signed with a published kid but another private key', async () => {
      keys.publish([rsa]);
      const impostor = { ...(await signingKey('rsa-1', 'RS256')) };
      expect(await jwksVerifier().verify(await sign(impostor, { ...valid, exp: now() + 3600 }))).toMatchObject({
        kind: 'invalid',
      });
    });

    it('verifies tokens of a rotated key once the set is refreshed, and no longer those of a removed key', async () => {
      keys.publish([rsa]);
      const verifier = jwksVerifier();
      expect((await verifier.verify(await sign(rsa, { ...valid, exp: now() + 3600 }))).kind).toBe('viewer');
      const rotated = await signingKey('rsa-2', 'RS256');
      keys.publish([rotated]);
      // The unknown kid makes the verifier fetch the set again.
      expect((await verifier.verify(await sign(rotated, { ...valid, exp: now() + 3600 }))).kind).toBe('viewer');
      expect((await verifier.verify(await sign(rsa, { ...valid, exp: now() + 3600 }))).kind).toBe('invalid');
    });

    it('refuses an HS256 token signed with the public key (algorithm confusion)', async () => {
      keys.publish([rsa]);
      const pem = await exportSPKI(rsa.publicKey);
      const confused = await new SignJWT({ ...valid })
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(pem));
      expect(await jwksVerifier().verify(confused)).toMatchObject({ kind: 'invalid' });
    });

    it('refuses a JWKS-signed token without exp, or expired', async () => {
      keys.publish([rsa]);
      expect(await jwksVerifier().verify(await sign(rsa, { ...valid }))).toMatchObject({ kind: 'invalid' });
      expect(await jwksVerifier().verify(await sign(rsa, { ...valid, exp: now() - 120 }))).toMatchObject({
        kind: 'invalid',
      });
    });
  });
});
