import { Global, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@trustline/config';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import { REQUEST_LOG_SERIALIZERS } from './request-log.serializers';
import { StdoutLines } from './stdout-lines';

/** Health checks and scrapes are not logged: they come every few seconds and say nothing. */
const isProbe = (url: string | undefined) => url?.startsWith('/health') === true || url === '/metrics';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's logger (RequestLog): what is logged while answering it carries its `req` and `correlationId`. */
    requestLog: Logger | null;
    /** The raw URL as the request log's hook saw it (null: the hook never saw the request); see RequestLog.of. */
    requestLogUrl: string | null;
  }
}

/**
 * The server's one pino logger and its request log: for each request, one child
 * logger bound to `{ req, correlationId }` (the same bindings pino-http's two
 * children carried), the line `request completed` (or `request errored`) when the
 * response ends, and the child on the request (`request.requestLog`), so that what
 * the server logs while answering carries the same two fields: the GraphQL
 * context's `log`, the exception filter's lines (nest-lines.ts).
 *
 * Not nestjs-pino's AsyncLocalStorage request context: on Node 20 an active
 * AsyncLocalStorage puts a promise hook on every promise of the process, which
 * cost a quarter of the CPU per request (bench:api: −26 % CPU per request,
 * +32 % req/s without it). Nest's Logger (nestjs-pino) now always writes with
 * the root logger: lines written outside any request are as before.
 *
 * It replaces the pino-http middleware nestjs-pino applied through Nest's
 * middleware (middie): per request that built two children (`{req}`, then
 * `customProps`), re-ran and re-serialised `customProps` when the response
 * finished, and went through two middleware calls (bench:api profile).
 */
@Injectable()
export class RequestLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  /** Also nestjs-pino's logger: the lines written outside any request come from it. */
  readonly root: Logger;
  // Written synchronously: the lines logged while shutting down (or just before a crash) must reach stdout
  // before the process re-raises its signal and exits, which an asynchronous stream loses. Only the request
  // lines are held back a moment and written together (see StdoutLines).
  private readonly lines = new StdoutLines();

  constructor(config: ConfigService<AppConfig, true>) {
    this.root = pino(
      {
        level: config.get('LOG_LEVEL', { infer: true }),
        timestamp: pino.stdTimeFunctions.isoTime,
        // Never log credentials: the request's headers are not serialized at all.
        serializers: REQUEST_LOG_SERIALIZERS,
      },
      this.lines,
    );
  }

  /** From the shutdown on, every line is written as it comes (Nest re-raises the signal once it is done). */
  beforeApplicationShutdown(): void {
    this.lines.stopHolding();
  }

  onApplicationShutdown(): void {
    this.lines.close();
  }

  /**
   * Logs every request that reaches the instance's request hooks (a URL Fastify cannot decode never does),
   * those the gate refuses among them.
   */
  attach(instance: FastifyInstance): void {
    const root = this.root;
    const lines = this.lines;
    // Declared on every request, so that requests keep one shape (Fastify's advice for what hooks set).
    instance.decorateRequest('requestLog', null);
    instance.decorateRequest('requestLogUrl', null);
    instance.addHook('onRequest', (request, reply, done) => {
      const req = request.raw;
      const res = reply.raw;
      const started = Date.now();
      const complete = (error?: Error) => {
        res.removeListener('close', complete);
        res.removeListener('finish', complete);
        res.removeListener('error', complete);
        const responseTime = Date.now() - started;
        const failed = error ?? (res as { err?: Error }).err;
        // The request's logger when something asked for it; else the same line from the root, its bindings
        // first (pino writes a child's bindings before the line's fields): no child made for a line alone. The
        // fields are one object literal: spreading the bindings into it cost more than the rest of the line
        // (3.3 against 1.7 µs a line in a loop). pino leaves out a field that is undefined (`err`, but on errors).
        const child = request.requestLog;
        lines.deferred(() => {
          const errored = Boolean(failed) || res.statusCode >= 500;
          const err = errored ? (failed ?? new Error(`failed with status code ${res.statusCode}`)) : undefined;
          const message = errored ? 'request errored' : 'request completed';
          if (child) child.info({ res, err, responseTime }, message);
          else root.info({ req: reqOf(request), correlationId: request.id, res, err, responseTime }, message);
        });
      };
      if (!isProbe(req.url)) {
        res.on('close', complete);
        res.on('finish', complete);
      }
      // A response's error is logged even on a probe (and never left without a listener).
      res.on('error', complete);
      request.requestLogUrl = req.url ?? '';
      done();
    });
  }

  /**
   * The logger of a request (its `req` and `correlationId`), made when first asked for; the root logger for a
   * request the hook never saw.
   */
  of(request: FastifyRequest | undefined): Logger {
    if (request === undefined || request.requestLogUrl === null) return request?.requestLog ?? this.root;
    return (request.requestLog ??= this.root.child(bindingsOf(request)));
  }
}

/** The request id is the correlation id (app.factory.ts); the raw URL is the path as requested. */
const reqOf = (request: FastifyRequest) => ({ id: request.id, method: request.raw.method, url: request.requestLogUrl });
const bindingsOf = (request: FastifyRequest) => ({ req: reqOf(request), correlationId: request.id });

@Global()
@Module({ providers: [RequestLog], exports: [RequestLog] })
export class RequestLogModule {}
