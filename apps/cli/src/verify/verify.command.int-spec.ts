import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { CliOutput } from '../cli.io';
import { runCli } from '../trustline.cli';

function capture(): CliOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

describe('trustline verify', () => {
  let dataDir: string;
  let relationshipId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-cli-verify-'));
    expect(await runCli(['seed-demo', '--relationships', '1', '--months', '2', '--data-dir', dataDir], capture())).toBe(
      0,
    );
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    relationshipId = (
      db.prepare("SELECT stream_id FROM events WHERE stream_id LIKE 'relationship-%' LIMIT 1").pluck().get() as string
    ).slice('relationship-'.length);
    db.close();
  }, 30_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints an intact report and exits 0 for an untouched history', async () => {
    const output = capture();
    expect(await runCli(['verify', '--relationship', relationshipId, '--data-dir', dataDir], output)).toBe(0);
    expect(JSON.parse(output.stdout.join('\n'))).toEqual({
      ok: true,
      eventsChecked: expect.any(Number),
      firstBrokenEventId: null,
      reason: null,
    });
  });

  it('verifies every stream of an intact store and exits 0', async () => {
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    const { streams, events } = db
      .prepare('SELECT count(DISTINCT stream_id) AS streams, count(*) AS events FROM events')
      .get() as { streams: number; events: number };
    db.close();
    const output = capture();
    expect(await runCli(['verify', '--all', '--data-dir', dataDir], output)).toBe(0);
    expect(JSON.parse(output.stdout.join('\n'))).toEqual({ ok: true, streams, events, broken: [] });
  });

  it('names the first altered event and exits 1 once a stored event is changed', async () => {
    const db = new Database(path.join(dataDir, 'events.db'));
    const victim = db
      .prepare("SELECT id FROM events WHERE stream_id = ? AND type = 'MeetingHeld' ORDER BY revision LIMIT 1")
      .pluck()
      .get(`relationship-${relationshipId}`) as string;
    db.prepare("UPDATE events SET data = json_set(data, '$.mentorMinutesLate', 99) WHERE id = ?").run(victim);
    db.close();

    const output = capture();
    expect(await runCli(['verify', '--relationship', relationshipId, '--data-dir', dataDir], output)).toBe(1);
    expect(JSON.parse(output.stdout.join('\n'))).toMatchObject({ ok: false, firstBrokenEventId: victim });

    const all = capture();
    expect(await runCli(['verify', '--all', '--data-dir', dataDir], all)).toBe(1);
    expect(JSON.parse(all.stdout.join('\n')).broken).toEqual([
      {
        streamId: `relationship-${relationshipId}`,
        eventsChecked: expect.any(Number),
        firstBrokenEventId: victim,
        reason: expect.stringContaining('altered'),
      },
    ]);
  });

  it('exits 3, not 1, for a relationship the store does not hold', async () => {
    const output = capture();
    expect(
      await runCli(['verify', '--relationship', '00000000-0000-4000-8000-000000000000', '--data-dir', dataDir], output),
    ).toBe(3);
    expect(output.stderr.join('\n')).toContain('No relationship');
  });

  it('refuses to guess between one relationship and all', async () => {
    expect(await runCli(['verify', '--data-dir', dataDir], capture())).toBe(2);
    expect(await runCli(['verify', '--all', '--relationship', relationshipId, '--data-dir', dataDir], capture())).toBe(
      2,
    );
  });
});
