import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { mountBrowserPages } from './browser/browser-pages';
import { validateEnvironment } from './config/app-config';
import { inputValidationPipe } from './graphql/validation';

/** Requests up to this size are processed; larger bodies get HTTP 413 (the contract's rule). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Builds the whole server; main.ts listens with it, the e2e tests start it on a temporary DATA_DIR. */
export async function createApp(overrides: Record<string, string | undefined> = {}): Promise<NestExpressApplication> {
  // Fail before Nest starts, so a bad setting gives one clear message rather than a stack.
  const config = validateEnvironment({ ...process.env, ...overrides });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(overrides), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
    // On shutdown, idle keep-alive sockets are closed; requests in flight finish first.
    forceCloseConnections: true,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  mountBrowserPages(app, { ide: config.GRAPHQL_IDE === 'on', dashboard: config.DASHBOARD === 'on', buildDir: config.WEB_DIR });
  app.useGlobalPipes(inputValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
