// Run by sqlite-event-store.crash.int-spec.ts as a child process that gets
// killed with SIGKILL: it appends forever and reports each acknowledged append
// on stdout (synchronous for pipes on Linux, so a reported ack is never lost).
// One writer per stream, all at once, so appends are group-committed as in a busy server.
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from './sqlite-event-store';

const STREAMS = 5;

async function main(): Promise<void> {
  const store = SqliteEventStore.open({ file: process.argv[2] });
  const heads = new Map<string, bigint | 'no_stream'>();
  for (let k = 0; k < STREAMS; k++) {
    const stream = `crash-${k}`;
    const last = await store.readStream(stream, { direction: 'backwards', maxCount: 1 }).catch(() => []);
    heads.set(stream, last.length ? last[0].revision : 'no_stream');
  }
  process.stdout.write('ready\n');
  const writer = async (stream: string): Promise<never> => {
    for (let i = 0; ; i++) {
      const events = Array.from({ length: 1 + (i % 3) }, () => ({ id: randomUUID(), type: 'Appended', data: { i } }));
      const result = await store.appendToStream(stream, events, { expectedRevision: heads.get(stream)! });
      heads.set(stream, result.nextRevision);
      process.stdout.write(`${JSON.stringify({ stream, ids: events.map((e) => e.id) })}\n`);
    }
  };
  await Promise.all([...heads.keys()].map(writer));
}

void main();
