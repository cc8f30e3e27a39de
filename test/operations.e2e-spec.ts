import { ProjectionRunner } from '@trustline/projections';
import { mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// What an operator sees: liveness, readiness with its reasons, Prometheus metrics.

describe('a running server, to its operator', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0', READINESS_MAX_PROJECTION_LAG: '0' } });
  }, 60_000);
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  it('is live, and ready with every check up; /health is the same as /health/ready', async () => {
    expect(await get('/health/live')).toMatchObject({ status: 200, text: JSON.stringify({ status: 'ok' }) });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({
      status: 'ok',
      details: {
        eventStore: { status: 'up' },
        readModels: { status: 'up' },
        projections: { status: 'up' },
        storage: { status: 'up' },
      },
    });
    expect((await get('/health')).text).toBe(ready.text);
  });

  it('is not ready, saying why, while its read models are behind the store, and ready again once they caught up', async () => {
    const runner = server.app.get(ProjectionRunner, { strict: false });
    await runner.stop();
    try {
      await mutate(server, server.token(), 'launchProgram', { name: 'Behind', cadenceDays: 14 }, 'program { id }');
      const ready = await get('/health/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({
        status: 'error',
        error: { projections: { status: 'down', reason: expect.stringContaining('1 events behind') } },
      });
      expect((await get('/health/live')).status).toBe(200);
    } finally {
      runner.start();
    }
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      status = (await get('/health/ready')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  }, 30_000);

  it('serves Prometheus metrics: GraphQL by operation and error code, appends, projections, subscriptions, process', async () => {
    await server.graphql('query ProgramsPage { programs(first: 1) { totalCount } }', {}, { token: server.token() });
    await server.graphql('query Missing { program(id: "not-a-uuid") { name } }', {}, { token: server.token() });
    await server.graphql('query Broken { noSuchField }', {}, { token: server.token() });
    await mutate(server, server.token(), 'launchProgram', { name: 'Measured', cadenceDays: 14 }, 'program { id }');
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    for (const line of [
      /trustline_graphql_request_duration_seconds_count\{operation="ProgramsPage",type="query"\} 1/,
      /trustline_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1/,
      /trustline_event_store_append_duration_seconds_count\{outcome="ok"\} \d+/,
      /trustline_events_appended_total [1-9]/,
      /trustline_projection_position [1-9]/,
      /trustline_projection_lag_events 0/,
      /trustline_projection_lag_seconds 0/,
      /trustline_projection_batch_duration_seconds_count [1-9]/,
      /trustline_graphql_subscriptions 0/,
      /process_cpu_seconds_total \d/,
      /nodejs_heap_size_used_bytes \d/,
    ]) {
      expect(metrics.text).toMatch(line);
    }
  });
});

describe('a server with METRICS_ENABLED=false', () => {
  it('has no /metrics', async () => {
    const server = await startTestApp({ env: { METRICS_ENABLED: 'false' } });
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    } finally {
      await server.close();
      removeDir(server.dataDir);
    }
  }, 30_000);
});
