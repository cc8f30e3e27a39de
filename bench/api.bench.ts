// npm run bench:api — `relationship(id) { trust { score band } }` over HTTP
// against the real server (createApp on a temporary DATA_DIR holding a program
// whose relationships have about a hundred events each), beside a bare Apollo
// server answering a constant of the same shape and size, in the same run. Each
// server runs in its own process; autocannon drives both from this one.
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { machine } from './bench-kit';
import { writeDataSet } from './million-events';

const CONNECTIONS = 32;
const WARM_UP_SECONDS = 2;
const DURATION_SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
/** Each server is measured this many times, alternating, so that a burst of load elsewhere hits both. */
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 2);
const RELATIONSHIPS = 100;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;
/**
 * The real server's settings beyond its defaults. The rate limit stays on, as a user runs the server (every
 * operation is counted against the caller's budget), with a budget the bench's one caller never exhausts;
 * BENCH_RATE_LIMIT=0 switches it off.
 */
const APP_ENV = {
  RATE_LIMIT_PER_MINUTE: process.env.BENCH_RATE_LIMIT ?? '1000000000',
  SQLITE_SYNCHRONOUS: 'NORMAL',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
};

const PROFILE_DIR = path.join(os.tmpdir(), 'trustline-bench-profiles');

const QUERY = 'query ($id: ID!) { relationship(id: $id) { trust { score band } } }';
const MUTATION =
  'mutation ($input: SubmitTrustCheckInInput!) { submitTrustCheckIn(input: $input) { position relationship { id } } }';
const TREND = `query ($id: ID!) { program(id: $id) { trustTrend(bucket: WEEK) {
  start end activeRelationships medianScore p25Score p75Score bands { tooEarly high steady fragile atRisk } } } }`;

type Role = 'app' | 'apollo' | 'apollo-schema' | 'floor';
interface Ready {
  port: number;
  token?: string;
}
interface Serving {
  ready: Ready;
  close: () => Promise<unknown>;
}

// ---- the two servers, each in a child process ----

async function serveApp(dataDir: string): Promise<Serving> {
  const { createApp } = await import('../apps/api/src/app.factory');
  const { AuthService } = await import('../apps/api/src/auth/auth.service');
  const app = await createApp({ ...APP_ENV, DATA_DIR: dataDir, PORT: '0' });
  await app.listen(0, '127.0.0.1');
  const port = Number(new URL(await app.getUrl()).port);
  return {
    ready: { port, token: app.get(AuthService).mint({ sub: 'bench', roles: ['ADMIN'] }) },
    close: () => app.close(),
  };
}

const SMALL_SCHEMA = `
  enum TrustBand { TOO_EARLY HIGH STEADY FRAGILE AT_RISK }
  type TrustScore { score: Float! band: TrustBand! }
  type Relationship { trust: TrustScore! }
  type Query { relationship(id: ID!): Relationship }`;

/**
 * The baseline: bare Apollo answering a constant of the same shape. For diagnosis, the same server on Trustline's
 * whole schema (apps/api/schema.graphql): what the schema's size alone costs graphql-js per request.
 */
async function serveApollo(answer: string, typeDefs = SMALL_SCHEMA): Promise<Serving> {
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const constant = JSON.parse(answer) as unknown;
  const server = new ApolloServer({ typeDefs, resolvers: { Query: { relationship: () => constant } } });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { ready: { port: Number(new URL(url).port) }, close: () => server.stop() };
}

/**
 * BENCH_API_BASELINE_DIR: a checkout of another commit (its own files, node_modules linked, this script copied
 * into its bench/): its server is measured beside this one's on a copy of the data, case for case, alternating,
 * so that both meet the same load. Only the read cases (trust, typename) are compared.
 */
const BASELINE_DIR = process.env.BENCH_API_BASELINE_DIR;

function child(role: Role, argument: string, checkout?: string): Promise<{ process: ChildProcess; ready: Ready }> {
  // BENCH_PROFILE=app (or apollo) writes a CPU profile of that server, for finding where its time goes.
  const profile =
    process.env.BENCH_PROFILE === role && !checkout ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const script = checkout ? path.join(checkout, 'bench', path.basename(__filename)) : __filename;
  const server = fork(script, [role, argument], {
    cwd: checkout ?? process.cwd(),
    execArgv: [...profile, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    // As deployed (docker/Dockerfile): production mode, logs away from the terminal.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    server.once('message', (ready: Ready) => resolve({ process: server, ready }));
    server.once('exit', (code) => reject(new Error(`The ${role} server exited with ${code}`)));
  });
}

// ---- the driver ----

/** The server process's CPU time so far (ms, user + system), asked over IPC. */
function cpuOf(server: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const answer = (message: { kind?: string; ms?: number }) => {
      if (message.kind !== 'cpu') return;
      server.off('message', answer);
      resolve(message.ms ?? 0);
    };
    server.on('message', answer);
    server.send({ kind: 'cpu' });
  });
}

async function post(port: number, token: string | undefined, body: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: headers(token), body });
  return response.text();
}

const headers = (token: string | undefined): Record<string, string> => ({
  'content-type': 'application/json',
  // The same header on both, so both parse requests of one size.
  authorization: `Bearer ${token ?? 'x'.repeat(200)}`,
});

/** A request body, or one per request (each mutation a new check-in, round-robin over relationships). */
type Body = string | (() => string);

async function load(port: number, token: string | undefined, body: Body, seconds: number) {
  let failedAnswers = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: headers(token),
    requests: [
      {
        ...(typeof body === 'string'
          ? { body }
          : { setupRequest: (request: object) => ({ ...request, body: body() }) }),
        onResponse: (_status: number, answer: string) => {
          if (answer.includes('"errors"')) failedAnswers++;
        },
      },
    ],
  });
  // GraphQL errors come with a 200: count them, so that a refused mutation is not counted as served.
  result.errors += failedAnswers;
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`Failed requests: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  }
  return { perSecond: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99 };
}

async function activeRelationships(readModelFile: string): Promise<string[]> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(readModelFile, { readonly: true });
  try {
    return db
      .prepare("SELECT id FROM relationships WHERE status = 'ACTIVE' ORDER BY position")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-api-'));
  const children: ChildProcess[] = [];
  let baselineDataDir: string | null = null;
  try {
    const data = await writeDataSet(dataDir, RELATIONSHIPS, () => undefined);
    if (BASELINE_DIR) {
      baselineDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-api-base-'));
      fs.cpSync(dataDir, baselineDataDir, { recursive: true });
    }
    // BENCH_API_CASES=trust,typename runs only those cases (the bare Apollo baseline always runs), e.g. to profile one.
    const only = process.env.BENCH_API_CASES?.split(',').map((key) => key.trim());
    const relationshipId = data.sampleRelationshipIds[0];
    const body = JSON.stringify({ query: QUERY, variables: { id: relationshipId } });

    const app = await child('app', dataDir);
    children.push(app.process);
    const answer = await post(app.ready.port, app.ready.token, body);
    const parsed = JSON.parse(answer) as { data?: { relationship: unknown }; errors?: unknown };
    if (!parsed.data?.relationship || parsed.errors) throw new Error(`Unexpected answer: ${answer}`);
    const apollo = await child('apollo', JSON.stringify(parsed.data.relationship));
    children.push(apollo.process);
    const constant = await post(apollo.ready.port, undefined, body);
    if (constant.length !== answer.length) throw new Error(`Answers differ in size: ${constant} vs ${answer}`);
    // For diagnosis: bare Apollo on Trustline's whole schema, and the smallest Nest app shaped like Trustline's
    // resolvers (nest-floor.ts). Between them and Trustline, the gap splits into the schema's size, the stack's
    // own cost and what Trustline adds. Each answers the same bytes.
    const diagnosisCases: { key: string; name: string; server: typeof apollo; body: Body }[] = [];
    for (const [key, name] of [
      ['apollo-schema', "bare Apollo, constant, on Trustline's whole schema (diagnosis)"],
      ['floor', 'the smallest Nest app shaped like Trustline, constant (diagnosis: nest-floor.ts)'],
    ] as const) {
      if (only && !only.includes(key)) continue;
      const server = await child(key, JSON.stringify(parsed.data.relationship));
      children.push(server.process);
      const same = await post(server.ready.port, undefined, body);
      if (same !== constant) throw new Error(`The ${key} server answers otherwise: ${same}`);
      diagnosisCases.push({ key, name, server, body });
    }
    const baseline = baselineDataDir ? await child('app', baselineDataDir, BASELINE_DIR) : null;
    if (baseline) {
      children.push(baseline.process);
      const same = await post(baseline.ready.port, baseline.ready.token, body);
      if (!same.startsWith(answer.slice(0, 40))) throw new Error(`The baseline answers otherwise: ${same}`);
    }

    // A third case, for diagnosis only: Trustline answering `{ __typename }` shows what its HTTP and
    // GraphQL pipeline costs before any resolver reads anything.
    const typename = JSON.stringify({ query: '{ __typename }' });
    // Beside the trust read: a write (each request a new check-in, on active relationships in turn) and a program trend.
    const active = await activeRelationships(data.readModelFile);
    let next = 0;
    const mutation = () =>
      JSON.stringify({
        query: MUTATION,
        variables: {
          input: {
            relationshipId: active[next++ % active.length],
            respondent: 'MENTEE',
            ability: 4,
            benevolence: 3,
            integrity: 5,
          },
        },
      });
    const trend = JSON.stringify({ query: TREND, variables: { id: data.programId } });
    for (const [name, request] of [
      ['mutation', mutation()],
      ['trend', trend],
    ] as const) {
      const answered = await post(app.ready.port, app.ready.token, request);
      if (answered.includes('"errors"')) throw new Error(`The ${name} case fails: ${answered.slice(0, 300)}`);
    }
    const allCases: { key: string; name: string; server: typeof app; body: Body }[] = [
      { key: 'apollo', name: 'bare Apollo, constant', server: apollo, body },
      { key: 'trust', name: 'Trustline (createApp)', server: app, body },
      ...(baseline
        ? [{ key: 'trust-baseline', name: `Trustline (createApp) at ${BASELINE_DIR}`, server: baseline, body }]
        : []),
      ...diagnosisCases,
      { key: 'typename', name: 'Trustline, `{ __typename }` (diagnosis)', server: app, body: typename },
      ...(baseline
        ? [
            {
              key: 'typename-baseline',
              name: `Trustline, \`{ __typename }\` at ${BASELINE_DIR}`,
              server: baseline,
              body: typename,
            },
          ]
        : []),
      {
        key: 'mutation',
        name: 'Trustline, mutation `submitTrustCheckIn` (32 writers, 100 relationships)',
        server: app,
        body: mutation,
      },
      {
        key: 'trend',
        name: `Trustline, \`trustTrend(bucket: WEEK)\` of the program (${RELATIONSHIPS} relationships)`,
        server: app,
        body: trend,
      },
    ];
    const cases = allCases.filter(({ key }) => key === 'apollo' || !only || only.includes(key));
    const runs = cases.map(() => [] as (Awaited<ReturnType<typeof load>> & { cpuMsPerRequest: number })[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, { server, body: request }] of cases.entries()) {
        await load(server.ready.port, server.ready.token, request, WARM_UP_SECONDS);
        const cpuBefore = await cpuOf(server.process);
        const run = await load(server.ready.port, server.ready.token, request, DURATION_SECONDS);
        const cpuMs = (await cpuOf(server.process)) - cpuBefore;
        runs[i].push({ ...run, cpuMsPerRequest: cpuMs / (run.perSecond * DURATION_SECONDS) });
      }
    }

    const load1 = os.loadavg()[0].toFixed(2);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`\n# bench:api\n\nMachine: ${machine()}; load average (1 min) after the run ${load1}\n`);
    console.log(
      `${CONNECTIONS} connections, ${ROUNDS} rounds of ${WARM_UP_SECONDS} s warm-up + ${DURATION_SECONDS} s per case, alternating; ` +
        `relationship of ${(data.events / RELATIONSHIPS) | 0} events; answer ${answer.length} bytes: \`${answer.trim()}\`; ` +
        `both servers with NODE_ENV=production; Trustline with LOG_LEVEL=${APP_ENV.LOG_LEVEL}, RATE_LIMIT_PER_MINUTE=${APP_ENV.RATE_LIMIT_PER_MINUTE}.\n`,
    );
    // The server's own CPU time (user + system) per request answered: less moved by other load than req/s.
    console.log('| case | round | req/s | p50 ms | p99 ms | server CPU ms/request |');
    console.log('|---|---:|---:|---:|---:|---:|');
    cases.forEach(({ name }, i) =>
      runs[i].forEach((run, round) =>
        console.log(
          `| ${name} | ${round + 1} | ${fmt(run.perSecond)} | ${run.p50} | ${run.p99} | ${run.cpuMsPerRequest.toFixed(3)} |`,
        ),
      ),
    );
    const runsOf = (key: string) => runs[cases.findIndex((c) => c.key === key)];
    const apolloRuns = runsOf('apollo');
    // The targets are the trust read's: with BENCH_API_CASES leaving it out, there is nothing to judge.
    const appRuns = runsOf('trust');
    if (appRuns) {
      const ratio = mean(appRuns.map((r) => r.perSecond)) / mean(apolloRuns.map((r) => r.perSecond));
      const p99 = Math.max(...appRuns.map((r) => r.p99));
      console.log(`\n| figure | value | target | |\n|---|---:|---:|---|`);
      console.log(
        `| req/s, Trustline ÷ bare Apollo (means of the rounds) | ${ratio.toFixed(2)} | ≥ ${TARGET_RATIO} | ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'} |`,
      );
      console.log(
        `| Trustline p99 latency (worst round) | ${p99} ms | < ${TARGET_P99_MS} ms | ${p99 < TARGET_P99_MS ? 'met' : 'MISSED'} |`,
      );
    } else {
      console.log('\nThe trust read did not run (BENCH_API_CASES): no target is judged.');
    }
    // The diagnosis: where between bare Apollo and Trustline the trust read's gap is, by req/s and by server CPU.
    const ratios = (over: string, under: string) => {
      const a = runsOf(over);
      const b = runsOf(under);
      if (!a || !b) return null;
      const perSecond = mean(a.map((r) => r.perSecond)) / mean(b.map((r) => r.perSecond));
      const cpu = mean(b.map((r) => r.cpuMsPerRequest)) / mean(a.map((r) => r.cpuMsPerRequest));
      return `${perSecond.toFixed(2)} | ${cpu.toFixed(2)}`;
    };
    const splits = [
      ["bare Apollo on Trustline's whole schema ÷ on the small one", 'apollo-schema', 'apollo'],
      ['the smallest Nest app shaped like Trustline ÷ bare Apollo', 'floor', 'apollo'],
      ['Trustline ÷ the smallest Nest app shaped like it', 'trust', 'floor'],
    ] as const;
    const found = splits.flatMap(([name, over, under]) => {
      const value = ratios(over, under);
      return value ? [`| ${name} | ${value} |`] : [];
    });
    if (found.length > 0) {
      console.log('\n| diagnosis | req/s ratio | CPU per request, inverse ratio |\n|---|---:|---:|');
      for (const line of found) console.log(line);
    }
  } finally {
    await Promise.all(
      children.map((server) => new Promise((resolve) => server.once('exit', resolve).send({ kind: 'stop' }))),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (baselineDataDir) fs.rmSync(baselineDataDir, { recursive: true, force: true });
  }
}

const SERVERS: Record<Role, (argument: string) => Promise<Serving>> = {
  app: serveApp,
  apollo: (answer) => serveApollo(answer),
  'apollo-schema': (answer) => serveApollo(answer, fs.readFileSync('apps/api/schema.graphql', 'utf8')),
  floor: async (answer) => {
    const { serveNestFloor } = await import('./nest-floor');
    const { port, close } = await serveNestFloor(answer);
    return { ready: { port }, close };
  },
};

const [role, argument] = process.argv.slice(2);
if (role !== undefined && Object.hasOwn(SERVERS, role)) {
  SERVERS[role as Role](argument).then(
    ({ ready, close }) => {
      process.on('message', (message: { kind: 'stop' | 'cpu' }) => {
        if (message.kind === 'cpu') {
          const { user, system } = process.cpuUsage();
          process.send?.({ kind: 'cpu', ms: (user + system) / 1000 });
        } else void close().then(() => process.exit(0));
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
