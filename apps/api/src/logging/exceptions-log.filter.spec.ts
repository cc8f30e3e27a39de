import { BadRequestException, type HttpServer, IntrinsicException, Logger as NestLogger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Logger as NestjsPinoLogger, PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { ExceptionsLogFilter } from './exceptions-log.filter';
import type { RequestLog } from './request-log';

// The oracle: Nest's own exception handlers (BaseExceptionFilter for controllers, ExternalExceptionFilter's rule
// for resolvers), their line written through nestjs-pino with the request's logger found in AsyncLocalStorage.

const written: string[] = [];
const root = pino(
  { level: 'trace', timestamp: false, base: { pid: 1 } },
  { write: (line: string) => written.push(line) },
);
NestLogger.overrideLogger(new NestjsPinoLogger(new PinoLogger({ pinoHttp: { logger: root } }), {}));
const requestLog = { root, of: (request?: { requestLog?: pino.Logger }) => request?.requestLog ?? root } as RequestLog;
const childLog = () => root.child({ req: { id: 'c-9', method: 'GET', url: '/health' }, correlationId: 'c-9' });

/** What a filter answered through the adapter. */
function adapter(sent: boolean): HttpServer & { answers: unknown[] } {
  const answers: unknown[] = [];
  return {
    answers,
    isHeadersSent: () => sent,
    reply: (_response: unknown, body: unknown, status: number) => answers.push({ body, status }),
    end: () => answers.push('end'),
  } as unknown as HttpServer & { answers: unknown[] };
}

const thrown: [string, () => unknown][] = [
  ['a plain Error', () => new Error('boom')],
  ['an http-errors error the client may see', () => Object.assign(new Error('Too big'), { statusCode: 413 })],
  [
    'an http-errors error not to expose',
    () => Object.assign(new Error('EACCES /x'), { statusCode: 500, expose: false }),
  ],
  ['an HttpException', () => new BadRequestException('bad')],
  ['an IntrinsicException', () => new IntrinsicException('quiet')],
  ['a string', () => 'just a string'],
];

describe('ExceptionsLogFilter', () => {
  describe.each([false, true])('a controller’s exception (headers already sent: %s)', (sent) => {
    it.each(thrown)('answers and logs as Nest’s BaseExceptionFilter: %s', (_name, make) => {
      const log = childLog();
      const host = () => {
        const h = new ExecutionContextHost([{ requestLog: log }, {}]);
        h.setType('http');
        return h;
      };
      written.length = 0;
      const before = adapter(sent);
      storage.run(new Store(log), () => new BaseExceptionFilter(before).catch(make(), host()));
      const linesBefore = written.splice(0);
      const now = adapter(sent);
      new ExceptionsLogFilter(now, requestLog).catch(make(), host());
      expect(now.answers).toEqual(before.answers);
      expect(written.map(withoutStack)).toEqual(linesBefore.map(withoutStack));
      expect(written.map((line) => JSON.parse(line).correlationId)).toEqual(written.map(() => 'c-9'));
    });
  });

  describe('a resolver’s exception', () => {
    it.each(thrown)('is logged as Nest’s ExternalExceptionFilter logs it, and thrown on: %s', (_name, make) => {
      const log = childLog();
      const exception = make();
      written.length = 0;
      storage.run(new Store(log), () => {
        if (exception instanceof Error && !(exception instanceof IntrinsicException))
          new NestLogger('ExceptionsHandler').error(exception);
      });
      const linesBefore = written.splice(0);
      const host = new ExecutionContextHost([{}, {}, { log }, {}]);
      host.setType('graphql');
      expect(() => new ExceptionsLogFilter(adapter(false), requestLog).catch(exception, host)).toThrow();
      expect(written).toEqual(linesBefore);
      expect(written.map((line) => JSON.parse(line).correlationId)).toEqual(written.map(() => 'c-9'));
    });
  });
});

/** The stack names the function that logged, which differs by design; everything else must not. */
const withoutStack = (line: string) => line.replace(/"stack":"(?:[^"\\]|\\.)*"/, '"stack":"…"');
