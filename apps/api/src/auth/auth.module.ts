import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard } from './access.guard';
import { AuthService } from './auth.service';
import { ApiGateMiddleware } from './api-gate.middleware';
import { OperationRateLimit } from './operation-rate-limit';
import { ScopeFacts } from './scope-facts.service';
import { ViewerResolver } from './viewer.resolver';

/** The routes behind the gate: GraphQL over HTTP and the CSV exports (graphql-ws connections authenticate when they open). */
export const GATED_ROUTES = ['graphql', 'export/*path'];

/** Who is calling (tokens), what it may do (the access policy at every root field), how often (rate limit). */
@Global()
@Module({
  // Its storage counts operations per caller (operation-rate-limit.ts); no guard of its own.
  imports: [ThrottlerModule.forRoot([])],
  providers: [
    AuthService,
    OperationRateLimit,
    ScopeFacts,
    ViewerResolver,
    ApiGateMiddleware,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, OperationRateLimit, ScopeFacts],
})
export class AuthModule implements NestModule {
  /**
   * Every route that answers with data goes through the gate (authentication,
   * then the rate limit). /health and /metrics stay open (authorization.md §1).
   * New data routes (e.g. CSV exports) are added here.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ApiGateMiddleware).forRoutes(...GATED_ROUTES.map((path) => ({ path, method: RequestMethod.ALL })));
  }
}
