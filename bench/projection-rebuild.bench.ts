// npx ts-node -r tsconfig-paths/register --transpile-only bench/projection-rebuild.bench.ts
// A full read-model rebuild from the embedded store (read + upcast + project +
// commit), beside a raw better-sqlite3 read of the same events with JSON.parse
// only, measured in the same run.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { MS_PER_DAY, MS_PER_HOUR } from '@trustline/domain';
import { SqliteEventStore, streamName } from '@trustline/event-store';
import { PROJECTION_TUNING, ProjectionRunner, ReadModelDatabase, rebuildReadModel } from '@trustline/projections';
import { eventsToAppend } from '@trustline/testing';
import { machine, measure, perSecond, type Measured } from './bench-kit';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const PROGRAMS = 10;
const COMMUNICATIONS_PER_PROGRAM = 20;
const EVENTS_PER_RELATIONSHIP = 100;
/** Events per append: streams interleave in the store as they would in production. */
const APPEND_CHUNK = 3;
const TARGET_EVENTS_PER_SECOND = 50_000;
/** Both reads page like the runner does: bigger pages outlive the young generation and cost the collector. */
const RAW_PAGE = PROJECTION_TUNING.readPageSize;
/** Optional: keep the filled store at this path and reuse it on the next run (for profiling). */
const STORE_FILE = process.env.BENCH_STORE_FILE;
/** Each case runs this many times; the median is reported. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Node flags for the cold runs: by default those bin/trustline.js runs `rebuild` with; BENCH_CHILD_NODE_FLAGS='' for none. */
const CHILD_NODE_FLAGS = (process.env.BENCH_CHILD_NODE_FLAGS ?? '--max-semi-space-size=64').split(' ').filter(Boolean);
/** Set in the child process: rebuild once and print the seconds it took. */
const CHILD_REBUILD = process.env.BENCH_CHILD_REBUILD;

const DAY = MS_PER_DAY;
const EPOCH = Date.parse('2024-01-01T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

type Fact = { type: string; data: Record<string, unknown> };

/** One relationship's story in time order: weekly promises, meetings and check-ins, a pause, maybe an end. */
function relationshipStory(
  relationshipId: string,
  programId: string,
  mentorId: string,
  menteeId: string,
  seed: number,
): Fact[] {
  const facts: Fact[] = [];
  const start = EPOCH + (seed % 60) * DAY;
  const add = (type: string, at: number, data: Record<string, unknown>) =>
    facts.push({ type, data: { relationshipId, ...data, occurredAt: iso(at) } });
  add('RelationshipStarted', start, { programId, mentorId, menteeId, cadenceDays: 14 });
  add('MentorMotivesAssessed', start + DAY, {
    primaryMotive: seed % 5 === 0 ? 'CAREER_VISIBILITY' : 'DEVELOP_MENTEE',
    menteeDevelopmentFirst: seed % 5 !== 0,
    note: null,
  });
  for (let week = 1; facts.length < EVENTS_PER_RELATIONSHIP - 2; week++) {
    const t = start + week * 7 * DAY;
    const promiseId = randomUUID();
    const meetingId = randomUUID();
    const promisor = week % 2 ? 'MENTOR' : 'MENTEE';
    add('PromiseMade', t, {
      promiseId,
      promisor,
      description: `Share the notes of week ${week}`,
      dueAt: iso(t + 5 * DAY),
    });
    add('MeetingScheduled', t, {
      meetingId,
      startsAt: iso(t + 3 * DAY),
      durationMinutes: 60,
      mode: 'VIRTUAL',
      scheduledBy: 'MENTEE',
    });
    if ((seed + week) % 7 === 0) {
      add('MeetingRescheduled', t + DAY, {
        meetingId,
        previousStartsAt: iso(t + 3 * DAY),
        newStartsAt: iso(t + 4 * DAY),
        by: 'MENTOR',
      });
      add('MeetingCancelled', t + 2 * DAY, {
        meetingId,
        startsAt: iso(t + 4 * DAY),
        by: 'MENTOR',
        reason: 'Travel',
        noticeHours: 48,
      });
    } else if ((seed + week) % 11 === 0) {
      add('MeetingMissed', t + 3 * DAY + MS_PER_HOUR, { meetingId, startsAt: iso(t + 3 * DAY), absent: ['MENTEE'] });
    } else {
      add('MeetingHeld', t + 3 * DAY + MS_PER_HOUR, {
        meetingId,
        startedAt: iso(t + 3 * DAY),
        durationMinutes: 60,
        mentorMinutesLate: 0,
        menteeMinutesLate: week % 3,
      });
    }
    if ((seed + week) % 5 === 0) {
      add('PromiseBroken', t + 6 * DAY, { promiseId, promisor, dueAt: iso(t + 5 * DAY), reason: null });
    } else {
      add('PromiseKept', t + 4 * DAY, { promiseId, promisor, dueAt: iso(t + 5 * DAY) });
    }
    add('TrustCheckInSubmitted', t + 4 * DAY, {
      checkInId: randomUUID(),
      respondent: week % 2 ? 'MENTEE' : 'MENTOR',
      ability: 3 + (week % 3),
      benevolence: 4,
      integrity: 3 + ((seed + week) % 3),
      openness: week % 4 === 0 ? 4 : null,
      organization: week % 4 === 0 ? 3 : null,
    });
    if (week === 6 && seed % 3 === 0) {
      add('RelationshipPaused', t + 5 * DAY, { until: iso(t + 12 * DAY), reason: 'Holidays' });
      add('RelationshipResumed', t + 6 * DAY, {});
    }
  }
  const last = Date.parse(String(facts[facts.length - 1].data.occurredAt));
  if (seed % 2 === 0) add('RelationshipEnded', last + DAY, { endedBy: 'PROGRAM', reason: 'COMPLETED', planned: true });
  return facts;
}

interface StreamPlan {
  stream: string;
  facts: Fact[];
}

function plan(): StreamPlan[] {
  const streams: StreamPlan[] = [];
  const relationships = Math.max(
    1,
    Math.round((TARGET_EVENTS - PROGRAMS * (1 + COMMUNICATIONS_PER_PROGRAM)) / (EVENTS_PER_RELATIONSHIP + 2)),
  );
  const programIds = Array.from({ length: PROGRAMS }, () => randomUUID());
  programIds.forEach((programId, p) => {
    const facts: Fact[] = [
      {
        type: 'ProgramLaunched',
        data: { programId, name: `Program ${p}`, cadenceDays: 14, sessionMinutes: 60, occurredAt: iso(EPOCH) },
      },
    ];
    for (let c = 0; c < COMMUNICATIONS_PER_PROGRAM; c++) {
      facts.push({
        type: 'ProgramCommunicationRecorded',
        data: {
          programId,
          communicationId: randomUUID(),
          channel: 'newsletter',
          summary: `Issue ${c}`,
          occurredAt: iso(EPOCH + c * 7 * DAY),
        },
      });
    }
    streams.push({ stream: streamName('program', programId), facts });
  });
  for (let r = 0; r < relationships; r++) {
    const programId = programIds[r % PROGRAMS];
    const [mentorId, menteeId, relationshipId] = [randomUUID(), randomUUID(), randomUUID()];
    for (const [id, role] of [
      [mentorId, 'MENTOR'],
      [menteeId, 'MENTEE'],
    ] as const) {
      streams.push({
        stream: streamName('participant', id),
        facts: [
          {
            type: 'ParticipantRegistered',
            data: {
              participantId: id,
              programId,
              role,
              displayName: `${role} ${r}`,
              email: `p${r}@example.com`,
              occurredAt: iso(EPOCH),
            },
          },
        ],
      });
    }
    streams.push({
      stream: streamName('relationship', relationshipId),
      facts: relationshipStory(relationshipId, programId, mentorId, menteeId, r),
    });
  }
  return streams;
}

// Every other event carries an idempotency key, as about half the API's writes would.
const envelopeAt = (index: number) => (i: number) => ({
  actor: 'bench',
  idempotency: (index + i) % 2 === 0 ? { key: randomUUID(), inputHash: 'c'.repeat(64) } : undefined,
});

/** Appends round-robin, a few events per stream per round, so streams interleave by position. */
async function fill(store: SqliteEventStore, streams: StreamPlan[]): Promise<number> {
  const heads = new Map<string, { revision: bigint | 'no_stream'; hash: string | null; offset: number }>();
  let appended = 0;
  for (let remaining = streams; remaining.length > 0;) {
    for (const { stream, facts } of remaining) {
      const head = heads.get(stream) ?? { revision: 'no_stream' as const, hash: null, offset: 0 };
      const chunk = eventsToAppend(
        facts.slice(head.offset, head.offset + APPEND_CHUNK),
        head.hash,
        envelopeAt(head.offset),
      );
      const result = await store.appendToStream(stream, chunk, { expectedRevision: head.revision });
      heads.set(stream, {
        revision: result.nextRevision,
        hash: String(chunk[chunk.length - 1].metadata?.hash),
        offset: head.offset + chunk.length,
      });
      appended += chunk.length;
    }
    remaining = remaining.filter(({ stream, facts }) => (heads.get(stream)?.offset ?? 0) < facts.length);
  }
  return appended;
}

function rawRead(file: string): number {
  const db = new Database(file, { readonly: true });
  const page = db.prepare(
    'SELECT position, stream_id, revision, id, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  let count = 0;
  for (let after = 0; ;) {
    const rows = page.all(after, RAW_PAGE) as { position: number; data: string; metadata: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    count += rows.length;
    after = rows[rows.length - 1].position;
  }
  db.close();
  return count;
}

async function portRead(store: SqliteEventStore): Promise<number> {
  let count = 0;
  for (let after = 0n; ;) {
    const page = await store.readAll({ fromPosition: after, maxCount: RAW_PAGE });
    if (page.length === 0) return count;
    count += page.length;
    after = page[page.length - 1].position;
  }
}

/** What a server does with an empty read.db: start() catches up (big transactions), then follows live. */
async function startFromEmpty(store: SqliteEventStore, file: string, last: bigint): Promise<void> {
  const database = ReadModelDatabase.open({ file });
  const runner = new ProjectionRunner({ store, database });
  runner.start();
  const reached = await runner.waitFor(last, 600_000);
  await runner.stop();
  database.close();
  if (!reached) throw new Error('The runner did not catch up');
}

function countRows(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  const tables = [
    'programs',
    'participants',
    'relationships',
    'relationship_facts',
    'program_communications',
    'event_index',
  ];
  const counts = Object.fromEntries(
    tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
  db.close();
  return counts;
}

const middle = (runs: Measured[]): Measured =>
  [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];

/** Runs a case RUNS times (each on a fresh file) and keeps the median, so one noisy run on a shared machine does not decide. */
async function median(name: string, events: number, run: (attempt: number) => unknown): Promise<Measured> {
  const runs: Measured[] = [];
  for (let attempt = 0; attempt < RUNS; attempt++) runs.push(await measure(name, events, () => run(attempt)));
  return middle(runs);
}

/** One rebuild in a fresh child process; the child times the rebuild alone, not its own start. */
function rebuildInChild(storeFile: string, file: string, nodeFlags: string[]): number {
  const child = spawnSync(
    process.execPath,
    [...nodeFlags, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename],
    { env: { ...process.env, BENCH_CHILD_REBUILD: JSON.stringify({ storeFile, file }) }, encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`The child rebuild failed: ${child.stderr}`);
  return Number(child.stdout.trim().split('\n').at(-1));
}

async function childRebuild(settings: string): Promise<void> {
  const { storeFile, file } = JSON.parse(settings) as { storeFile: string; file: string };
  const store = SqliteEventStore.open({ file: storeFile });
  const cpu = process.cpuUsage();
  const result = await rebuildReadModel({ store, file });
  if (process.env.BENCH_CHILD_CPU) {
    const used = process.cpuUsage(cpu);
    process.stderr.write(`cpu ${((used.user + used.system) / 1e6).toFixed(2)} s\n`);
  }
  await store.close();
  console.log(result.seconds);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-rebuild-'));
  const eventsFile = STORE_FILE ?? path.join(dir, 'events.db');
  const reuse = STORE_FILE !== undefined && fs.existsSync(STORE_FILE);
  const store = SqliteEventStore.open({ file: eventsFile, synchronous: 'NORMAL' });
  try {
    const fillStarted = Date.now();
    const events = reuse ? await portRead(store) : await fill(store, plan());
    const last = await store.lastPosition();
    console.log(
      `${reuse ? 'Reused' : 'Filled'} ${events.toLocaleString('en-US')} events in ${((Date.now() - fillStarted) / 1000).toFixed(1)} s`,
    );

    const baseline = await median('raw better-sqlite3 read + JSON.parse (baseline)', events, () => rawRead(eventsFile));
    const port = await median('EventStore.readAll through the port', events, () => portRead(store));
    const rebuild = await median(
      'full rebuild: rebuildReadModel (read + project + commit), in this process',
      events,
      async (attempt) => {
        const result = await rebuildReadModel({ store, file: path.join(dir, `read-rebuilt-${attempt}.db`) });
        if (result.events !== events) throw new Error(`The rebuild applied ${result.events} of ${events} events`);
      },
    );
    // A fresh process each time, as `trustline rebuild` runs: nothing is compiled or warmed up yet.
    const cold = middle(
      Array.from({ length: RUNS }, (_, attempt) => ({
        name: `full rebuild in a fresh process (as \`trustline rebuild\`)${CHILD_NODE_FLAGS.length ? `, node ${CHILD_NODE_FLAGS.join(' ')}` : ''}`,
        operations: events,
        seconds: rebuildInChild(eventsFile, path.join(dir, `read-cold-${attempt}.db`), CHILD_NODE_FLAGS),
      })),
    );
    const boot = await median('server start on an empty read.db: ProjectionRunner.start()', events, (attempt) =>
      startFromEmpty(store, path.join(dir, `read-live-${attempt}.db`), last),
    );

    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const row = (m: Measured, target: string) =>
      `| ${m.name} | ${fmt(m.operations)} | ${m.seconds.toFixed(2)} | ${fmt(perSecond(m))} | ${(perSecond(m) / perSecond(baseline)).toFixed(2)} | ${target} |`;
    const target = (m: Measured) =>
      `≥ ${fmt(TARGET_EVENTS_PER_SECOND)}/s: ${perSecond(m) >= TARGET_EVENTS_PER_SECOND ? 'met' : 'MISSED'}`;
    console.log(
      `\n# bench:projection-rebuild (median of ${RUNS} runs)\n\nMachine: ${machine()}, load average ${os.loadavg()[0].toFixed(2)}\n`,
    );
    console.log('| case | events | s | events/s | × baseline | target |');
    console.log('|---|---:|---:|---:|---:|---|');
    console.log(row(baseline, ''));
    console.log(row(port, ''));
    console.log(row(rebuild, target(rebuild)));
    console.log(row(cold, target(cold)));
    console.log(row(boot, ''));
    console.log(`\nRows after a rebuild: ${JSON.stringify(countRows(path.join(dir, 'read-rebuilt-0.db')))}`);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void (CHILD_REBUILD === undefined ? main() : childRebuild(CHILD_REBUILD));
