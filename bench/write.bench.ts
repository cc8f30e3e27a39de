// npm run bench:write — what a write costs, in the same run as its baselines:
//  1. at the store: 32 concurrent writers of single-event appends on 32 streams,
//     synchronous=FULL, through SqliteEventStore with group commit (the default)
//     and without, against raw better-sqlite3 single-row FULL transactions;
//  2. end to end: GraphQL mutations (submitTrustCheckIn) to the real server
//     (createApp in a child process, SQLITE_SYNCHRONOUS=FULL, authenticated):
//     32 writers on 32 relationships, 32 writers on ONE relationship, and one
//     writer on a relationship of ~100 events against one of ~5,000 events.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, streamName } from '@trustline/event-store';
import { machine } from './bench-kit';
import { eventsToAppend } from '@trustline/testing';
import { writeDataSet } from './million-events';

const WRITERS = 32;
const STORE_APPENDS = Number(process.env.BENCH_WRITE_APPENDS ?? 3000);
const SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 10);
const LONG_STREAM = Number(process.env.BENCH_WRITE_LONG_STREAM ?? 5000);
const SEQUENTIAL_WRITES = Number(process.env.BENCH_WRITE_SEQUENTIAL ?? 30);
/** Enough that WRITERS + 2 of them are still active (the others ended or are paused). */
const DATA_SET_RELATIONSHIPS = 160;
const TARGETS = { groupOverRaw: 3, mutationsPerSecond: 1000, oneRelationshipP99Ms: 300, longOverShort: 1.5 } as const;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-write-'));
// Also on an exit that skips main's finally (the event loop emptied while a child's exit was awaited).
process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ---- 1. the store ----

const event = (i: number) => ({
  id: randomUUID(),
  type: 'TrustCheckInSubmitted',
  data: { checkInId: randomUUID(), respondent: 'MENTEE', ability: 4, benevolence: 4, integrity: 4, n: i },
  metadata: { recordedAt: new Date().toISOString(), actor: 'bench', correlationId: randomUUID() },
});

/** Raw better-sqlite3, the store's schema and pragmas: one IMMEDIATE transaction (one sync) per single-row insert. */
function rawSingleRowTransactions(file: string, appends: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL);
    CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);`);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const append = db.transaction((stream: string, revision: number, e: ReturnType<typeof event>) =>
    insert.run(stream, revision, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)),
  );
  const events = Array.from({ length: appends }, (_, i) => event(i));
  const started = process.hrtime.bigint();
  events.forEach((e, i) => append.immediate(`relationship-${i % WRITERS}`, Math.floor(i / WRITERS), e));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return appends / seconds;
}

/** WRITERS concurrent loops, each appending single events to its own stream with its expected revision. */
async function storeAppends(file: string, appends: number, groupCommit: boolean): Promise<number> {
  const store = SqliteEventStore.open({ file, synchronous: 'FULL', groupCommit });
  const events = Array.from({ length: appends }, (_, i) => event(i));
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      let expected: bigint | 'no_stream' = 'no_stream';
      for (let i = w; i < appends; i += WRITERS) {
        expected = (await store.appendToStream(`relationship-${w}`, [events[i]], { expectedRevision: expected }))
          .nextRevision;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  return appends / seconds;
}

// ---- 2. the server, in a child process ----

interface Ready {
  port: number;
  token: string;
}

/** The server's CPU time so far (user + system), in ms: per mutation, a figure the machine's load moves less. */
function serverCpuMs(server: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { cpuMs?: number }) => {
      if (typeof message?.cpuMs !== 'number') return;
      server.off('message', onMessage);
      resolve(message.cpuMs);
    };
    server.on('message', onMessage);
    server.send('cpu');
  });
}

async function serveApp(dataDir: string): Promise<{ ready: Ready; close: () => Promise<unknown> }> {
  const { createApp } = await import('../apps/api/src/app.factory');
  const { AuthService } = await import('../apps/api/src/auth/auth.service');
  const app = await createApp({
    DATA_DIR: dataDir,
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    SQLITE_SYNCHRONOUS: 'FULL',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  await app.listen(0, '127.0.0.1');
  const port = Number(new URL(await app.getUrl()).port);
  return {
    ready: { port, token: app.get(AuthService).mint({ sub: 'bench', roles: ['ADMIN'] }) },
    close: () => app.close(),
  };
}

function child(dataDir: string): Promise<{ process: ChildProcess; ready: Ready }> {
  const profile =
    process.env.BENCH_PROFILE === 'app'
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(os.tmpdir(), 'trustline-bench-profiles')}`]
      : [];
  const server = fork(__filename, ['app', dataDir], {
    execArgv: [...profile, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    server.once('message', (ready: Ready) => resolve({ process: server, ready }));
    server.once('exit', (code) => reject(new Error(`The server exited with ${code}`)));
  });
}

const MUTATION =
  'mutation ($input: SubmitTrustCheckInInput!) { submitTrustCheckIn(input: $input) { position relationship { id } } }';

/** Conflicts the server gave up on (after its own retries), retried by the bench's client as a real client would. */
let clientRetries = 0;

async function mutate(ready: Ready, relationshipId: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const outcome = await mutateOnce(ready, relationshipId);
    if (outcome === 'done') return performance.now() - started;
    clientRetries++;
  }
}

async function mutateOnce(ready: Ready, relationshipId: string): Promise<'done' | 'conflict'> {
  const body = JSON.stringify({
    query: MUTATION,
    variables: { input: { relationshipId, respondent: 'MENTEE', ability: 4, benevolence: 3, integrity: 5 } },
  });
  const response = await fetch(`http://127.0.0.1:${ready.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.token}` },
    body,
  });
  const text = await response.text();
  if (response.ok && text.includes('"rule":"concurrency"')) return 'conflict';
  if (!response.ok || text.includes('"errors"'))
    throw new Error(`Mutation failed (${response.status}): ${text.slice(0, 300)}`);
  return 'done';
}

/** WRITERS loops for `seconds`, writer w on relationshipOf(w); mutations/s and latency percentiles. */
async function concurrentMutations(ready: Ready, seconds: number, relationshipOf: (writer: number) => string) {
  const latencies: number[] = [];
  clientRetries = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      while (performance.now() < deadline) latencies.push(await mutate(ready, relationshipOf(w)));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    count: latencies.length,
    retries: clientRetries,
  };
}

async function sequentialMutations(ready: Ready, relationshipId: string, count: number) {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) latencies.push(await mutate(ready, relationshipId));
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

/** Grows one relationship's stream to `total` events with check-ins, straight into the store (as if written over years). */
async function lengthen(eventsFile: string, relationshipId: string, total: number): Promise<number> {
  const store = SqliteEventStore.open({ file: eventsFile, synchronous: 'NORMAL' });
  try {
    const stream = streamName('relationship', relationshipId);
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    let revision = last.revision;
    let hash = (last.metadata.hash as string | undefined) ?? null;
    const from = Date.now() - 30 * 86_400_000;
    for (let n = Number(revision) + 1; n < total;) {
      const facts: { type: string; data: Record<string, unknown> }[] = [];
      for (; facts.length < 500 && n < total; n++) {
        const at = from + n * 1000;
        facts.push({
          type: 'TrustCheckInSubmitted',
          data: {
            relationshipId,
            checkInId: randomUUID(),
            respondent: n % 2 ? 'MENTEE' : 'MENTOR',
            ability: 1 + (n % 5),
            benevolence: 1 + ((n + 1) % 5),
            integrity: 1 + ((n + 2) % 5),
            openness: null,
            organization: null,
            occurredAt: new Date(at).toISOString(),
          },
        });
      }
      const events = eventsToAppend(facts, hash, { actor: 'bench' });
      revision = (await store.appendToStream(stream, events, { expectedRevision: revision })).nextRevision;
      hash = events[events.length - 1].metadata?.hash as string;
    }
    return Number(revision) + 1;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    console.log(
      `# bench:write\n\nMachine: ${machine()}; load average (1 min) at the start ${os.loadavg()[0].toFixed(2)}\n`,
    );

    // 1. The store: the baseline first and last, so a drift in the machine's load shows.
    const raw1 = rawSingleRowTransactions(path.join(dir, 'raw-1.db'), STORE_APPENDS);
    const grouped = await storeAppends(path.join(dir, 'grouped.db'), STORE_APPENDS, true);
    const alone = await storeAppends(path.join(dir, 'alone.db'), STORE_APPENDS, false);
    const raw2 = rawSingleRowTransactions(path.join(dir, 'raw-2.db'), STORE_APPENDS);
    const raw = (raw1 + raw2) / 2;
    console.log(
      `## At the store: ${WRITERS} writers, single-event appends on ${WRITERS} streams, ${fmt(STORE_APPENDS)} appends, synchronous=FULL\n`,
    );
    console.log('| case | appends/s | × raw |\n|---|---:|---:|');
    console.log(
      `| raw better-sqlite3, one single-row IMMEDIATE transaction per append (mean of before/after: ${fmt(raw1)}, ${fmt(raw2)}) | ${fmt(raw)} | 1.00 |`,
    );
    console.log(`| SqliteEventStore, group commit (default) | ${fmt(grouped)} | ${(grouped / raw).toFixed(2)} |`);
    console.log(`| SqliteEventStore, groupCommit: false | ${fmt(alone)} | ${(alone / raw).toFixed(2)} |`);

    // 2. The server.
    const dataDir = path.join(dir, 'data');
    const data = await writeDataSet(dataDir, DATA_SET_RELATIONSHIPS, () => undefined);
    const db = new Database(data.readModelFile, { readonly: true });
    const relationships = (
      db.prepare("SELECT id FROM relationships WHERE status = 'ACTIVE' ORDER BY position").pluck().all() as string[]
    ).slice(0, WRITERS + 2);
    db.close();
    const [longOne, shortOne, ...others] = relationships;
    const longLength = await lengthen(data.eventsFile, longOne, LONG_STREAM);
    const app = await child(dataDir);
    children.push(app.process);
    const { ready } = app;
    await concurrentMutations(ready, 2, (w) => others[w % others.length]); // warm-up
    // The server's CPU ms per mutation of each case.
    const cpu: number[] = [];
    const measured = async <T extends object>(count: (run: T) => number, run: () => Promise<T>): Promise<T> => {
      const before = await serverCpuMs(app.process);
      const result = await run();
      cpu.push(((await serverCpuMs(app.process)) - before) / count(result));
      return result;
    };
    const spread = await measured(
      (run) => run.count,
      () => concurrentMutations(ready, SECONDS, (w) => others[w % others.length]),
    );
    const single = await measured(
      (run) => run.count,
      () => concurrentMutations(ready, SECONDS, () => others[0]),
    );
    const sequential = () => SEQUENTIAL_WRITES;
    const short = await measured(sequential, () => sequentialMutations(ready, shortOne, SEQUENTIAL_WRITES));
    const long = await measured(sequential, () => sequentialMutations(ready, longOne, SEQUENTIAL_WRITES));
    const shortAgain = await measured(sequential, () => sequentialMutations(ready, shortOne, SEQUENTIAL_WRITES));
    const shortP50 = (short.p50 + shortAgain.p50) / 2;

    console.log(
      `\n## End to end: GraphQL submitTrustCheckIn, authenticated, SQLITE_SYNCHRONOUS=FULL, ${SECONDS} s per case\n`,
    );
    console.log('Latency is until success: a CONFLICT the server gave up on is retried by the client and counted.\n');
    console.log(
      '| case | mutations | mutations/s | p50 ms | p99 ms | client retries | server CPU ms per mutation |\n' +
        '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const [name, run, ms] of [
      [`${WRITERS} writers on ${WRITERS} relationships`, spread, cpu[0]],
      [`${WRITERS} writers on ONE relationship`, single, cpu[1]],
    ] as const) {
      console.log(
        `| ${name} | ${run.count} | ${fmt(run.perSecond)} | ${run.p50.toFixed(1)} | ${run.p99.toFixed(1)} | ${run.retries} | ${ms.toFixed(2)} |`,
      );
    }
    console.log(`\nOne writer, ${SEQUENTIAL_WRITES} mutations each (the short one before and after the long one):\n`);
    console.log('| relationship | events | p50 ms | p95 ms | server CPU ms per mutation |\n|---|---:|---:|---:|---:|');
    console.log(
      `| short (before) | ~${Math.round(data.events / DATA_SET_RELATIONSHIPS)} | ${short.p50.toFixed(1)} | ${short.p95.toFixed(1)} | ${cpu[2].toFixed(2)} |`,
    );
    console.log(
      `| long | ${fmt(longLength)} | ${long.p50.toFixed(1)} | ${long.p95.toFixed(1)} | ${cpu[3].toFixed(2)} |`,
    );
    console.log(
      `| short (after) | ~${Math.round(data.events / DATA_SET_RELATIONSHIPS)} | ${shortAgain.p50.toFixed(1)} | ${shortAgain.p95.toFixed(1)} | ${cpu[4].toFixed(2)} |`,
    );

    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log('\n| figure | value | target | |\n|---|---:|---:|---|');
    console.log(
      `| group commit ÷ raw single-row transactions, at the store | ${(grouped / raw).toFixed(2)} × | ≥ ${TARGETS.groupOverRaw} × | ${verdict(grouped / raw >= TARGETS.groupOverRaw)} |`,
    );
    console.log(
      `| ${WRITERS} writers on ${WRITERS} relationships, end to end | ${fmt(spread.perSecond)}/s | ≥ ${fmt(TARGETS.mutationsPerSecond)}/s | ${verdict(spread.perSecond >= TARGETS.mutationsPerSecond)} |`,
    );
    console.log(
      `| ${WRITERS} writers on ONE relationship, p99 | ${single.p99.toFixed(0)} ms | < ${TARGETS.oneRelationshipP99Ms} ms | ${verdict(single.p99 < TARGETS.oneRelationshipP99Ms)} |`,
    );
    console.log(
      `| write on ${fmt(longLength)} events ÷ on ~100 (p50) | ${(long.p50 / shortP50).toFixed(2)} × | ≤ ${TARGETS.longOverShort} × | ${verdict(long.p50 / shortP50 <= TARGETS.longOverShort)} |`,
    );
    console.log(`\nLoad average (1 min) at the end ${os.loadavg()[0].toFixed(2)}`);
  } finally {
    await Promise.all(children.map((server) => new Promise((resolve) => server.once('exit', resolve).send('stop'))));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const [role, argument] = process.argv.slice(2);
if (role === 'app') {
  serveApp(argument).then(
    ({ ready, close }) => {
      process.on('message', (message) => {
        if (message === 'cpu') {
          const { user, system } = process.cpuUsage();
          process.send?.({ cpuMs: (user + system) / 1000 });
          return;
        }
        void close().then(() => process.exit(0));
      });
      process.send?.(ready);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  void main();
}
