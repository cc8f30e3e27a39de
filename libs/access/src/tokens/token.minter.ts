import { createHmac } from 'node:crypto';
import type { Role } from '../principal';
import { TOKEN_TUNING } from './token.tuning';

export interface TokenClaims {
  sub: string;
  roles: Role[];
  participantId?: string;
  programIds?: string[];
}

// What a person is likely to type: 90 (seconds), 30m, 12h, 7d, 2w.
const DURATION = /^(\d+)(s|m|h|d|w)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

export class TokenLifetimeError extends Error {
  override name = 'TokenLifetimeError';
}

/** Seconds of a lifetime such as "12h"; a token always expires, at most 30 days after it is minted. */
export function lifetimeSeconds(lifetime: string): number {
  const match = DURATION.exec(lifetime.trim());
  if (!match) throw new TokenLifetimeError(`a lifetime looks like 90 (seconds), 30m, 12h or 7d, not "${lifetime}"`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
  if (seconds <= 0 || seconds > TOKEN_TUNING.maxLifetimeSeconds) {
    throw new TokenLifetimeError(
      `a token lives more than 0 seconds and at most ${TOKEN_TUNING.maxLifetimeSeconds / 86_400} days`,
    );
  }
  return seconds;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An HS256 token the server accepts, `exp` always set. `lifetime` is a
 * duration ("12h"), or seconds (negative ones mint an expired token, for
 * tests). Signed synchronously with node:crypto (a JWS is header.payload and
 * an HMAC of both); verification is jose's (TokenVerifier).
 */
export function mintToken(
  key: { secret: string; issuer?: string | null; audience?: string | null },
  claims: TokenClaims,
  lifetime: string | number = TOKEN_TUNING.defaultLifetime,
  now: number = Date.now(),
): string {
  const seconds = typeof lifetime === 'number' ? lifetime : lifetimeSeconds(lifetime);
  if (seconds > TOKEN_TUNING.maxLifetimeSeconds) throw new TokenLifetimeError('a token lives at most 30 days');
  const iat = Math.floor(now / 1000);
  const payload = {
    ...claims,
    iat,
    exp: iat + seconds,
    ...(key.issuer ? { iss: key.issuer } : {}),
    ...(key.audience ? { aud: key.audience } : {}),
  };
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  const signature = createHmac('sha256', key.secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}
