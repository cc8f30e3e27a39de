import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard } from './access.guard';
import { AuthService } from './auth.service';
import { GraphqlGateMiddleware } from './graphql-gate.middleware';
import { OperationRateLimit } from './operation-rate-limit';
import { ScopeFacts } from './scope-facts.service';
import { ViewerResolver } from './viewer.resolver';

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
    GraphqlGateMiddleware,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, OperationRateLimit, ScopeFacts],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GraphqlGateMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.ALL });
  }
}
