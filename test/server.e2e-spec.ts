import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

describe('a freshly started server on the embedded store', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('reports itself healthy while the event store answers', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
  });

  it('keeps its events and its signing secret under DATA_DIR', () => {
    expect(fs.existsSync(path.join(server.dataDir, 'events.db'))).toBe(true);
    expect(fs.statSync(path.join(server.dataDir, 'jwt-secret')).mode & 0o077).toBe(0);
  });

  it('answers GraphQL for a signed-in caller', async () => {
    const token = server.token({ sub: 'ada', roles: ['PROGRAM_MANAGER'], programIds: ['p1'] });
    const response = await server.graphql('{ me { subject roles participantId programIds } }', {}, { token });
    expect(response.data).toEqual({
      me: { subject: 'ada', roles: ['PROGRAM_MANAGER'], participantId: null, programIds: ['p1'] },
    });
  });

  it('refuses an anonymous or forged caller with UNAUTHENTICATED', async () => {
    const anonymous = await server.graphql('{ me { subject } }', {}, { token: null });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await server.graphql('{ me { subject } }', {}, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.bad' });
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a malformed query with a GraphQL error code and no internals', async () => {
    const response = await server.graphql('{ me { ');
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(response)).not.toMatch(/stack|\/work\/|node_modules/);
  });

  it('refuses a request body over 1 MiB with HTTP 413', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { subject } } # ${'x'.repeat(1024 * 1024)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('serves no landing page that would need the internet', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/cdn|unpkg|jsdelivr|apollographql\.com/i);
  });
});

describe('a server whose event store stops answering', () => {
  it('reports itself unhealthy with HTTP 503', async () => {
    const server = await startTestApp();
    await server.app.get<EventStore>(EVENT_STORE).close();
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(503);
    await server.close();
    removeDir(server.dataDir);
  });
});

// The real entry point, as `npm start` runs it (from source, to skip the build).
function runMain(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, exited, output: () => output };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

describe('the server process', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-main-'));
  afterAll(() => removeDir(dataDir));

  it('exits non-zero with a message naming a bad setting', async () => {
    const run = runMain({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/PORT="eighty"/);
  }, 60_000);

  it('refuses to start on a data file that is not an event store, and leaves it alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bad-file-'));
    fs.writeFileSync(path.join(dir, 'events.db'), 'precious notes');
    const run = runMain({ DATA_DIR: dir, PORT: String(await freePort()) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/not a SQLite database/);
    expect(fs.readFileSync(path.join(dir, 'events.db'), 'utf8')).toBe('precious notes');
    removeDir(dir);
  }, 60_000);

  // Nest re-raises the signal once it has closed everything, as a process should.
  it('serves, then closes the event store and exits on SIGTERM', async () => {
    const port = await freePort();
    const run = runMain({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    let healthy = false;
    for (let attempt = 0; attempt < 200 && !healthy; attempt++) {
      healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(healthy).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe('SIGTERM');
    expect(run.output()).toMatch(/Event store closed on SIGTERM/);
  }, 60_000);
});
