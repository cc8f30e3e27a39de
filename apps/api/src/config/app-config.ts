import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

// Every setting the server reads from its environment, validated once at start.
// A bad value stops the server with a message naming each offending variable.
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  @MinLength(1)
  HOST: string = '0.0.0.0';

  @IsString()
  @MinLength(1)
  DATA_DIR: string = './data';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(esdb|esdb\+discover):\/\/\S+$/, { message: 'must be an esdb:// or esdb+discover:// connection string' })
  EVENTSTORE_CONNECTION_STRING?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  // --- Access (authorization.md §1, issue #8) ---------------------------------------------
  /** When set, a token's `iss` must equal it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  /** When set, a token's `aud` must name it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  /** An identity provider's key set: RS256/ES256 tokens are verified against it when set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  AUTH_JWKS_URL?: string;

  /** Browser origins allowed to call the API (comma-separated, exact: https://app.example.org); default none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/, {
    message: 'must be comma-separated origins such as https://app.example.org (scheme, host, optional port; no path)',
  })
  CORS_ORIGINS?: string;

  /**
   * Behind a load balancer: which forwarded headers to believe, as Express's
   * "trust proxy" (true, a hop count, or comma-separated addresses/subnets).
   * false (the default) ignores X-Forwarded-For: the client is the socket's peer.
   */
  @Matches(/^(true|false|\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*|loopback|linklocal|uniquelocal)$/, {
    message: 'must be true, false, a hop count, or comma-separated addresses/subnets',
  })
  TRUST_PROXY: string = 'false';
  // -------------------------------------------------------------------------------------------

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** FULL keeps every acknowledged event through a power loss; NORMAL only through a process crash. */
  @IsIn(['FULL', 'NORMAL'])
  SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL' = 'FULL';

  /** GraphQL operations one caller (its token's subject, else its address) may send per minute; 0 turns the limit off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE: number = 1200;

  /** How long a mutation waits for the local projections before answering `projected: false`. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  PROJECTION_WAIT_MS: number = 2000;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Used as @nestjs/config's `validate`: returns the typed config or throws ConfigError. */
export function validateEnvironment(environment: Record<string, unknown>): AppConfig {
  const config = plainToInstance(AppConfig, environment, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map(
        (e) => `${e.property}=${JSON.stringify(environment[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`,
      ),
    );
  }
  return config;
}
