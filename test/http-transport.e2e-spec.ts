import * as http from 'node:http';
import * as net from 'node:net';
import { TRANSPORT_LIMITS } from '../apps/api/src/graphql/query-limits';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// Headers of /graphql answers that no client asks for but every one gets: Apollo's pipeline says
// `Cache-Control: no-store`; a body refused once read whole keeps the connection, one refused unread closes it.

jest.setTimeout(60_000);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function post(server: TestApp, body: string, headers: Record<string, string>, agent?: http.Agent): Promise<Answer> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('the headers of /graphql answers', () => {
  let server: TestApp;
  let json: Record<string, string>;

  beforeAll(async () => {
    server = await startTestApp();
    json = { 'content-type': 'application/json', authorization: `Bearer ${server.token()}` };
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('say Cache-Control: no-store on every answer of the GraphQL pipeline, refusals included', async () => {
    const bodies = [
      { query: '{ __typename }' },
      { query: '{ me { __typename } }' },
      { query: '{ me {' },
      { query: '{ nope }' },
      { query: 'subscription { __typename }' },
      { query: '{ node(id: "bm9wZQ==") { id } }' },
    ];
    for (const body of bodies) {
      const answer = await post(server, JSON.stringify(body), json);
      expect({ body, cacheControl: answer.headers['cache-control'] }).toEqual({ body, cacheControl: 'no-store' });
    }
  });

  it("keep the Cache-Control an error of Apollo's sets (an unknown persisted query)", async () => {
    const body = { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } };
    const answer = await post(server, JSON.stringify(body), json);
    expect(answer.body).toContain('PERSISTED_QUERY_NOT_FOUND');
    expect(answer.headers['cache-control']).toBe('private, no-cache, must-revalidate');
  });

  it('say nothing of caching on an answer made before the pipeline (the gate, the transport)', async () => {
    const anonymous = await post(server, JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'application/json',
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['cache-control']).toBeUndefined();
    const notJson = await post(server, '{"query": ', json);
    expect(notJson.status).toBe(400);
    expect(notJson.headers['cache-control']).toBeUndefined();
  });

  it('keep the connection after a body refused once read whole, with the keep-alive headers', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      agent.on('free', (socket) => sockets.add(socket));
      const refused = await post(server, '{"query": ', json, agent);
      expect(refused.status).toBe(400);
      expect(refused.headers.connection).toBe('keep-alive');
      expect(refused.headers['keep-alive']).toMatch(/^timeout=\d+/);
      const next = await post(server, JSON.stringify({ query: '{ __typename }' }), json, agent);
      expect(next.status).toBe(200);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('close the connection after a body refused before it was read', async () => {
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () =>
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
            `Authorization: ${json.authorization}\r\nContent-Length: ${TRANSPORT_LIMITS.maxBodyBytes + 1}\r\n\r\n{`,
        ),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });
});
