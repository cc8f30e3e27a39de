import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { ApiGate } from './api-gate';
import { AuthService } from './auth.service';
import { OperationRateLimit } from './operation-rate-limit';
import { ScopeFacts } from './scope-facts.service';
import { ViewerResolver } from './viewer.resolver';

/**
 * Who is calling (tokens), what it may do (the access policy at every root field), how often (rate limit).
 * The gate in front of every route that answers with data (api-gate.ts) is put there by createApp.
 */
@Global()
@Module({
  providers: [
    AuthService,
    OperationRateLimit,
    ScopeFacts,
    ViewerResolver,
    ApiGate,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, OperationRateLimit, ScopeFacts, ApiGate],
})
export class AuthModule {}
