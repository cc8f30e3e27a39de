import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Authentication, mintToken, resolveJwtSecret, type TokenClaims, TokenVerifier } from '@trustline/access';
import type { AppConfig } from '@trustline/config';

export type { TokenClaims } from '@trustline/access';

/** The server's token verifier and minter, configured from its environment. */
@Injectable()
export class AuthService {
  private readonly key: { secret: string; issuer: string | null; audience: string | null };
  private readonly verifier: TokenVerifier;

  constructor(config: ConfigService<AppConfig, true>) {
    this.key = {
      secret: resolveJwtSecret(config.get('DATA_DIR', { infer: true }), config.get('AUTH_JWT_SECRET', { infer: true })),
      issuer: config.get('AUTH_ISSUER', { infer: true }) ?? null,
      audience: config.get('AUTH_AUDIENCE', { infer: true }) ?? null,
    };
    this.verifier = new TokenVerifier({ ...this.key, jwksUrl: config.get('AUTH_JWKS_URL', { infer: true }) ?? null });
  }

  /** An HS256 token this server accepts (lifetime "12h" by default; seconds may be negative, for tests). */
  mint(claims: TokenClaims, lifetime?: string | number): string {
    return mintToken(this.key, claims, lifetime);
  }

  /** `Authorization: Bearer <JWT>` (or the graphql-ws connection param of the same shape). */
  authenticate(authorization: unknown): Promise<Authentication> {
    return this.verifier.authenticate(authorization);
  }
}
