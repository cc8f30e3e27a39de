import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import type { CliOutput } from '../apps/cli/src/cli.io';
import { runCli } from '../apps/cli/src/trustline.cli';
import { mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// The auditor's command line against a demo store, checked against what the running API answers.

function capture(): CliOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

const TOLERANCE = 1e-9;
const DIRECTIONS = ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'] as const;
const FIGURES = ['score', 'integrity', 'benevolence', 'ability', 'uncertainty'] as const;

describe('trustline replay and export on a demo store', () => {
  jest.setTimeout(180_000);
  let dataDir: string;
  let server: TestApp;
  let token: string;
  let programId: string;
  let relationshipId: string;
  let menteeId: string;
  let startedAt: number;
  let counts: { all: number; relationship: number };
  const outFile = (name: string) => path.join(dataDir, '..', `${path.basename(dataDir)}-${name}`);

  const cli = async (args: string[]) => {
    const output = capture();
    const code = await runCli([...args, '--data-dir', dataDir], output);
    return { code, ...output };
  };
  const exported = async (args: string[], name: string) => {
    const file = outFile(name);
    const { code, stderr } = await cli(['export', ...args, '--out', file]);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    return fs.readFileSync(file, 'utf8');
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-audit-tools-'));
    expect((await cli(['seed-demo', '--relationships', '3', '--months', '3', '--seed', '7'])).code).toBe(0);
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    programId = (
      db.prepare("SELECT stream_id FROM events WHERE stream_id LIKE 'program-%' LIMIT 1").pluck().get() as string
    ).slice('program-'.length);
    const started = db
      .prepare("SELECT data FROM events WHERE type = 'RelationshipStarted' ORDER BY position LIMIT 1")
      .pluck()
      .get() as string;
    let occurredAt: string;
    ({ relationshipId, menteeId, occurredAt } = JSON.parse(started) as {
      relationshipId: string;
      menteeId: string;
      occurredAt: string;
    });
    startedAt = Date.parse(occurredAt);
    counts = {
      all: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
      relationship: db
        .prepare('SELECT count(*) FROM events WHERE stream_id = ?')
        .pluck()
        .get(`relationship-${relationshipId}`) as number,
    };
    db.close();
    server = await startTestApp({ dataDir });
    token = server.token();
  });
  afterAll(async () => {
    await server?.close();
    for (const name of fs.readdirSync(path.dirname(dataDir))) {
      if (name.startsWith(`${path.basename(dataDir)}-`))
        fs.rmSync(path.join(path.dirname(dataDir), name), { force: true });
    }
    removeDir(dataDir);
  });

  const asOf = async (at: string, knownAt: string | null) => {
    const response = await server.graphql<{ relationshipAsOf: Record<string, unknown> }>(
      `query ($id: ID!, $at: DateTime!, $knownAt: DateTime) { relationshipAsOf(relationshipId: $id, at: $at, knownAt: $knownAt) {
          relationshipId eventsApplied status
          a: trust(direction: MENTEE_IN_MENTOR) { score integrity benevolence ability uncertainty band }
          b: trust(direction: MENTOR_IN_MENTEE) { score integrity benevolence ability uncertainty band }
          promises { id promisor description dueAt status keptAt overdue }
          meetings { id startsAt durationMinutes mode status scheduledBy cancelledBy noticeHours } } }`,
      { id: relationshipId, at, knownAt },
      { token },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.relationshipAsOf;
  };

  // Fractions of the relationship's life so far: 1 is now.
  const lifeAt = (fraction: number) => new Date(startedAt + (Date.now() - startedAt) * fraction).toISOString();
  it.each([
    ['now', 1, null],
    ['half way', 0.5, null],
    ['at two thirds, as known at one third', 2 / 3, 1 / 3],
    ['before it started', -0.1, null],
  ])('replays the relationship as relationshipAsOf answers it (%s)', async (_, at, knownAt) => {
    const instant = lifeAt(at as number);
    const known = knownAt === null ? null : lifeAt(knownAt);
    const { code, stdout } = await cli([
      'replay',
      '--relationship',
      relationshipId,
      '--at',
      instant,
      ...(known ? ['--known-at', known] : []),
    ]);
    expect(code).toBe(0);
    const replay = JSON.parse(stdout.join('\n'));
    const api = await asOf(instant, known);
    if (api === null) {
      expect(replay).toBeNull();
      return;
    }
    expect(replay).toMatchObject({
      relationshipId: api.relationshipId,
      eventsApplied: api.eventsApplied,
      status: api.status,
      promises: api.promises,
      meetings: api.meetings,
    });
    for (const [direction, alias] of [
      [DIRECTIONS[0], 'a'],
      [DIRECTIONS[1], 'b'],
    ] as const) {
      const apiTrust = api[alias] as Record<string, number | string>;
      expect(replay.trust[direction].band).toBe(apiTrust.band);
      for (const figure of FIGURES)
        expect(Math.abs(replay.trust[direction][figure] - (apiTrust[figure] as number))).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('answers exit code 3 for a relationship the store does not hold', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await cli(['replay', '--relationship', unknown, '--at', new Date().toISOString()])).code).toBe(3);
    expect((await cli(['export', '--relationship', unknown])).code).toBe(3);
    expect((await cli(['verify', '--relationship', unknown])).code).toBe(3);
  });

  it('exports every event of the store for its one program, and of a relationship, with the stored hashes', async () => {
    const all = (await exported(['--program', programId, '--what', 'events'], 'all.ndjson'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(all).toHaveLength(counts.all);
    const rows = parse(
      await exported(['--relationship', relationshipId, '--what', 'events', '--format', 'csv'], 'r.csv'),
      { columns: true },
    ) as Record<string, string>[];
    expect(rows).toHaveLength(counts.relationship);
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    const stored = db
      .prepare('SELECT id, metadata FROM events WHERE stream_id = ? ORDER BY revision')
      .all(`relationship-${relationshipId}`) as { id: string; metadata: string }[];
    db.close();
    expect(rows.map((row) => [row.id, row.hash])).toEqual(
      stored.map((event) => [event.id, JSON.parse(event.metadata).hash]),
    );
    // Private content as the caller may see it: decrypted, never the envelope.
    expect(rows.map((row) => row.data).join('\n')).not.toContain('tl1:');
  });

  it('exports trajectories whose CSV reads back with the figures of trustTrajectory', async () => {
    const rows = parse(
      await exported(['--relationship', relationshipId, '--what', 'trajectories', '--format', 'csv'], 't.csv'),
      { columns: true },
    ) as Record<string, string>[];
    for (const direction of DIRECTIONS) {
      const response = await server.graphql<{ relationship: { trustTrajectory: Record<string, unknown>[] } }>(
        `query ($id: ID!, $d: TrustDirection) { relationship(id: $id) { trustTrajectory(direction: $d) { at score delta band cause { type } } } }`,
        { id: relationshipId, d: direction },
        { token },
      );
      const points = response.data!.relationship.trustTrajectory;
      const mine = rows.filter((row) => row.direction === direction);
      expect(mine.map((row) => row.at)).toEqual(points.map((point) => point.at));
      mine.forEach((row, i) => {
        expect(Math.abs(Number(row.score) - (points[i].score as number))).toBeLessThanOrEqual(TOLERANCE);
        expect(Math.abs(Number(row.delta) - (points[i].delta as number))).toBeLessThanOrEqual(TOLERANCE);
        expect(row.causeType || null).toBe((points[i].cause as { type: string } | null)?.type ?? null);
      });
    }
  });

  it('exports the trend whose CSV, over the CLI and over HTTP, reads back with the figures of trustTrend', async () => {
    const to = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const from = new Date(Date.now() - 80 * 86_400_000).toISOString();
    const response = await server.graphql<{ program: { trustTrend: Record<string, unknown>[] } }>(
      `query ($id: ID!, $from: DateTime, $to: DateTime) { program(id: $id) { trustTrend(bucket: WEEK, from: $from, to: $to) {
          start end activeRelationships medianScore p25Score p75Score promisesKeptRate cancellationRate noShowRate medianGapDays
          bands { tooEarly high steady fragile atRisk } } } }`,
      { id: programId, from, to },
      { token },
    );
    const trend = response.data!.program.trustTrend;
    const fromCli = parse(
      await exported(
        ['--program', programId, '--what', 'trend', '--format', 'csv', '--from', from, '--to', to],
        'trend.csv',
      ),
      { columns: true },
    ) as Record<string, string>[];
    const http = await fetch(
      `${server.url}/export/programs/${programId}/trend.csv?bucket=WEEK&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(http.status).toBe(200);
    expect(http.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(http.headers.get('content-disposition')).toMatch(/^attachment; filename="trend-/);
    const overHttp = parse(await http.text(), { columns: true }) as Record<string, string>[];
    for (const rows of [fromCli, overHttp]) {
      expect(rows).toHaveLength(trend.length);
      rows.forEach((row, i) => {
        const point = trend[i];
        expect(row.start).toBe(point.start);
        expect(Number(row.activeRelationships)).toBe(point.activeRelationships);
        for (const figure of [
          'medianScore',
          'p25Score',
          'p75Score',
          'promisesKeptRate',
          'cancellationRate',
          'noShowRate',
          'medianGapDays',
        ] as const) {
          if (point[figure] === null) expect(row[figure]).toBe('');
          else expect(Math.abs(Number(row[figure]) - (point[figure] as number))).toBeLessThanOrEqual(TOLERANCE);
        }
        expect(Number(row.atRisk)).toBe((point.bands as { atRisk: number }).atRisk);
      });
    }
  });

  it('serves the trajectory CSV over HTTP to a signed-in caller only', async () => {
    const url = `${server.url}/export/relationships/${relationshipId}/trajectory.csv?direction=MENTOR_IN_MENTEE`;
    expect((await fetch(url)).status).toBe(401);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.direction))).toEqual(new Set(['MENTOR_IN_MENTEE']));
    const unknown = await fetch(
      `${server.url}/export/relationships/00000000-0000-4000-8000-000000000000/trajectory.csv`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(unknown.status).toBe(404);
  });

  it('refuses the exports exactly as the GraphQL fields they mirror', async () => {
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    const started = JSON.parse(
      db
        .prepare('SELECT data FROM events WHERE stream_id = ? AND revision = 0')
        .pluck()
        .get(`relationship-${relationshipId}`) as string,
    ) as { mentorId: string };
    db.close();
    const get = (url: string, claims: Record<string, unknown>) =>
      fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${server.token(claims as never)}` } }).then(
        (r) => r.status,
      );
    const trajectory = (direction: string) =>
      `/export/relationships/${relationshipId}/trajectory.csv?direction=${direction}`;
    const mentee = { sub: 'mentee', roles: ['MENTEE'], participantId: menteeId };
    const mentor = { sub: 'mentor', roles: ['MENTOR'], participantId: started.mentorId };
    // Program analytics are for staff; a party reads only the trust it places.
    expect(await get(`/export/programs/${programId}/trend.csv`, mentee)).toBe(403);
    expect(await get(trajectory('MENTEE_IN_MENTOR'), mentee)).toBe(200);
    expect(await get(trajectory('MENTOR_IN_MENTEE'), mentee)).toBe(403);
    expect(await get(trajectory('MENTOR_IN_MENTEE'), mentor)).toBe(200);
    expect(await get(trajectory('MENTEE_IN_MENTOR'), mentor)).toBe(403);
    // Out of scope: refused whether or not it exists.
    const otherManager = {
      sub: 'pm',
      roles: ['PROGRAM_MANAGER'],
      programIds: ['00000000-0000-4000-8000-000000000001'],
    };
    expect(await get(`/export/programs/${programId}/trend.csv`, otherManager)).toBe(403);
    expect(await get('/export/relationships/00000000-0000-4000-8000-000000000000/trajectory.csv', otherManager)).toBe(
      403,
    );
    expect(await get(`/export/programs/${programId}/trend.csv?bucket=DAY`, {})).toBe(400);
  });

  it("holds the CSVs to the GraphQL fields' ranges: no trend longer than the bucket cap, nothing as of years ahead", async () => {
    const ask = async (url: string) => {
      const response = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.text() };
    };
    const tooLong = await ask(`/export/programs/${programId}/trend.csv?bucket=WEEK&from=0001-01-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
    expect(JSON.parse(tooLong.body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(tooLong.body).toMatch(/from/);
    const farAhead = await ask(`/export/programs/${programId}/trend.csv?to=9999-01-01T00:00:00Z`);
    expect(farAhead.status).toBe(400);
    expect(farAhead.body).toMatch(/to/);
    expect((await ask(`/export/relationships/${relationshipId}/trajectory.csv?to=9999-01-01T00:00:00Z`)).status).toBe(
      400,
    );
    // The default range still answers: from the launch, brought forward to the earliest bucket answered.
    expect((await ask(`/export/programs/${programId}/trend.csv?bucket=MONTH`)).status).toBe(200);
  });

  it('erases a demo participant: its own export says so, and every history still verifies', async () => {
    const before = JSON.parse(await exported(['--participant', menteeId], 'p.json'));
    expect(before.participant).toMatchObject({ id: menteeId, erased: false, displayName: expect.any(String) });
    expect(before.relationships.map((r: { relationshipId: string }) => r.relationshipId)).toContain(relationshipId);
    await mutate(server, token, 'eraseParticipant', { participantId: menteeId, reason: 'Demo erasure' }, 'position');
    const after = JSON.parse(await exported(['--participant', menteeId], 'p2.json'));
    expect(after.participant).toMatchObject({ id: menteeId, erased: true, displayName: null, email: null });
    expect(after.events.at(-1)).toMatchObject({ type: 'ParticipantErased', data: { legacyPlaintextEvents: 0 } });
    expect(JSON.stringify(after)).not.toContain(before.participant.displayName);
    const verified = await cli(['verify', '--all']);
    expect(verified.code).toBe(0);
  });
});
