import { removeDir, startTestApp, type TestApp } from './support/test-app';

describe('what one client may ask of the server', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '25' } });
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('refuses a query nested too deeply before running it', async () => {
    const deep =
      'program { relationships { edges { node { program { relationships { edges { node { program { relationships { edges { node { id } } } } } } } } } } } }';
    const response = await server.graphql(`{ relationship(id: "x") { ${deep} } }`, {}, { token: server.token() });
    expect(response.errors?.[0].message).toMatch(/depth limit of 10 exceeded/);
    expect(response.data).toBeUndefined();
  });

  it('refuses a query whose pages multiply beyond the complexity limit', async () => {
    const response = await server.graphql(
      `{ programs(first: 200) { edges { node { relationships(first: 200) { edges { node { id status mentor { id } mentee { id } } } } } } } }`,
      {},
      { token: server.token() },
    );
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toMatch(/too complex/);
  });

  it('answers RATE_LIMITED once a client sends more operations a minute than allowed', async () => {
    const token = server.token();
    const codes: unknown[] = [];
    let refusal = '';
    for (let i = 0; i < 30; i++) {
      const response = await server.graphql('{ me { subject } }', {}, { token });
      codes.push(response.errors?.[0].extensions?.code ?? 'OK');
      refusal = response.errors?.[0].message ?? refusal;
    }
    // No class name or library wording reaches the client.
    expect(refusal).not.toMatch(/Throttler|Exception/);
    expect(codes.slice(0, 20).every((code) => code === 'OK')).toBe(true);
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });
});
