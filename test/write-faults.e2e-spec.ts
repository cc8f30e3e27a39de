import Database from 'better-sqlite3';
import { EVENT_STORE } from '@trustline/event-store';
import { mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// The write path under faults: one idempotency key raced on two streams, a full disk.

const COMMUNICATION = `mutation ($input: RecordProgramCommunicationInput!) {
  recordProgramCommunication(input: $input) { position }
}`;

describe('a server whose writes meet faults', () => {
  let server: TestApp;
  let token: string;
  const launch = async (name: string) =>
    (
      await mutate<{ program: { id: string } }>(
        server,
        token,
        'launchProgram',
        { name, cadenceDays: 14 },
        'program { id }',
      )
    ).program.id;
  beforeAll(async () => {
    server = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    token = server.token();
  }, 60_000);
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('lets only one of many concurrent calls with the same key on different programs append', async () => {
    const programs = await Promise.all([launch('A'), launch('B'), launch('C'), launch('D')]);
    const idempotencyKey = `race-${Date.now()}`;
    const answers = await Promise.all(
      programs.map((programId) =>
        server.graphql(
          COMMUNICATION,
          { input: { programId, channel: 'email', summary: 'same key', idempotencyKey } },
          { token },
        ),
      ),
    );
    const succeeded = answers.filter((answer) => answer.errors === undefined);
    const refused = answers.filter((answer) => answer.errors !== undefined);
    expect(succeeded).toHaveLength(1);
    expect(refused.map((answer) => answer.errors![0].extensions?.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    const raw = new Database(`${server.dataDir}/events.db`, { readonly: true });
    const stored = raw
      .prepare("SELECT count(*) AS n FROM events WHERE json_extract(metadata, '$.idempotencyKey') = ?")
      .get(idempotencyKey) as { n: number };
    raw.close();
    expect(stored.n).toBe(1);
  }, 60_000);

  it('answers UNAVAILABLE, retryable, while the disk is full, and writes again once there is room', async () => {
    const programId = await launch('Full disk');
    const db = (server.app.get(EVENT_STORE) as unknown as { db: Database.Database }).db;
    // SQLite's own SQLITE_FULL, as on a full file system: no page may be added.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    try {
      const big = { programId, channel: 'email', summary: 'y'.repeat(1800) };
      let answer = await server.graphql(COMMUNICATION, { input: big }, { token });
      for (let i = 0; i < 50 && answer.errors === undefined; i++)
        answer = await server.graphql(COMMUNICATION, { input: big }, { token });
      expect(answer.errors?.[0].extensions).toEqual({ code: 'UNAVAILABLE', retryable: true });
      expect(JSON.stringify(answer.errors)).not.toMatch(/SQLITE|sqlite|\/tmp|events\.db/);
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).toContain('storage');
    } finally {
      db.pragma('max_page_count = 1073741823');
    }
    const again = await server.graphql(
      COMMUNICATION,
      { input: { programId, channel: 'email', summary: 'room again' } },
      { token },
    );
    expect(again.errors).toBeUndefined();
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  }, 60_000);
});
