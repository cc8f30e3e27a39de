import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { CLOCK, type Clock, systemClock } from '@trustline/command-handling';
import { LoggerModule } from 'nestjs-pino';
import { RequestLog, RequestLogModule } from './logging/request-log';
import { AuthModule } from './auth/auth.module';
import { AuthService } from './auth/auth.service';
import { OperationRateLimit } from './auth/operation-rate-limit';
import { validateEnvironment } from '@trustline/config';
import { graphqlOptions } from './graphql-server/graphql-options';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { MentoringModule } from './mentoring.module';
import { Metrics } from './metrics/metrics.service';
import { MetricsModule } from './metrics/metrics.module';
import { ProjectionsModule } from './projections/projections.module';
import { Views } from './views/views.service';
import { ViewsModule } from './views/views.module';
import { EventStoreModule } from './store/event-store.module';

export interface AppOptions {
  /** The one clock the server reads `now` from; the system clock unless a test pins it. */
  clock?: Clock;
}

/** Provides CLOCK to every module: nothing else in the server reads the wall clock for `now`. */
@Global()
@Module({})
class ClockModule {
  static with(clock: Clock): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}

/** Composition only: configuration, logging, the store, GraphQL and the feature modules. */
@Module({})
export class AppModule {
  /** `overrides` take precedence over process.env (tests start apps on their own DATA_DIR). */
  static forRoot(overrides: Record<string, string | undefined> = {}, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ClockModule.with(options.clock ?? systemClock),
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validate: (environment) => validateEnvironment({ ...environment, ...overrides }),
        }),
        RequestLogModule,
        // nestjs-pino's Logger writes the server's lines with the one pino logger; the request log and each request's
        // logger come from RequestLog's request hook (app.factory.ts), so no Nest middleware runs for them, and no
        // AsyncLocalStorage: what logs while answering is handed the request's logger (request-log.ts).
        LoggerModule.forRootAsync({
          imports: [RequestLogModule],
          inject: [RequestLog],
          useFactory: (requestLog: RequestLog) => ({ pinoHttp: { logger: requestLog.root }, forRoutes: [] }),
        }),
        CqrsModule.forRoot(),
        MetricsModule,
        EventStoreModule,
        ProjectionsModule,
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule, ViewsModule],
          inject: [AuthService, OperationRateLimit, Views, CLOCK, Metrics, RequestLog],
          useFactory: graphqlOptions,
        }),
        HealthModule,
        MentoringModule,
        ExportsModule,
      ],
    };
  }
}
