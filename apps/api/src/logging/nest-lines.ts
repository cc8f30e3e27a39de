import type { Logger } from 'pino';

type Level = 'info' | 'warn' | 'error';

/**
 * A Nest `Logger` of one context that writes with the logger it is given:
 * every line as `new Logger(context).log/warn/error(...)` writes it through
 * nestjs-pino (its `Logger.call`): `context` first, then the fields of an
 * object message, or an Error as `err`.
 *
 * For the lines written while answering a request, with that request's
 * logger (its `req` and `correlationId`), which nestjs-pino used to find
 * through AsyncLocalStorage. On Node 20 that storage costs a promise hook on
 * every promise the process makes (bench:api: a quarter of the CPU per
 * request), so the request's logger is handed down instead: the GraphQL
 * context's `log`, the Fastify request's `requestLog` (request-log.ts).
 * nest-lines.spec.ts holds these lines against nestjs-pino's own.
 */
export class NestLines {
  constructor(readonly context: string) {}

  log(log: Logger, message: unknown, ...optionalParams: unknown[]): void {
    this.write(log, 'info', message, optionalParams);
  }

  warn(log: Logger, message: unknown, ...optionalParams: unknown[]): void {
    this.write(log, 'warn', message, optionalParams);
  }

  /** Nest's Logger passes `undefined` after a lone message (nestjs-pino then takes an Error's message as `msg`). */
  error(log: Logger, message: unknown, ...optionalParams: unknown[]): void {
    this.write(log, 'error', message, optionalParams.length > 0 ? optionalParams : [undefined]);
  }

  private write(log: Logger, level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = { context: this.context };
    const write = log[level].bind(log) as (...args: unknown[]) => void;
    if (typeof message === 'object') {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      write(fields, ...params);
    } else if (level === 'error' && isStackAfterMessage(message, params)) {
      // Nest's own exception handlers once called error(message, stack): nestjs-pino makes an Error of them.
      const err = new Error(message as string);
      err.stack = params[0] as string;
      fields.err = err;
      write(fields);
    } else {
      write(fields, message, ...params);
    }
  }
}

const isStackAfterMessage = (message: unknown, params: unknown[]): boolean =>
  typeof message === 'string' && params.length === 1 && typeof params[0] === 'string' && /\n\s*at /.test(params[0]);
