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

describe('trustline erase on a demo store', () => {
  jest.setTimeout(90_000);
  let dataDir: string;
  let mentorId: string;
  let name: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-cli-erase-'));
    expect(await runCli(['seed-demo', '--relationships', '1', '--months', '2', '--data-dir', dataDir], capture())).toBe(
      0,
    );
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    mentorId = JSON.parse(
      db.prepare("SELECT data FROM events WHERE type = 'RelationshipStarted' LIMIT 1").pluck().get() as string,
    ).mentorId;
    db.close();
    const exported = capture();
    const file = path.join(dataDir, '..', `${path.basename(dataDir)}.json`);
    expect(await runCli(['export', '--participant', mentorId, '--out', file, '--data-dir', dataDir], exported)).toBe(0);
    name = JSON.parse(fs.readFileSync(file, 'utf8')).participant.displayName;
    fs.rmSync(file);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('erases a demo mentor: one event, the chains intact, its name in no file of the data directory', async () => {
    const output = capture();
    expect(
      await runCli(['erase', '--participant', mentorId, '--reason', 'ticket 1', '--data-dir', dataDir], output),
    ).toBe(0);
    expect(output.stdout.join('\n')).toContain(`Erased participant ${mentorId}`);
    expect(output.stderr.join('\n')).not.toContain('Warning');
    expect(await runCli(['verify', '--all', '--data-dir', dataDir], capture())).toBe(0);
    for (const entry of fs.readdirSync(dataDir)) {
      expect({ file: entry, found: fs.readFileSync(path.join(dataDir, entry)).includes(Buffer.from(name)) }).toEqual({
        file: entry,
        found: false,
      });
    }
  });

  it('says so when erased again, and answers 3 for a participant the store does not hold', async () => {
    const again = capture();
    expect(await runCli(['erase', '--participant', mentorId, '--data-dir', dataDir], again)).toBe(0);
    expect(again.stdout.join('\n')).toContain('already erased');
    expect(
      await runCli(
        ['erase', '--participant', '00000000-0000-4000-8000-000000000000', '--data-dir', dataDir],
        capture(),
      ),
    ).toBe(3);
  });
});
