// npm run bench:write-length — a write's cost against the length of its stream:
// a command on a relationship of HISTORY events beside the same command on a fresh
// relationship, in the same run, through @trustline/command-handling on the
// embedded store. With the write-state cache (the server's default) and without
// it (every command reads and folds its whole stream), so the cache's effect shows.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CommandExecutor, type CommandContext, CommandIdentity } from '@trustline/command-handling';
import { type RelationshipCommand, relationshipDecider } from '@trustline/domain';
import {
  chainEvents,
  schemaVersionOf,
  SqliteEventStore,
  type SqliteSynchronous,
  streamName,
} from '@trustline/event-store';
import { machine } from './bench-kit';

const HISTORY = Number(process.env.BENCH_WRITE_HISTORY ?? 5000);
const SAMPLES = Number(process.env.BENCH_WRITE_SAMPLES ?? 200);
const SYNCHRONOUS = (process.env.SQLITE_SYNCHRONOUS ?? 'FULL') as SqliteSynchronous;
/** DESIGN.md: a write on a stream of 5,000 events costs at most 1.5 × one on a fresh stream. */
const TARGET = 1.5;
const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const context = (): CommandContext => ({
  identity: CommandIdentity.forKey(null),
  mutation: 'bench',
  inputHash: 'bench',
  actor: 'bench',
  correlationId: 'bench',
  recordedAt: iso(T0),
});

const start = (relationshipId: string): RelationshipCommand => ({
  type: 'StartRelationship',
  data: {
    relationshipId,
    programId: '10000000-0000-4000-8000-000000000001',
    mentorId: '20000000-0000-4000-8000-000000000001',
    menteeId: '20000000-0000-4000-8000-000000000002',
    cadenceDays: 14,
    occurredAt: iso(T0),
    program: { programId: '10000000-0000-4000-8000-000000000001', cadenceDays: 14 },
    mentor: {
      participantId: '20000000-0000-4000-8000-000000000001',
      programId: '10000000-0000-4000-8000-000000000001',
      role: 'MENTOR',
    },
    mentee: {
      participantId: '20000000-0000-4000-8000-000000000002',
      programId: '10000000-0000-4000-8000-000000000001',
      role: 'MENTEE',
    },
  },
});

// Each step a minute after the last: a promise made, then kept, over and over.
const promise = (relationshipId: string, step: number): RelationshipCommand => ({
  type: 'MakePromise',
  data: {
    relationshipId,
    promiseId: randomUUID(),
    promisor: step % 2 === 0 ? 'MENTOR' : 'MENTEE',
    description: 'Send the investor list',
    dueAt: iso(T0 + (step + 10_000) * 60_000),
    occurredAt: iso(T0 + step * 60_000),
  },
});

/** The long stream, decided command by command as the write path would, appended in large batches to save setup time. */
async function appendHistory(store: SqliteEventStore, stream: string, id: string): Promise<void> {
  const BATCH = 500;
  let state = relationshipDecider.initialState();
  let previousHash: string | null = null;
  let pending: { id: string; type: string; data: unknown; metadata: Record<string, unknown> }[] = [];
  let revision: bigint | 'no_stream' = 'no_stream';
  const flush = async () => {
    const chained = chainEvents(pending, previousHash);
    const result = await store.appendToStream(stream, chained, { expectedRevision: revision });
    revision = result.nextRevision;
    previousHash = chained[chained.length - 1].metadata.hash;
    pending = [];
  };
  for (let step = 0; step < HISTORY; step++) {
    const events = relationshipDecider.decide(step === 0 ? start(id) : promise(id, step), state);
    for (const event of events) {
      state = relationshipDecider.evolve(state, event);
      pending.push({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { schemaVersion: schemaVersionOf(event.type), recordedAt: iso(T0) },
      });
    }
    if (pending.length >= BATCH) await flush();
  }
  if (pending.length > 0) await flush();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-write-'));
  const store = SqliteEventStore.open({ file: path.join(dir, 'events.db'), synchronous: SYNCHRONOUS });
  try {
    const long = streamName('relationship', randomUUID());
    const longId = long.slice('relationship-'.length);
    await appendHistory(store, long, longId);

    // One write's wall time, p50 over SAMPLES writes; each fresh relationship gets its start first.
    const timeWrites = async (executor: CommandExecutor, onLong: boolean): Promise<number> => {
      const times: number[] = [];
      for (let sample = 0; sample < SAMPLES; sample++) {
        let stream = long;
        let id = longId;
        if (!onLong) {
          id = randomUUID();
          stream = streamName('relationship', id);
          await executor.execute('relationship', stream, relationshipDecider, start(id), context());
        }
        const command = promise(id, HISTORY + sample);
        const started = process.hrtime.bigint();
        await executor.execute('relationship', stream, relationshipDecider, command, context());
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return median(times);
    };

    // Warm the JIT on a throwaway relationship, so the first case measured does not pay for it.
    const warm = new CommandExecutor(store);
    const warmId = randomUUID();
    await warm.execute(
      'relationship',
      streamName('relationship', warmId),
      relationshipDecider,
      start(warmId),
      context(),
    );
    for (let step = 1; step <= SAMPLES; step++) {
      await warm.execute(
        'relationship',
        streamName('relationship', warmId),
        relationshipDecider,
        promise(warmId, step),
        context(),
      );
    }

    const rows: string[] = [];
    for (const [label, cacheStreams] of [
      ['with the write-state cache', undefined],
      ['without it (whole-stream reads)', 0],
    ] as const) {
      const executor = new CommandExecutor(store, { cacheStreams });
      const fresh = await timeWrites(executor, false);
      const atLength = await timeWrites(executor, true);
      const ratio = atLength / fresh;
      rows.push(
        `| ${label} | ${fresh.toFixed(2)} ms | ${atLength.toFixed(2)} ms | ${ratio.toFixed(2)} × | ≤ ${TARGET} × | ${ratio <= TARGET ? 'met' : 'MISSED'} |`,
      );
    }
    console.log(`Machine: ${machine()}; synchronous=${SYNCHRONOUS}; ${SAMPLES} writes per case`);
    console.log(`| write path | p50 fresh relationship | p50 at ${HISTORY} events | ratio | target | |`);
    console.log('|---|---:|---:|---:|---:|---|');
    for (const row of rows) console.log(row);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
