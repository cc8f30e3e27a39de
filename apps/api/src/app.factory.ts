import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validateEnvironment } from './config/app-config';
import { applyTransportLimits, graphqlBodyParsing } from './graphql/http-transport';
import { inputValidationPipe } from './graphql/validation';

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
  // Only /graphql reads a body; its refusals are GraphQL-shaped (http-transport.ts).
  app.use('/graphql', ...graphqlBodyParsing());
  applyTransportLimits(app.getHttpServer());
  app.useGlobalPipes(inputValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
