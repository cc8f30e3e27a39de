import { SignJWT } from 'jose';
import { mintToken, type TokenClaims } from './token.minter';
import { TOKEN_TUNING } from './token.tuning';
import { TokenVerifier } from './token.verifier';

// The verifier keeps the HS256 tokens that verified, so a client's token is not
// checked again on every request: what it answers must stay what a fresh check answers.

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const claims: TokenClaims = { sub: 'ada', roles: ['MENTOR'], participantId: 'p-1' };
const SKEW_MS = TOKEN_TUNING.clockSkewSeconds * 1000;

describe('verified tokens kept by the verifier', () => {
  const start = Date.parse('2026-03-02T10:00:00.000Z');
  beforeEach(() => {
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => jest.useRealTimers());

  it('answers a token seen before with the same authentication, without checking it again', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const token = mintToken({ secret: SECRET }, claims, 3600, start);
    const first = await verifier.verify(token);
    expect(first).toEqual({
      kind: 'viewer',
      viewer: { subject: 'ada', roles: ['MENTOR'], participantId: 'p-1', programIds: [] },
      expiresAt: (Math.floor(start / 1000) + 3600) * 1000,
    });
    expect(await verifier.verify(token)).toBe(first);
    expect(await verifier.authenticate(`Bearer ${token}`)).toBe(first);
    // Shared between requests, so read-only.
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses a kept token once it has expired (beyond the skew), as a fresh check does', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const token = mintToken({ secret: SECRET }, claims, 60, start);
    expect((await verifier.verify(token)).kind).toBe('viewer');
    jest.setSystemTime(start + 60_000 + SKEW_MS - 1000);
    expect((await verifier.verify(token)).kind).toBe('viewer');
    jest.setSystemTime(start + 60_000 + SKEW_MS);
    expect(await verifier.verify(token)).toEqual({ kind: 'invalid', reason: 'The token is invalid or expired' });
    expect(await new TokenVerifier({ secret: SECRET }).verify(token)).toEqual(await verifier.verify(token));
  });

  it('keeps no refusal: a token not valid yet (nbf) is accepted once its time comes', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const nbf = Math.floor(start / 1000) + 120;
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setNotBefore(nbf)
      .setExpirationTime(nbf + 3600)
      .sign(new TextEncoder().encode(SECRET));
    expect((await verifier.verify(token)).kind).toBe('invalid');
    jest.setSystemTime((nbf - TOKEN_TUNING.clockSkewSeconds) * 1000);
    const accepted = await verifier.verify(token);
    expect(accepted.kind).toBe('viewer');
    expect(await verifier.verify(token)).toBe(accepted);
    // The clock moved back before nbf: refused again, as jose refuses it.
    jest.setSystemTime(start);
    expect((await verifier.verify(token)).kind).toBe('invalid');
  });

  it('is kept per verifier: another secret refuses a token this one accepted', async () => {
    const token = mintToken({ secret: SECRET }, claims, 3600, start);
    expect((await new TokenVerifier({ secret: SECRET }).verify(token)).kind).toBe('viewer');
    expect((await new TokenVerifier({ secret: 'o'.repeat(48) }).verify(token)).kind).toBe('invalid');
  });

  it('refuses a tampered copy of a kept token', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const token = mintToken({ secret: SECRET }, claims, 3600, start);
    expect((await verifier.verify(token)).kind).toBe('viewer');
    const [header, payload, signature] = token.split('.');
    const admin = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['ADMIN'] }),
    ).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect((await verifier.verify(`${header}.${admin}.${signature}`)).kind).toBe('invalid');
    expect((await verifier.verify(`${header}.${payload}.${flipped}`)).kind).toBe('invalid');
    expect((await verifier.verify(`${header}.${payload}.`)).kind).toBe('invalid');
    expect((await verifier.verify(token)).kind).toBe('viewer');
  });

  it('keeps at most its bound, the oldest going first', async () => {
    const verifier = new TokenVerifier({ secret: SECRET, verifiedTokensKept: 2 });
    const tokens = ['a', 'b', 'c'].map((sub) => mintToken({ secret: SECRET }, { ...claims, sub }, 3600, start));
    const first = await Promise.all(tokens.map((token) => verifier.verify(token)));
    const again = await verifier.verify(tokens[0]);
    expect(again).toEqual(first[0]);
    expect(again).not.toBe(first[0]);
    // Verifying the first again pushed out the second; the third is still kept.
    expect(await verifier.verify(tokens[2])).toBe(first[2]);
    expect(await verifier.verify(tokens[1])).not.toBe(first[1]);
  });

  it('keeps nothing with a bound of 0', async () => {
    const verifier = new TokenVerifier({ secret: SECRET, verifiedTokensKept: 0 });
    const token = mintToken({ secret: SECRET }, claims, 3600, start);
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).not.toBe(first);
    expect(await verifier.verify(token)).toEqual(first);
  });
});
