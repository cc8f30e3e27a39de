import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { mintToken } from '@trustline/access';
import { removeDir } from './support/test-app';

const SECRET = 'a-test-secret-of-at-least-32-characters';

// What the server writes to its log, as an operator reads it: JSON lines with ISO times.

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

describe('the server log', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-logs-'));
  let output = '';
  let port: number;
  let child: ReturnType<typeof spawn>;
  const lines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    port = await freePort();
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      {
        cwd: path.join(__dirname, '..'),
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          AUTH_JWT_SECRET: SECRET,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    for (let i = 0; i < 600 && !output.includes('listening on'); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
  }, 90_000);
  afterAll(async () => {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    removeDir(dataDir);
  });

  it('says once where it listens, with ISO timestamps on every line', () => {
    expect(lines().filter((line) => String(line.msg).startsWith('listening on'))).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(new RegExp(`^listening on http://127\\.0\\.0\\.1:${port} `)),
      }),
    ]);
    for (const line of lines()) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('echoes the correlation id in a response header: the caller’s, or a fresh one', async () => {
    const given = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'trace-42' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(given.headers.get('x-correlation-id')).toBe('trace-42');
    const fresh = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(fresh.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs an error the client caused at info, with its code and without a stack', async () => {
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': 'bad-input-1',
        authorization: `Bearer ${mintToken({ secret: SECRET }, { sub: 'logs-e2e', roles: ['ADMIN'] })}`,
      },
      body: JSON.stringify({ query: 'query Broken { noSuchField }' }),
    });
    let refused: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = lines().find((line) => line.code === 'GRAPHQL_VALIDATION_FAILED');
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(refused).toMatchObject({ level: 30, operation: 'Broken' });
    expect(JSON.stringify(refused)).not.toMatch(/stack|\s+at /);
    // Logged while answering: with the request it answers.
    expect(refused).toMatchObject({
      req: { id: 'bad-input-1', method: 'POST', url: '/graphql' },
      correlationId: 'bad-input-1',
    });
  });

  it('logs each request when it is answered, with its correlation id, and not the health checks and scrapes', async () => {
    await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { 'x-correlation-id': 'scrape-1' } });
    await fetch(`http://127.0.0.1:${port}/graphql?query=%7B__typename%7D`, {
      headers: { 'x-correlation-id': 'answered-1', 'apollo-require-preflight': 'true' },
    });
    let answered: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !answered; i++) {
      answered = lines().find((line) => line.correlationId === 'answered-1');
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(Object.keys(answered ?? {})).toEqual([
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
    expect(answered).toEqual({
      level: 30,
      time: expect.any(String),
      pid: child.pid,
      hostname: os.hostname(),
      req: { id: 'answered-1', method: 'GET', url: '/graphql?query=%7B__typename%7D' },
      correlationId: 'answered-1',
      res: { statusCode: 401 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    expect(lines().filter((line) => line.correlationId === 'trace-42')).toEqual([
      expect.objectContaining({ req: expect.objectContaining({ id: 'trace-42' }), res: { statusCode: 401 } }),
    ]);
    const logged = lines().map((line) => (line.req as { url?: string } | undefined)?.url);
    expect(logged.filter((url) => url?.startsWith('/health') || url === '/metrics')).toEqual([]);
  });
});
