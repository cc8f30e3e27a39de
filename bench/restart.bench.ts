// npm run bench:restart — the built server (dist, as `npm start` runs it)
// restarted on a DATA_DIR whose 1,000,000 events are already projected: time
// from spawn until GET /health answers 200, and the process's memory then;
// beside, started the same way in the same run, a minimal express server
// answering /health.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintToken } from '@trustline/access';
import * as os from 'node:os';
import * as path from 'node:path';
import { MS_PER_DAY } from '@trustline/domain';
import { machine, pageCacheState, warmUpFetch } from './bench-kit';
import { millionEvents } from './million-events';

const MAIN = path.resolve(__dirname, '../dist/apps/api/apps/api/src/main.js');
const RUNS = Number(process.env.BENCH_RESTART_RUNS ?? 3);
const TARGET_MS = 3000;
const TARGET_RSS_MB = 400;
const POLL_MS = 5;
const GIVE_UP_MS = 120_000;
/** After ready, how long to wait before reading the memory again (a timer or a lazy load may follow). */
const SETTLE_MS = 2000;

// The baseline: what any Node server pays to start and answer, with nothing of Trustline loaded.
const HELLO = `require('express')().get('/health', (_req, res) => res.json({ status: 'ok' })).listen(Number(process.env.PORT), '127.0.0.1');`;

interface Started {
  readyMs: number;
  rssMb: number;
  peakMb: number;
  settledRssMb: number;
  /** Trustline only: the first year of weekly trend after the start, which fills the evidence cache. */
  trend?: { ms: number; rssMb: number };
}

const TREND_QUERY = `query ($id: ID!, $from: DateTime) { program(id: $id) { trustTrend(bucket: WEEK, from: $from) {
  start activeRelationships medianScore bands { atRisk } promisesKeptRate } } }`;

async function firstTrend(port: number, dataDir: string, programId: string): Promise<number> {
  const secret = fs.readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8').trim();
  const token = mintToken({ secret }, { sub: 'bench', roles: ['ADMIN'] }, '1h');
  const from = new Date(Date.now() - 365 * MS_PER_DAY).toISOString();
  const started = process.hrtime.bigint();
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: TREND_QUERY, variables: { id: programId, from } }),
  });
  const body = (await response.json()) as { data?: { program: { trustTrend: unknown[] } }; errors?: unknown };
  if (!body.data?.program.trustTrend.length) throw new Error(`trustTrend failed: ${JSON.stringify(body.errors)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const healthy = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
  });

/** VmRSS and VmHWM (the peak) of a process, in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  trend?: { dataDir: string; programId: string },
): Promise<Started> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const server: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, NODE_ENV: 'production', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}`);
      if (await healthy(port)) break;
      if (Number(process.hrtime.bigint() - started) / 1e6 > GIVE_UP_MS)
        throw new Error('The server did not become healthy');
      await sleep(POLL_MS);
    }
    const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const atReady = memoryOf(server.pid!);
    await sleep(SETTLE_MS);
    const settled = memoryOf(server.pid!);
    const trendMs = trend ? await firstTrend(port, trend.dataDir, trend.programId) : undefined;
    return {
      readyMs,
      rssMb: atReady.rss,
      peakMb: Math.max(atReady.peak, settled.peak),
      settledRssMb: settled.rss,
      trend: trendMs === undefined ? undefined : { ms: trendMs, rssMb: memoryOf(server.pid!).rss },
    };
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm run bench:restart does)`);
  const data = await millionEvents();
  // As deployed: a working directory without the sources (the schema stays in memory).
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-restart-'));
  const appEnv = { DATA_DIR: data.dir, LOG_LEVEL: 'info' };
  // The first run's trend query would otherwise also time this process's own first fetch.
  await warmUpFetch();
  try {
    // The first start after building the data set finishes setting the folder up (WAL files, JWT secret), and
    // brings both files into the page cache: not counted, but its time is printed with the cache it met.
    const cacheBefore = pageCacheState([data.eventsFile, data.readModelFile]);
    const warmUp = await start([MAIN], appEnv, cwd);
    const runs: { app: Started[]; hello: Started[] } = { app: [], hello: [] };
    for (let i = 0; i < RUNS; i++) {
      runs.hello.push(await start(['-e', HELLO], {}, path.resolve(__dirname, '..')));
      runs.app.push(await start([MAIN], appEnv, cwd, { dataDir: data.dir, programId: data.programId }));
    }

    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    console.log(`\n# bench:restart\n\nMachine: ${machine()}; load average after the run ${load}\n`);
    console.log(
      `Data: ${data.events.toLocaleString('en-US')} events already projected (events.db ${(fs.statSync(data.eventsFile).size / 2 ** 20).toFixed(0)} MB, ` +
        `read.db ${(fs.statSync(data.readModelFile).size / 2 ** 20).toFixed(0)} MB, in the page cache after the first start). ` +
        `${RUNS} starts each, alternating; \`node ${path.relative(process.cwd(), MAIN)}\` with NODE_ENV=production, LOG_LEVEL=info.\n`,
    );
    console.log(`The uncounted first start: ready in ${warmUp.readyMs.toFixed(0)} ms, with ${cacheBefore}.\n`);
    console.log('| process | ready (median) | each run | RSS at ready | peak RSS | RSS 2 s later |');
    console.log('|---|---:|---|---:|---:|---:|');
    const row = (name: string, all: Started[]) =>
      console.log(
        `| ${name} | ${Math.round(median(all.map((r) => r.readyMs)))} ms | ${all.map((r) => Math.round(r.readyMs)).join(', ')} ms | ` +
          `${median(all.map((r) => r.rssMb))} MB | ${Math.max(...all.map((r) => r.peakMb))} MB | ${median(all.map((r) => r.settledRssMb))} MB |`,
      );
    row('baseline: minimal express server answering /health', runs.hello);
    row('Trustline (dist), 1,000,000 events projected', runs.app);
    const ready = median(runs.app.map((r) => r.readyMs));
    const rss = Math.max(...runs.app.map((r) => r.rssMb));
    const baselineReady = median(runs.hello.map((r) => r.readyMs));
    const baselineRss = median(runs.hello.map((r) => r.rssMb));
    const trends = runs.app.map((r) => r.trend!);
    console.log(
      `\nThen the first year of weekly trustTrend over the 10,000 relationships (it derives and keeps every relationship's ` +
        `evidence summary): ${Math.round(median(trends.map((t) => t.ms)))} ms (median), RSS after it ${Math.max(...trends.map((t) => t.rssMb))} MB (worst run).`,
    );
    console.log(`\n| figure | value | × baseline | target | |\n|---|---:|---:|---:|---|`);
    console.log(
      `| ready | ${Math.round(ready)} ms | ${(ready / baselineReady).toFixed(1)} | < ${TARGET_MS} ms | ${ready < TARGET_MS ? 'met' : 'MISSED'} |`,
    );
    console.log(
      `| RSS at ready (worst run) | ${rss} MB | ${(rss / baselineRss).toFixed(1)} | < ${TARGET_RSS_MB} MB | ${rss < TARGET_RSS_MB ? 'met' : 'MISSED'} |`,
    );
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

void main();
