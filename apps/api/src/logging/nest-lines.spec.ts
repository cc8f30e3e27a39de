import { Logger as NestLogger } from '@nestjs/common';
import fc from 'fast-check';
import { Logger as NestjsPinoLogger, PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { NestLines } from './nest-lines';
import { REQUEST_LOG_SERIALIZERS } from './request-log.serializers';

// The oracle is the way these lines were written before: Nest's Logger through nestjs-pino, the request's logger
// found in nestjs-pino's AsyncLocalStorage.

const written: string[] = [];
const root = pino(
  { level: 'trace', timestamp: false, base: { pid: 1, hostname: 'h' }, serializers: REQUEST_LOG_SERIALIZERS },
  { write: (line: string) => written.push(line) },
);
NestLogger.overrideLogger(new NestjsPinoLogger(new PinoLogger({ pinoHttp: { logger: root } }), {}));

const requestLog = () => root.child({ req: { id: 'c-1', method: 'POST', url: '/graphql' }, correlationId: 'c-1' });

type Level = 'log' | 'warn' | 'error';

/** The lines Nest's Logger writes, and those NestLines writes with the logger it is given. */
function both(level: Level, inRequest: boolean, args: unknown[]): [string[], string[]] {
  written.length = 0;
  const log = inRequest ? requestLog() : root;
  const nest = new NestLogger('GraphQL');
  const viaNest = () => (nest[level] as (...a: unknown[]) => void)(...args);
  if (inRequest) storage.run(new Store(log), viaNest);
  else viaNest();
  const before = written.splice(0);
  const lines = new NestLines('GraphQL');
  (lines[level] as (l: typeof log, ...a: unknown[]) => void)(log, ...args);
  return [before, written.splice(0)];
}

const storageError = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe('a line written by NestLines', () => {
  it.each<[string, Level, unknown[]]>([
    [
      'a refusal: fields and a message',
      'log',
      [{ code: 'FORBIDDEN', operation: 'Q', path: ['a'], message: 'm' }, 'GraphQL request refused'],
    ],
    [
      'a storage failure: an error among the fields',
      'warn',
      [{ err: storageError(), path: ['x'] }, 'Storage unavailable'],
    ],
    [
      'an unexpected error among the fields',
      'error',
      [{ err: new TypeError('boom'), path: undefined }, 'Unexpected error'],
    ],
    ['an exception handler’s lone Error', 'error', [new RangeError('out of range')]],
    ['a lone string', 'error', ['plain']],
    ['a lone object that is no Error', 'error', [{ reason: 'x' }]],
    ['null', 'error', [null]],
    ['a message and a stack', 'error', ['failed', 'Error: failed\n    at x (y.ts:1:1)']],
    ['a string with a format argument', 'log', ['%s done', 'all']],
    ['a string alone at info', 'log', ['Event store closed']],
  ])('is the line Nest’s Logger wrote through nestjs-pino: %s', (_name, level, args) => {
    for (const inRequest of [true, false]) {
      const [before, now] = both(level, inRequest, args);
      expect(now).toEqual(before);
      expect(now).toHaveLength(1);
      expect(JSON.parse(now[0]).correlationId).toBe(inRequest ? 'c-1' : undefined);
    }
  });

  it('is the line Nest’s Logger wrote for any fields and message', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()));
    fc.assert(
      fc.property(
        fc.constantFrom<Level>('log', 'warn', 'error'),
        fc.boolean(),
        // Not the names of Object.prototype's members: pino itself (the line before) throws on a field named
        // valueOf, and no log line of ours has one.
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((key) => !(key in Object.prototype)),
          value,
        ),
        fc.option(fc.string(), { nil: undefined }),
        (level, inRequest, fields, message) => {
          const args = message === undefined ? [fields] : [fields, message];
          const [before, now] = both(level, inRequest, args);
          expect(now).toEqual(before);
        },
      ),
    );
  });
});
