import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dumpTables } from '@trustline/testing/read-model.fixtures';
import { readReadModelPointer } from '@trustline/projections';
import type { CliOutput } from '../cli.io';
import { runCli } from '../trustline.cli';

function capture(): CliOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

/** Every row of every table, in a stable order (time-dependent columns aside): what "the same read models" means. */
const contentOf = dumpTables;

describe('trustline rebuild, with no server running', () => {
  let dataDir: string;
  let liveCopy: string;
  let output: ReturnType<typeof capture>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-cli-rebuild-'));
    const seeded = capture();
    const code = await runCli(
      ['seed-demo', '--relationships', '8', '--months', '3', '--seed', '11', '--data-dir', dataDir],
      seeded,
    );
    expect({ code, stderr: seeded.stderr }).toEqual({ code: 0, stderr: [] });
    // What the projections built live while the demo was recorded, kept before the rebuild retires it.
    liveCopy = path.join(dataDir, 'live-copy.sqlite');
    fs.copyFileSync(path.join(dataDir, 'read.db'), liveCopy);
    output = capture();
    expect(await runCli(['rebuild', '--data-dir', dataDir], output)).toBe(0);
  }, 30_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('builds a new file identical in content to the read models projected live', () => {
    const { file } = readReadModelPointer(dataDir);
    const rebuilt = contentOf(path.join(dataDir, file));
    const live = contentOf(liveCopy);
    expect(rebuilt.programs).toHaveLength(1);
    expect(rebuilt.relationships).toHaveLength(8);
    expect(rebuilt.participants).toHaveLength(16);
    expect(rebuilt).toEqual(live);
  });

  it('points read-model.json at the new file and removes the old one', () => {
    const pointer = readReadModelPointer(dataDir);
    expect(pointer).toEqual({ file: expect.stringMatching(/^read-\d{8}T\d{9}Z\.db$/), previous: 'read.db' });
    expect(fs.existsSync(path.join(dataDir, pointer.file))).toBe(true);
    expect(fs.readdirSync(dataDir).filter((name) => name.startsWith('read.db'))).toEqual([]);
  });

  it('reports the events it projected, how long it took and the rate', () => {
    const text = output.stdout.join('\n');
    expect(text).toMatch(/Built read-\S+\.db: [\d,]+ events in [\d.]+ s \([\d,]+ events\/s\), up to position \d+/);
    expect(text).toContain('No server had read.db open: removed it');
  });
});
