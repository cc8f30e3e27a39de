import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module';
import { type AppConfig, validateEnvironment } from './config/app-config';
import { inputValidationPipe } from './graphql/validation';

/** Requests up to this size are processed; larger bodies get HTTP 413 (the contract's rule). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Builds the whole server; main.ts listens with it, the e2e tests start it on a temporary DATA_DIR. */
export async function createApp(
  overrides: Record<string, string | undefined> = {},
  options: AppOptions = {},
): Promise<NestExpressApplication> {
  // Fail before Nest starts, so a bad setting gives one clear message rather than a stack.
  const config = validateEnvironment({ ...process.env, ...overrides });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(overrides, options), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
    // On shutdown, idle keep-alive sockets are closed; requests in flight finish first.
    forceCloseConnections: true,
  });
  app.useLogger(app.get(Logger));
  hardenHttp(app, config);
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.useGlobalPipes(inputValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/** Headers a browser sends on a cross-origin call to the API (preflight included). */
const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Correlation-Id', 'Apollo-Require-Preflight'];
const CORS_MAX_AGE_SECONDS = 600;

/**
 * What the HTTP layer tells a caller: no framework banner; CORS only for the
 * origins of CORS_ORIGINS (exact matches, none by default); client addresses
 * from forwarded headers only when TRUST_PROXY says which proxies to believe.
 */
function hardenHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  const origins = (config.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  // No origin configured: no CORS middleware at all (the cors package reads a false origin as "any").
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['Retry-After'],
    credentials: false,
    maxAge: CORS_MAX_AGE_SECONDS,
  });
}

/** TRUST_PROXY as Express's "trust proxy": a boolean, a hop count, or the addresses/subnets to trust. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
