// npm run bench:abuse — the most expensive operations the query limits let
// through, sent to the real server (createApp from dist, auth on, an ADMIN
// token minted by its AuthService) in a child process holding one program of 200
// relationships of about a hundred events each. For each expensive field the
// script asks the cost model (query-cost.ts) how many aliases of it and how
// large a page the limits allow, sends that operation, and records its time,
// the server's peak RSS (VmHWM, reset before each case) and whether /health
// kept answering meanwhile. A benchmark, not a test: it prints figures.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { estimateCost } from '../apps/api/src/graphql/query-cost';
import { QUERY_LIMITS } from '../apps/api/src/graphql/query-limits';
import { machine } from './bench-kit';
import { writeDataSet } from './million-events';

const RELATIONSHIPS = QUERY_LIMITS.assumed.relationshipsPerProgram;
const RUNS = Number(process.env.BENCH_ABUSE_RUNS ?? 3);
const TARGET_MS = 2_000;
const TARGET_RSS_MB = 300;
const HEALTH_EVERY_MS = 100;
const APP_ENV = { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };

const DAY = 86_400_000;
const SCHEMA = buildSchema(fs.readFileSync(path.join(__dirname, '../apps/api/schema.graphql'), 'utf8'));

interface Ready {
  port: number;
  token: string;
  pid: number;
}

/** One expensive field, as a root selection; `first` where it takes a page. */
interface Candidate {
  name: string;
  selection: (ids: { programId: string; relationshipId: string }, first: number) => string;
  paged?: boolean;
}

const later = (ms: number) => new Date(Date.now() + ms).toISOString();
const TRUST = 'score integrity benevolence ability uncertainty band';
const POINT = `at score delta band cause { id type position } contributions { rule component positive negative }`;

const CANDIDATES: Candidate[] = [
  {
    name: 'relationshipAsOf a year ahead',
    selection: ({ relationshipId }) =>
      `relationshipAsOf(relationshipId: "${relationshipId}", at: "${later(QUERY_LIMITS.maxAheadMs - DAY)}") { eventsApplied status trust { ${TRUST} } promises { status overdue dueAt } meetings { status startsAt } }`,
  },
  {
    name: 'trustTrajectory in full',
    selection: ({ relationshipId }) => `relationship(id: "${relationshipId}") { trustTrajectory { ${POINT} } }`,
  },
  {
    name: 'trustTrajectory, points without contributions',
    selection: ({ relationshipId }) =>
      `relationship(id: "${relationshipId}") { trustTrajectory { at score delta band cause { id type } } }`,
  },
  {
    name: 'trustTrend, most buckets',
    selection: ({ programId }) =>
      `program(id: "${programId}") { trustTrend(from: "${later(-(QUERY_LIMITS.maxTrendBuckets - 2) * 7 * DAY)}") { start end activeRelationships medianScore p25Score p75Score bands { tooEarly high steady fragile atRisk } promisesKeptRate cancellationRate noShowRate medianGapDays organizationTrust communications } }`,
  },
  {
    name: 'relationships page with trust, cadence and trajectory',
    paged: true,
    selection: ({ programId }, first) =>
      `program(id: "${programId}") { relationships(first: ${first}) { edges { node { id trust(asOf: "${later(QUERY_LIMITS.maxAheadMs - DAY)}") { ${TRUST} } cadence { score needsCheckIn } trustTrajectory { at score } } } } }`,
  },
  {
    name: 'relationships page with trust and cadence',
    paged: true,
    selection: ({ programId }, first) =>
      `program(id: "${programId}") { relationships(first: ${first}) { edges { node { id status trust { ${TRUST} } cadence { score needsCheckIn medianGapDays } promises { status } meetings { status } } } } }`,
  },
  {
    name: 'atRisk now',
    paged: true,
    selection: ({ programId }, first) =>
      `program(id: "${programId}") { atRisk(first: ${first}) { id trust { ${TRUST} } cadence { score } } }`,
  },
  {
    name: 'atRisk a month ahead',
    paged: true,
    selection: ({ programId }, first) =>
      `program(id: "${programId}") { atRisk(asOf: "${later(30 * DAY)}", first: ${first}) { id trust { ${TRUST} } cadence { score } } }`,
  },
  {
    name: 'relationshipHistory, largest page',
    paged: true,
    selection: ({ relationshipId }, first) =>
      `relationshipHistory(relationshipId: "${relationshipId}", first: ${first}) { edges { node { id type data hash previousHash occurredAt } } }`,
  },
  {
    name: 'verifyRelationshipHistory',
    selection: ({ relationshipId }) =>
      `verifyRelationshipHistory(relationshipId: "${relationshipId}") { ok eventsChecked }`,
  },
];

function costOf(query: string): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  return estimateCost({ schema: SCHEMA, operation, fragments, variables: {}, now: Date.now() }).cost;
}

const operationOf = (selection: string, aliases: number) =>
  `{ ${Array.from({ length: aliases }, (_, i) => (i === 0 ? selection : `a${i}: ${selection}`)).join(' ')} }`;

/** The most work of one candidate the limits allow: the most copies (aliases), then the largest page. */
function mostAllowed(candidate: Candidate, ids: { programId: string; relationshipId: string }) {
  const maxCopies = Math.min(QUERY_LIMITS.maxAliases + 1, QUERY_LIMITS.maxRootFields);
  let best: { query: string; cost: number; copies: number; first: number } | null = null;
  const pages = candidate.paged ? [QUERY_LIMITS.largestPage, 200, 100, 50, 20, 10, 5, 2, 1] : [0];
  for (const first of pages) {
    const one = costOf(operationOf(candidate.selection(ids, first), 1));
    const copies = Math.min(maxCopies, Math.floor(QUERY_LIMITS.maxCost / one));
    if (copies < 1) continue;
    const query = operationOf(candidate.selection(ids, first), copies);
    const cost = costOf(query);
    if (cost <= QUERY_LIMITS.maxCost && (!best || cost > best.cost)) best = { query, cost, copies, first };
  }
  return best;
}

// ---- the server: the built one (dist), as deployed, in a child process ----

const DIST = path.resolve(__dirname, '../dist/apps/api/apps/api/src');
const SERVE = `
  const { createApp } = require(${JSON.stringify(path.join(DIST, 'app.factory.js'))});
  const { AuthService } = require(${JSON.stringify(path.join(DIST, 'auth/auth.service.js'))});
  (async () => {
    const app = await createApp({ ...${JSON.stringify(APP_ENV)}, DATA_DIR: process.argv[1], PORT: '0' });
    await app.listen(0, '127.0.0.1');
    const port = Number(new URL(await app.getUrl()).port);
    const token = app.get(AuthService).mint({ sub: 'bench-abuse', roles: ['ADMIN'] });
    process.once('message', () => void app.close().then(() => process.exit(0)));
    process.send({ port, token, pid: process.pid });
  })().catch((error) => { console.error(error); process.exit(1); });
`;

function child(dataDir: string): Promise<{ process: ChildProcess; ready: Ready }> {
  if (!fs.existsSync(DIST)) throw new Error('No dist: npm run bench:abuse builds it first (nest build api)');
  const server = spawn(process.execPath, ['-e', SERVE, dataDir], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    server.once('message', (ready: Ready) => resolve({ process: server, ready }));
    server.once('exit', (code) => reject(new Error(`The server exited with ${code}`)));
  });
}

const statusField = (pid: number, field: string): number => {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};
/** Resets the peak RSS the kernel keeps for the process (Linux). */
const resetPeak = (pid: number) => {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not resettable here: the peak then covers the whole run so far
  }
};

async function send(port: number, token: string, query: string) {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const body = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
  return { ms, status: response.status, bytes: text.length, errors: body.errors ?? [] };
}

/** Polls /health until stopped: the slowest answer and how many failed. */
function watchHealth(port: number) {
  let stopped = false;
  let slowest = 0;
  let failed = 0;
  let answered = 0;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(10_000) });
        await response.text();
        if (response.status === 200) answered++;
        else failed++;
      } catch {
        failed++;
      }
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return { slowest, failed, answered };
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-abuse-'));
  let server: ChildProcess | undefined;
  try {
    const data = await writeDataSet(dataDir, RELATIONSHIPS, () => undefined);
    const ids = { programId: data.programId, relationshipId: data.sampleRelationshipIds[0] };
    const started = await child(dataDir);
    server = started.process;
    const { port, token, pid } = started.ready;
    const idleRss = statusField(pid, 'VmRSS');

    const rows: string[] = [];
    let worst = { ms: 0, rss: 0, name: '' };
    for (const candidate of CANDIDATES) {
      const chosen = mostAllowed(candidate, ids);
      if (!chosen) {
        rows.push(`| ${candidate.name} | — | — | — | refused even once | | | |`);
        continue;
      }
      // One warm-up run (caches, loaders, JIT), then the measured runs.
      await send(port, token, chosen.query);
      resetPeak(pid);
      const stopWatching = watchHealth(port);
      const times: number[] = [];
      let last: Awaited<ReturnType<typeof send>> | undefined;
      for (let run = 0; run < RUNS; run++) {
        last = await send(port, token, chosen.query);
        times.push(last.ms);
      }
      const health = await stopWatching();
      const peak = statusField(pid, 'VmHWM');
      const slowest = Math.max(...times);
      const outcome =
        last!.status === 200 && last!.errors.length === 0
          ? `200, ${(last!.bytes / 1024).toFixed(0)} KiB`
          : `${last!.status} ${last!.errors[0]?.extensions?.code ?? ''}: ${last!.errors[0]?.message.slice(0, 80) ?? ''}`;
      if (slowest > worst.ms) worst = { ...worst, ms: slowest, name: candidate.name };
      worst.rss = Math.max(worst.rss, peak);
      rows.push(
        `| ${candidate.name} | ${chosen.copies}${candidate.paged ? ` × first ${chosen.first}` : ''} | ${chosen.cost.toLocaleString('en-US')} | ` +
          `${times.map((t) => Math.round(t)).join(', ')} | ${outcome} | ${peak.toFixed(0)} | ` +
          `${health.answered} ok / ${health.failed} failed | ${Math.round(health.slowest)} |`,
      );
    }

    console.log(
      `\n# bench:abuse\n\nMachine: ${machine()}; load average (1 min) after the run ${os.loadavg()[0].toFixed(2)}\n`,
    );
    console.log(
      `One program of ${data.relationships} relationships, ${data.events.toLocaleString('en-US')} events; limits: cost ${QUERY_LIMITS.maxCost}, ` +
        `${QUERY_LIMITS.maxAliases} aliases, ${QUERY_LIMITS.maxRootFields} root fields, deadline ${QUERY_LIMITS.executionDeadlineMs} ms; ` +
        `server idle RSS ${idleRss.toFixed(0)} MB; ${RUNS} runs per case after one warm-up.\n`,
    );
    console.log(
      '| operation (aliases of one field) | copies | estimated cost | ms per run | answer | peak RSS MB | /health meanwhile | slowest /health ms |',
    );
    console.log('|---|---:|---:|---|---|---:|---|---:|');
    for (const row of rows) console.log(row);
    console.log(`\n| figure | value | target | |\n|---|---:|---:|---|`);
    console.log(
      `| slowest allowed operation (${worst.name}) | ${Math.round(worst.ms)} ms | < ${TARGET_MS} ms | ${worst.ms < TARGET_MS ? 'met' : 'MISSED'} |`,
    );
    console.log(
      `| server peak RSS | ${worst.rss.toFixed(0)} MB | < ${TARGET_RSS_MB} MB | ${worst.rss < TARGET_RSS_MB ? 'met' : 'MISSED'} |`,
    );
  } finally {
    if (server) await new Promise((resolve) => server!.once('exit', resolve).send('stop'));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
