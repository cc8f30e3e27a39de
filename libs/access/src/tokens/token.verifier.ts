import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { type Principal, principalFromClaims } from '../principal';
import { TOKEN_TUNING } from './token.tuning';

export interface TokenSettings {
  /** The HS256 secret (AUTH_JWT_SECRET, else the embedded default's generated one). */
  secret: string;
  /** AUTH_JWKS_URL: RS256/ES256 tokens are checked against this key set when set. */
  jwksUrl?: string | null;
  /** AUTH_ISSUER / AUTH_AUDIENCE: checked when set. */
  issuer?: string | null;
  audience?: string | null;
  /** Overrides of TOKEN_TUNING.jwks (tests shorten the cooldown to see a rotation at once). */
  jwks?: Partial<Record<keyof (typeof TOKEN_TUNING)['jwks'], number>>;
  /** Overrides TOKEN_TUNING.verifiedTokensKept (tests use a small bound). */
  verifiedTokensKept?: number;
}

/** What a request's credentials amount to. */
export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'viewer'; viewer: Principal; /** `exp`, in epoch milliseconds. */ expiresAt: number }
  | { kind: 'invalid'; reason: string };

const SECRET_ALGORITHMS = ['HS256'];
const PUBLIC_KEY_ALGORITHMS = ['RS256', 'ES256'];
const BEARER = /^Bearer\s+(\S+)$/i;
const INVALID = 'The token is invalid or expired';

/** A token verified once, and the instants (epoch seconds) its validity depends on. */
interface Verified {
  readonly authentication: Authentication & { kind: 'viewer' };
  readonly exp: number;
  readonly nbf: number | undefined;
}

/**
 * Verifies bearer tokens as authorization.md §1 says: a signature checked only
 * against the key kind its `alg` names (HS256 with the secret; RS256/ES256
 * with the JWKS when configured), never `none`; `sub` and `exp` required;
 * 30 s of skew; `iss`/`aud` when configured.
 */
export class TokenVerifier {
  private readonly secret: Uint8Array;
  private readonly jwks: JWTVerifyGetKey | null;
  /**
   * HS256 tokens that verified, by their text: the same token (a client sends
   * the one it holds on every request) is not checked again while it is valid.
   * Its signature and claims were checked against this verifier's one secret
   * and settings, which never change; exp and nbf are checked again against
   * the clock at every use, exactly as jose checks them. Failures are never
   * kept. JWKS-signed tokens are not kept either: their validity follows the
   * key set, which may rotate.
   */
  private readonly verified = new Map<string, Verified>();
  private readonly verifiedCapacity: number;

  constructor(private readonly settings: TokenSettings) {
    this.secret = new TextEncoder().encode(settings.secret);
    this.verifiedCapacity = settings.verifiedTokensKept ?? TOKEN_TUNING.verifiedTokensKept;
    const tuning = { ...TOKEN_TUNING.jwks, ...settings.jwks };
    this.jwks = settings.jwksUrl
      ? createRemoteJWKSet(new URL(settings.jwksUrl), {
          cacheMaxAge: tuning.cacheMaxAgeMs,
          cooldownDuration: tuning.cooldownMs,
          timeoutDuration: tuning.timeoutMs,
        })
      : null;
  }

  /** Reads `Authorization: Bearer <JWT>` (or the graphql-ws connection param of the same shape). */
  async authenticate(authorization: unknown): Promise<Authentication> {
    if (authorization === undefined || authorization === null || authorization === '') return { kind: 'anonymous' };
    if (typeof authorization !== 'string')
      return { kind: 'invalid', reason: 'The authorization must be "Bearer <token>"' };
    const match = BEARER.exec(authorization.trim());
    if (!match) return { kind: 'invalid', reason: 'The authorization must be "Bearer <token>"' };
    return this.verify(match[1]);
  }

  async verify(token: string): Promise<Authentication> {
    const kept = this.verified.get(token);
    if (kept !== undefined) {
      if (stillValid(kept)) return kept.authentication;
      // Expired (or the clock moved back before nbf): verified again below, which refuses it as jose does.
      this.verified.delete(token);
    }
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return { kind: 'invalid', reason: INVALID };
    }
    const options = {
      clockTolerance: TOKEN_TUNING.clockSkewSeconds,
      requiredClaims: ['sub', 'exp'],
      ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
      ...(this.settings.audience ? { audience: this.settings.audience } : {}),
    };
    let payload: JWTPayload;
    try {
      if (alg !== undefined && SECRET_ALGORITHMS.includes(alg)) {
        ({ payload } = await jwtVerify(token, this.secret, { ...options, algorithms: SECRET_ALGORITHMS }));
      } else if (alg !== undefined && PUBLIC_KEY_ALGORITHMS.includes(alg) && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...options, algorithms: PUBLIC_KEY_ALGORITHMS }));
      } else {
        return { kind: 'invalid', reason: INVALID };
      }
    } catch {
      return { kind: 'invalid', reason: INVALID };
    }
    const viewer = principalFromClaims(payload as Record<string, unknown>);
    if (!viewer || typeof payload.exp !== 'number') return { kind: 'invalid', reason: INVALID };
    const authentication = { kind: 'viewer' as const, viewer, expiresAt: payload.exp * 1000 };
    if (alg !== undefined && SECRET_ALGORITHMS.includes(alg)) {
      // Shared by every request that sends this token: read-only.
      Object.freeze(viewer.roles);
      Object.freeze(viewer.programIds);
      Object.freeze(viewer);
      this.keep(token, { authentication: Object.freeze(authentication), exp: payload.exp, nbf: payload.nbf });
    }
    return authentication;
  }

  private keep(token: string, verified: Verified): void {
    if (this.verifiedCapacity <= 0) return;
    // Beyond the bound the oldest goes (Map keeps insertion order).
    while (this.verified.size >= this.verifiedCapacity) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
  }
}

/** jose's own checks of exp and nbf (jwt_claims_set.js), against the clock now, with the same skew. */
function stillValid({ exp, nbf }: Verified): boolean {
  const now = Math.floor(Date.now() / 1000);
  const tolerance = TOKEN_TUNING.clockSkewSeconds;
  return exp > now - tolerance && (nbf === undefined || nbf <= now + tolerance);
}
