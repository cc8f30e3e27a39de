import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { CLOCK, type Clock, systemClock } from '@trustline/command-handling';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { correlationIdOf } from './graphql/correlation-id';
import { REQUEST_LOG_SERIALIZERS } from './logging/request-log.serializers';
import { AuthModule } from './auth/auth.module';
import { AuthService } from './auth/auth.service';
import { OperationRateLimit } from './auth/operation-rate-limit';
import { type AppConfig, validateEnvironment } from '@trustline/config';
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

type LoggedRequest = { url?: string; originalUrl?: string };
const requestPath = (req: LoggedRequest) => req.originalUrl ?? req.url;
/** Health checks and scrapes are not logged: they come every few seconds and say nothing. */
const isProbe = (url: string | undefined) => url?.startsWith('/health') === true || url === '/metrics';

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
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<AppConfig, true>) => ({
            pinoHttp: [
              {
                level: config.get('LOG_LEVEL', { infer: true }),
                timestamp: pino.stdTimeFunctions.isoTime,
                // The id the correlation middleware settled on (the caller's, or a fresh one), also in the response.
                genReqId: (req) => correlationIdOf(req.headers['x-correlation-id']),
                // Never log credentials: the request's headers are not serialized at all.
                serializers: REQUEST_LOG_SERIALIZERS,
                wrapSerializers: false,
                customProps: (req) => ({ correlationId: req.headers['x-correlation-id'] }),
                // The path as requested: Nest's middleware on Fastify sees req.url relative to its own path.
                autoLogging: { ignore: (req) => isProbe(requestPath(req)) },
              },
              // Written synchronously: the lines logged while shutting down (or just before a crash) must reach
              // stdout before the process re-raises its signal and exits, which an asynchronous stream loses.
              pino.destination({ dest: 1, sync: true }),
            ],
          }),
        }),
        CqrsModule.forRoot(),
        MetricsModule,
        EventStoreModule,
        ProjectionsModule,
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule, ViewsModule],
          inject: [AuthService, OperationRateLimit, Views, CLOCK, Metrics],
          useFactory: graphqlOptions,
        }),
        HealthModule,
        MentoringModule,
        ExportsModule,
      ],
    };
  }
}
