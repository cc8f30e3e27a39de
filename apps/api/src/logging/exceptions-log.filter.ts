import { type ArgumentsHost, Catch, type HttpServer, HttpStatus, IntrinsicException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { MESSAGES } from '@nestjs/core/constants';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../auth/request-context';
import { NestLines } from './nest-lines';
import type { RequestLog } from './request-log';

/** Nest's exception handlers log under this context. */
const lines = new NestLines('ExceptionsHandler');

/**
 * What Nest's own exception handlers do, their line logged with the logger of
 * the request being answered (its `req` and `correlationId`, which nestjs-pino
 * found through AsyncLocalStorage before: request-log.ts says why no more).
 * For a resolver or its guards, Nest's ExternalExceptionFilter: log what is not
 * an IntrinsicException, throw it on to GraphQL (formatError answers it). For a
 * controller, Nest's BaseExceptionFilter. exceptions-log.filter.spec.ts holds
 * the answers and lines against Nest's.
 */
@Catch()
export class ExceptionsLogFilter extends BaseExceptionFilter {
  constructor(
    applicationRef: HttpServer,
    private readonly requestLog: RequestLog,
  ) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'http') {
      super.catch(exception, host);
      return;
    }
    if (exception instanceof Error && !(exception instanceof IntrinsicException)) {
      // A resolver's third argument is its GraphQL context.
      const context = host.getType<string>() === 'graphql' ? host.getArgByIndex<RequestContext>(2) : undefined;
      lines.error(context?.log ?? this.requestLog.root, exception);
    }
    throw exception;
  }

  /** BaseExceptionFilter's, with the request's logger. */
  override handleUnknownError(exception: unknown, host: ArgumentsHost, applicationRef: HttpServer): void {
    const body = this.isHttpError(exception)
      ? { statusCode: exception.statusCode, message: this.getHttpErrorMessage(exception) }
      : { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: MESSAGES.UNKNOWN_EXCEPTION_MESSAGE };
    const response: unknown = host.getArgByIndex(1);
    if (!applicationRef.isHeadersSent(response)) applicationRef.reply(response, body, body.statusCode);
    else applicationRef.end(response);
    if (!(exception instanceof IntrinsicException)) {
      lines.error(this.requestLog.of(host.switchToHttp().getRequest<FastifyRequest>()), exception);
    }
  }
}
