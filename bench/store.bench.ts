// npm run bench:store — the embedded event store against raw better-sqlite3
// inserts of the same rows, with the same schema and pragmas, in the same run.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_READ_PAGE_SIZE, SqliteEventStore, type SqliteSynchronous } from '@trustline/event-store';
import { envelopeMetadata } from '@trustline/testing';
import { machine, measure, type Measured, ratioTable } from './bench-kit';

const SINGLE_EVENTS = Number(process.env.BENCH_SINGLE_EVENTS ?? 4000);
const BATCHED_EVENTS = Number(process.env.BENCH_BATCHED_EVENTS ?? 100_000);
const BATCH_SIZE = 100;
const WRITERS = 32;
const SYNCHRONOUS = (process.env.SQLITE_SYNCHRONOUS ?? 'FULL') as SqliteSynchronous;
const TARGET = 0.5;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-store-'));

interface Row {
  stream: string;
  id: string;
  type: string;
  data: string;
  metadata: string;
}

// A realistic event: a PromiseMade with its metadata, about 600 bytes.
function makeRow(stream: string, i: number): Row {
  const occurredAt = new Date(1_700_000_000_000 + i * 500).toISOString();
  const fact = {
    type: 'PromiseMade',
    data: {
      relationshipId: randomUUID(),
      promiseId: randomUUID(),
      promisor: i % 2 ? 'MENTOR' : 'MENTEE',
      description: `Send the reading list for session ${i}`,
      dueAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
      occurredAt,
    },
  };
  return {
    stream,
    id: randomUUID(),
    type: fact.type,
    data: JSON.stringify(fact.data),
    // A chain's hashes are as long as real ones; the raw insert never checks them.
    metadata: JSON.stringify({
      ...envelopeMetadata(fact, { actor: 'bench' }),
      previousHash: 'a'.repeat(64),
      hash: 'b'.repeat(64),
    }),
  };
}

/** Rows spread round-robin over `streams` streams, in batches of `batch`. */
function workload(events: number, streams: number, batch: number): Row[][] {
  const batches: Row[][] = [];
  for (let i = 0; i < events; i += batch) {
    const stream = `relationship-${(i / batch) % streams}`;
    batches.push(Array.from({ length: Math.min(batch, events - i) }, (_, j) => makeRow(stream, i + j)));
  }
  return batches;
}

// The schema of the store's own events table and its indexes, as a fresh store creates them, so the
// baseline cannot drift from it (a baseline without the unique index on the random event id, which
// costs a raw insert about as much again as the rest of the row, once flattered it 2 ×).
async function storeSchema(file: string): Promise<string[]> {
  await SqliteEventStore.open({ file, synchronous: SYNCHRONOUS }).close();
  const db = new Database(file, { readonly: true });
  const sql = db
    .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL ORDER BY type DESC")
    .pluck()
    .all() as string[];
  db.close();
  return sql;
}

// The baseline: the same table, indexes and pragmas, plain prepared INSERTs, one
// transaction per batch, revisions tracked in memory (no reads at all).
function rawStore(file: string, schema: string[]) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS}`);
  for (const sql of schema) db.exec(sql);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const heads = new Map<string, number>();
  const append = db.transaction((rows: Row[]) => {
    for (const row of rows) {
      const revision = (heads.get(row.stream) ?? -1) + 1;
      heads.set(row.stream, revision);
      insert.run(row.stream, revision, row.id, row.type, row.data, row.metadata);
    }
  });
  const readAll = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
  return {
    append: (rows: Row[]) => append.immediate(rows),
    readAll: () => {
      let after = 0;
      let count = 0;
      for (;;) {
        const page = readAll.all(after, DEFAULT_READ_PAGE_SIZE) as {
          position: number;
          data: string;
          metadata: string;
        }[];
        if (page.length === 0) return count;
        for (const row of page) {
          JSON.parse(row.data);
          JSON.parse(row.metadata);
        }
        count += page.length;
        after = page[page.length - 1].position;
      }
    },
    close: () => db.close(),
  };
}

type Batch = {
  stream: string;
  events: { id: string; type: string; data: unknown; metadata: Record<string, unknown> }[];
};

// The port takes objects: build them before the clock starts, as a caller would already hold them.
const toBatches = (batches: Row[][]): Batch[] =>
  batches.map((rows) => ({
    stream: rows[0].stream,
    events: rows.map((r) => ({ id: r.id, type: r.type, data: JSON.parse(r.data), metadata: JSON.parse(r.metadata) })),
  }));

async function trustlineAppends(store: SqliteEventStore, batches: Batch[], writers: number): Promise<void> {
  const heads = new Map<string, bigint | 'no_stream'>();
  const queue = [...batches];
  // `writers` concurrent loops, each taking the next batch; a batch's stream is
  // only ever written by one loop at a time because streams map to batches round-robin.
  const writer = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const { stream, events } = batch;
      const result = await store.appendToStream(stream, events, { expectedRevision: heads.get(stream) ?? 'no_stream' });
      heads.set(stream, result.nextRevision);
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
}

async function readBack(store: SqliteEventStore): Promise<number> {
  let count = 0;
  for (let after = 0n; ;) {
    const page = await store.readAll({ fromPosition: after, maxCount: DEFAULT_READ_PAGE_SIZE });
    if (page.length === 0) return count;
    count += page.length;
    after = page[page.length - 1].position;
  }
}

async function pair(name: string, events: number, batch: number, writers: number, schema: string[]) {
  // Streams >= writers so that concurrent writers never contend for one stream.
  const batches = workload(events, Math.max(writers, 8), batch);
  const raw = rawStore(path.join(dir, `raw-${name}.db`), schema);
  const store = SqliteEventStore.open({ file: path.join(dir, `trustline-${name}.db`), synchronous: SYNCHRONOUS });
  const baseline = await measure(`append: ${name}`, events, () => batches.forEach((rows) => raw.append(rows)));
  const ready = toBatches(batches);
  const ours = await measure(`append: ${name}`, events, () => trustlineAppends(store, ready, writers));
  const rawRead = await measure(`read back: ${name}`, events, () => raw.readAll());
  const ourRead = await measure(`read back: ${name}`, events, () => readBack(store));
  raw.close();
  await store.close();
  return [
    { ours, baseline, target: TARGET },
    { ours: ourRead, baseline: rawRead, target: TARGET },
  ];
}

async function main(): Promise<void> {
  const rows: { ours: Measured; baseline: Measured; target: number }[] = [];
  const schema = await storeSchema(path.join(dir, 'schema.db'));
  rows.push(...(await pair(`1 event per append, 1 writer, ${SINGLE_EVENTS} events`, SINGLE_EVENTS, 1, 1, schema)));
  rows.push(
    ...(await pair(
      `1 event per append, ${WRITERS} writers, ${SINGLE_EVENTS} events`,
      SINGLE_EVENTS,
      1,
      WRITERS,
      schema,
    )),
  );
  rows.push(
    ...(await pair(
      `${BATCH_SIZE} per append, 1 writer, ${BATCHED_EVENTS} events`,
      BATCHED_EVENTS,
      BATCH_SIZE,
      1,
      schema,
    )),
  );
  rows.push(
    ...(await pair(
      `${BATCH_SIZE} per append, ${WRITERS} writers, ${BATCHED_EVENTS} events`,
      BATCHED_EVENTS,
      BATCH_SIZE,
      WRITERS,
      schema,
    )),
  );
  console.log(`# bench:store — synchronous=${SYNCHRONOUS}\n\nMachine: ${machine()}\n`);
  console.log(ratioTable(rows));
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
