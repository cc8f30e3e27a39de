import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@trustline/config';
import fastify from 'fastify';
import { RequestLog } from './request-log';
import { StdoutLines } from './stdout-lines';

// A request's line is the same whether its logger was made (something logged while answering, or asked for it)
// or not (the line then comes from the root, with the bindings the child would have carried).

const written: string[] = [];
const config = { get: () => 'info' } as unknown as ConfigService<AppConfig, true>;

async function serve() {
  const requestLog = new RequestLog(config);
  const instance = fastify({ genReqId: (req) => String(req.headers['x-correlation-id']) });
  requestLog.attach(instance);
  instance.get('/asked', async (request) => {
    requestLog.of(request).info('answering');
    return 'ok';
  });
  instance.get('/quiet', async () => 'ok');
  instance.get('/broken', async (_request, reply) => reply.code(503).send('down'));
  instance.get('/broken-asked', async (request, reply) => {
    requestLog.of(request);
    return reply.code(503).send('down');
  });
  await instance.ready();
  return { requestLog, instance };
}

/** The lines written, without the instant, the duration or a stack (which says where the line was written). */
const lines = () =>
  written.map((line) =>
    line
      .replace(/"time":"[^"]+"/, '"time":"T"')
      .replace(/"responseTime":\d+/, '"responseTime":0')
      .replace(/"stack":"(?:[^"\\]|\\.)*"/, '"stack":"S"'),
  );

beforeEach(() => {
  written.length = 0;
  jest.spyOn(StdoutLines.prototype, 'write').mockImplementation((line: string) => void written.push(line));
  jest.spyOn(StdoutLines.prototype, 'flushSync').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe("a request's line", () => {
  it('is the same from the root as from the logger the request was given', async () => {
    const { requestLog, instance } = await serve();
    await instance.inject({ url: '/asked?x=1', headers: { 'x-correlation-id': 'same-1' } });
    await instance.inject({ url: '/quiet?x=1', headers: { 'x-correlation-id': 'same-1' } });
    const [answering, asked, quiet] = lines();
    expect(JSON.parse(answering)).toMatchObject({ msg: 'answering', correlationId: 'same-1' });
    expect(quiet.replace('/quiet', '/asked')).toBe(asked);
    expect(Object.keys(JSON.parse(quiet))).toEqual([
      'level',
      'time',
      'pid',
      'hostname',
      'req',
      'correlationId',
      'res',
      'responseTime',
      'msg',
    ]);
    expect(JSON.parse(quiet)).toMatchObject({
      req: { id: 'same-1', method: 'GET', url: '/quiet?x=1' },
      correlationId: 'same-1',
      res: { statusCode: 200 },
      msg: 'request completed',
    });
    requestLog.onApplicationShutdown();
  });

  it('of a failed response is `request errored` with its err, alike both ways', async () => {
    const { requestLog, instance } = await serve();
    await instance.inject({ url: '/broken', headers: { 'x-correlation-id': 'down-1' } });
    await instance.inject({ url: '/broken-asked', headers: { 'x-correlation-id': 'down-1' } });
    const [line, asked] = lines();
    expect(asked.replace('/broken-asked', '/broken')).toBe(line);
    expect(JSON.parse(line)).toMatchObject({
      req: { id: 'down-1', method: 'GET', url: '/broken' },
      res: { statusCode: 503 },
      err: { message: 'failed with status code 503' },
      msg: 'request errored',
    });
    expect(Object.keys(JSON.parse(line)).slice(4)).toEqual([
      'req',
      'correlationId',
      'res',
      'err',
      'responseTime',
      'msg',
    ]);
    requestLog.onApplicationShutdown();
  });

  it('is the root logger for a request the hook never saw', async () => {
    const { requestLog } = await serve();
    expect(requestLog.of(undefined)).toBe(requestLog.root);
    requestLog.onApplicationShutdown();
  });
});
