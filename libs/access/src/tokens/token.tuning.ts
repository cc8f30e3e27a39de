// Every number of token handling, in one place.
export const TOKEN_TUNING = {
  /** Clock skew tolerated on `exp` (and `nbf`/`iat`), authorization.md §1. */
  clockSkewSeconds: 30,
  /** The longest a minted token may live. */
  maxLifetimeSeconds: 30 * 24 * 3600,
  /** What `trustline token` mints without --expires-in. */
  defaultLifetime: '12h',
  /** Bytes of the embedded default's generated HS256 secret. */
  generatedSecretBytes: 48,
  /** Verified HS256 tokens kept (each a few hundred bytes), so a client's token is not checked again on every request. */
  verifiedTokensKept: 10_000,
  jwks: {
    /** A fetched key set is reused this long before it is fetched again. */
    cacheMaxAgeMs: 10 * 60_000,
    /** An unknown `kid` refetches the set at most this often (key rotation without a flood of fetches). */
    cooldownMs: 30_000,
    /** A key server slower than this fails the verification (the token is refused, never accepted). */
    timeoutMs: 5_000,
  },
} as const;
