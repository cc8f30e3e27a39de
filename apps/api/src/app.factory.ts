import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module';
import { mountBrowserPages } from './browser/browser-pages';
import { type AppConfig, validateEnvironment } from '@trustline/config';
import { applyTransportLimits, graphqlBodyParsing } from './graphql/http-transport';
import { inputValidationPipe } from './graphql/validation';
import { CORRELATION_HEADER, correlationIdOf } from './graphql/correlation-id';
import type { NextFunction, Request, Response } from 'express';

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
  // Before the request logger and GraphQL: both read the id from the header; the caller gets it back.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const id = correlationIdOf(req.headers[CORRELATION_HEADER]);
    req.headers[CORRELATION_HEADER] = id;
    res.setHeader(CORRELATION_HEADER, id);
    next();
  });
  hardenHttp(app, config);
  // Only /graphql reads a body; its refusals are GraphQL-shaped (http-transport.ts).
  app.use('/graphql', ...graphqlBodyParsing());
  applyTransportLimits(app.getHttpServer());
  mountBrowserPages(app, {
    ide: config.GRAPHQL_IDE === 'on',
    dashboard: config.DASHBOARD === 'on',
    buildDir: config.WEB_DIR,
  });
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
