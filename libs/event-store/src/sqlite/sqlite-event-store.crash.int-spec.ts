import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';

// A writer is killed with SIGKILL at random moments; after each kill the file
// must hold every acknowledged event, gapless revisions, and no duplicate.
const KILLS = 12;
const CHILD = path.join(__dirname, 'crash-writer.child.ts');

interface Ack {
  stream: string;
  ids: string[];
}

function runWriterUntilKilled(file: string, killAfterMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    const acks: Ack[] = [];
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        else acks.push(JSON.parse(line) as Ack);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`writer exited by itself (${signal ?? _code})`)),
    );
  });
}

describe('the SQLite event store killed mid-append', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-crash-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged event, gapless and without duplicates, across ${KILLS} kills`, async () => {
    const file = path.join(dir, 'events.db');
    const acknowledged: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const acks = await runWriterUntilKilled(file, 30 + Math.floor(Math.random() * 300));
      acknowledged.push(...acks.flatMap((ack) => ack.ids));

      const store = SqliteEventStore.open({ file });
      const all = [];
      for (let after = 0n; ;) {
        const page = await store.readAll({ fromPosition: after, maxCount: 5000 });
        if (page.length === 0) break;
        all.push(...page);
        after = page[page.length - 1].position;
      }
      await store.close();

      const stored = new Set(all.map((e) => e.id));
      expect(stored.size).toBe(all.length);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      const byStream = new Map<string, bigint[]>();
      for (const event of all) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.revision]);
      for (const revisions of byStream.values()) {
        expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
      }
    }
    expect(acknowledged.length).toBeGreaterThan(KILLS);
  }, 120_000);
});
