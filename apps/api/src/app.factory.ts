import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validateEnvironment } from '@trustline/config';
import { inputValidationPipe } from './graphql/validation';
import { CORRELATION_HEADER, correlationIdOf } from './graphql/correlation-id';
import type { NextFunction, Request, Response } from 'express';

/** Requests up to this size are processed; larger bodies get HTTP 413 (the contract's rule). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Builds the whole server; main.ts listens with it, the e2e tests start it on a temporary DATA_DIR. */
export async function createApp(overrides: Record<string, string | undefined> = {}): Promise<NestExpressApplication> {
  // Fail before Nest starts, so a bad setting gives one clear message rather than a stack.
  validateEnvironment({ ...process.env, ...overrides });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(overrides), {
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
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.useGlobalPipes(inputValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
