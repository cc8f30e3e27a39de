import * as fs from 'node:fs';
import * as path from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

// Every setting the server (and the CLI, which finds the same files) reads
// from its environment, validated once at start, before anything slow: a bad
// value stops the process with one message per offending variable, never
// echoing a secret.

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
      ? Number(value)
      : value;
const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === 'true' ? true : value === 'false' ? false : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
/** Resolved against the working directory once, here: every later use sees the same absolute path. */
const toAbsolutePath = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value !== '' ? path.resolve(value) : value;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const wholeNumber = (min: number, max?: number) =>
  ({
    message:
      max === undefined ? `must be a whole number, at least ${min}` : `must be a whole number from ${min} to ${max}`,
  }) as const;

export class AppConfig {
  @Transform(toInt)
  @IsInt(wholeNumber(0, 65535))
  @Min(0, wholeNumber(0, 65535))
  @Max(65535, wholeNumber(0, 65535))
  PORT: number = 3000;

  @IsString({ message: 'must be a host name or address' })
  @MinLength(1, { message: 'must be a host name or address' })
  HOST: string = '0.0.0.0';

  /** Events (with the embedded store), read models, the JWT secret and the lock live here. */
  @Transform(toAbsolutePath)
  @IsString({ message: 'must be a directory path' })
  @MinLength(1, { message: 'must be a directory path' })
  DATA_DIR: string = path.resolve('./data');

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(esdb|esdb\+discover):\/\/\S+$/, { message: 'must be an esdb:// or esdb+discover:// connection string' })
  EVENTSTORE_CONNECTION_STRING?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: 'must be at least 32 characters' })
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  // --- Access (authorization.md §1, issue #8) ---------------------------------------------
  /** When set, a token's `iss` must equal it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: 'must be a string' })
  AUTH_ISSUER?: string;

  /** When set, a token's `aud` must name it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: 'must be a string' })
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
   * Behind a load balancer: which forwarded headers to believe, as Fastify's trustProxy
   * reads it (true, a hop count, or comma-separated addresses/subnets; the values Express's "trust proxy" took).
   * false (the default) ignores X-Forwarded-For: the client is the socket's peer.
   */
  @Matches(/^(true|false|\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*|loopback|linklocal|uniquelocal)$/, {
    message: 'must be true, false, a hop count, or comma-separated addresses/subnets',
  })
  TRUST_PROXY: string = 'false';
  // -------------------------------------------------------------------------------------------

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: string = 'info';

  /** FULL keeps every acknowledged event through a power loss; NORMAL only through a process crash. */
  @IsIn(['FULL', 'NORMAL'], { message: 'must be FULL or NORMAL' })
  SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL' = 'FULL';

  /** GraphQL operations one caller (its token's subject, else its address) may send per minute; 0 turns the limit off. */
  @Transform(toInt)
  @IsInt(wholeNumber(0))
  @Min(0, wholeNumber(0))
  RATE_LIMIT_PER_MINUTE: number = 1200;

  /** How long a mutation waits for the local projections before answering `projected: false`. */
  @Transform(toInt)
  @IsInt(wholeNumber(0, 60_000))
  @Min(0, wholeNumber(0, 60_000))
  @Max(60_000, wholeNumber(0, 60_000))
  PROJECTION_WAIT_MS: number = 2000;

  /** /health/ready answers 503 while the read models are more than this many events behind the store. */
  @Transform(toInt)
  @IsInt(wholeNumber(0))
  @Min(0, wholeNumber(0))
  READINESS_MAX_PROJECTION_LAG: number = 10_000;

  /** GET /metrics (Prometheus text); false turns the endpoint off. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  METRICS_ENABLED: boolean = true;

  /** The local GraphQL IDE at GET /graphql for browsers; `off` in production if nobody should browse the schema. */
  @IsIn(['on', 'off'], { message: 'must be on or off' })
  GRAPHQL_IDE: 'on' | 'off' = 'on';

  /** The built-in dashboard at /app. */
  @IsIn(['on', 'off'], { message: 'must be on or off' })
  DASHBOARD: 'on' | 'off' = 'on';

  /** Where `npm run build` put the IDE and dashboard builds, relative to the working directory. */
  @IsString()
  @MinLength(1)
  WEB_DIR: string = 'dist/web';
}

/** Shown in place of the value: a secret never appears in a message (or a log). */
const SECRET_SETTINGS = new Set(['AUTH_JWT_SECRET']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A value as a message may show it: secrets hidden, credentials in a connection string masked. */
export function describeSetting(name: string, value: unknown): string {
  if (value === undefined) return `${name} (not set)`;
  if (SECRET_SETTINGS.has(name)) return `${name} (${String(value).length} characters, not shown)`;
  const text = String(value).replace(/\/\/[^/@\s]*@/g, '//***@');
  return `${name}=${JSON.stringify(text)}`;
}

/** Used as @nestjs/config's `validate`: returns the typed config or throws ConfigError. */
export function validateEnvironment(environment: Record<string, unknown>): AppConfig {
  const config = plainToInstance(AppConfig, environment, { exposeDefaultValues: true });
  // One message per variable: the first rule it breaks.
  const errors = validateSync(config, {
    skipMissingProperties: false,
    forbidUnknownValues: false,
    stopAtFirstError: true,
  });
  const problems = errors.map(
    (e) => `${describeSetting(e.property, environment[e.property])}: ${Object.values(e.constraints ?? {})[0]}`,
  );
  if (!errors.some((e) => e.property === 'DATA_DIR')) {
    const problem = dataDirProblem(config.DATA_DIR);
    if (problem) problems.push(`${describeSetting('DATA_DIR', environment.DATA_DIR ?? config.DATA_DIR)}: ${problem}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Why DATA_DIR cannot hold the server's files (a file, not writable, inside a file); null when it can. */
function dataDirProblem(dir: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return 'is inside a file, not a directory';
    if (code !== 'ENOENT') return `cannot be used (${code})`;
    // Created on first start: the nearest folder that exists must let us create it.
    let parent = path.dirname(dir);
    while (!fs.existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
    if (!fs.statSync(parent).isDirectory()) return 'is inside a file, not a directory';
    return writable(parent) ? null : `does not exist and cannot be created (${parent} is not writable)`;
  }
  if (!stat.isDirectory()) return 'is a file, not a directory';
  return writable(dir) ? null : 'is not writable by this user';
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
