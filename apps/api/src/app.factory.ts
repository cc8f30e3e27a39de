import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module';
import { RequestLog } from './logging/request-log';
import { ExceptionsLogFilter } from './logging/exceptions-log.filter';
import { ApiGate } from './auth/api-gate';
import { mountBrowserPages } from './browser/browser-pages';
import { type AppConfig, validateEnvironment } from '@trustline/config';
import { applyGraphqlTransport, applyTransportLimits } from './graphql/http-transport';
import { TRANSPORT_LIMITS } from './graphql/query-limits';
import { inputValidationPipe } from './graphql/validation';
import { CORRELATION_HEADER, correlationIdOf } from './graphql/correlation-id';

/** Builds the whole server; main.ts listens with it, the e2e tests start it on a temporary DATA_DIR. */
export async function createApp(
  overrides: Record<string, string | undefined> = {},
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  // Fail before Nest starts, so a bad setting gives one clear message rather than a stack.
  const config = validateEnvironment({ ...process.env, ...overrides });
  const instance = httpServer(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(overrides, options),
    new FastifyAdapter(instance),
    { bufferLogs: true, bodyParser: false, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  // After the adapter's own request hooks (a CORS preflight answered there is not logged, as before).
  app.get(RequestLog).attach(instance);
  enableCors(app, config);
  // Each of these adds its hooks to routes as they are added, when the app initialises.
  app.get(ApiGate).guard(instance);
  await mountBrowserPages(instance, {
    ide: config.GRAPHQL_IDE === 'on',
    dashboard: config.DASHBOARD === 'on',
    buildDir: config.WEB_DIR,
  });
  applyTransportLimits(app.getHttpServer());
  app.useGlobalPipes(inputValidationPipe());
  app.useGlobalFilters(new ExceptionsLogFilter(app.getHttpAdapter(), app.get(RequestLog)));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/**
 * The Fastify instance under Nest. Routing as Express did it (case-insensitive,
 * a trailing slash ignored); no framework banner (Fastify sends none); client
 * addresses from forwarded headers only when TRUST_PROXY says which proxies to
 * believe; on shutdown, idle keep-alive sockets are closed and requests in
 * flight finish first. Only /graphql reads a body, its refusals GraphQL-shaped
 * (http-transport.ts).
 */
function httpServer(config: AppConfig): FastifyInstance {
  const instance = fastify({
    bodyLimit: TRANSPORT_LIMITS.maxBodyBytes,
    trustProxy: trustProxySetting(config.TRUST_PROXY),
    forceCloseConnections: 'idle',
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 1024 },
    // The request id is the correlation id: the caller's when sane, else a fresh one. The request log reads it
    // as the request's id, the GraphQL context from the header, and the caller gets it back on every answer.
    // A URL that cannot be decoded: 400 in the shape of Nest's own errors, never reaching a route.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      reply.raw.setHeader(CORRELATION_HEADER, request.id);
      void reply.code(400).send({ message: error.message, error: 'Bad Request', statusCode: 400 });
    },
    genReqId: (req) => {
      const id = correlationIdOf(req.headers[CORRELATION_HEADER]);
      req.headers[CORRELATION_HEADER] = id;
      return id;
    },
  });
  // On the raw response, so that an answer written past Fastify (the transport's 408) carries it too.
  instance.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader(CORRELATION_HEADER, request.id);
    done();
  });
  applyGraphqlTransport(instance);
  return instance;
}

/** Headers a browser sends on a cross-origin call to the API (preflight included). */
const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Correlation-Id', 'Apollo-Require-Preflight'];
const CORS_MAX_AGE_SECONDS = 600;

/** CORS only for the origins of CORS_ORIGINS (exact matches, none by default). */
function enableCors(app: NestFastifyApplication, config: AppConfig): void {
  const origins = (config.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  // No origin configured: no CORS hook at all.
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    // Lists as the cors package wrote them on Express.
    methods: 'GET,POST,OPTIONS',
    allowedHeaders: CORS_ALLOWED_HEADERS.join(','),
    exposedHeaders: ['Retry-After'],
    credentials: false,
    maxAge: CORS_MAX_AGE_SECONDS,
    // Any OPTIONS is answered as a preflight, as the cors package did on Express.
    strictPreflight: false,
  });
}

/** Fastify's trustProxy as a function: is the proxy at this address, `hop` hops from the server, believed? */
type TrustProxyFunction = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as Fastify's trustProxy (Express's "trust proxy" alike): a boolean, a hop count, or the
 * addresses/subnets to trust. A hop count N believes the N proxies nearest the server, whoever they are, as
 * Express and Fastify before 5.12 did; Fastify 5.12 takes a bare number as "believe no one", so it is given as
 * that function.
 */
export function trustProxySetting(value: string): boolean | string | TrustProxyFunction {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value;
}
