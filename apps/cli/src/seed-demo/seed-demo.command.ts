import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { mintToken, resolveJwtSecret, TOKEN_TUNING } from '@trustline/access';
import {
  type CommandContext,
  CommandExecutor,
  CommandIdentity,
  type CommandOutcome,
  inputHash,
  StreamCommands,
} from '@trustline/command-handling';
import { assertNever, DomainError } from '@trustline/domain';
import {
  DataDirInUse,
  holdDataDirExclusive,
  ProjectionRunner,
  ReadModelDatabase,
  readReadModelPointer,
} from '@trustline/projections';
import { type CliOutput, formatCount, formatSeconds, integerOption, loadConfig, UsageError } from '../cli.io';
import { openConfiguredPersonalData, openConfiguredStore } from '../cli.store';
import { type CliCommand, parseOptions } from '../cli.command';
import { type DemoPlan, planDemoProgram, type PlannedCommand } from './demo-program.plan';
import { DEMO_LIMITS, type DemoBehaviour } from './demo.tuning';

export const SEED_ACTOR = 'seed-demo';
/** Progress lines while recording: this many in all. */
const PROGRESS_STEPS = 10;

const OPTIONS = {
  relationships: { type: 'string' },
  months: { type: 'string' },
  seed: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

export interface SeedDemoResult {
  plan: DemoPlan;
  events: number;
  seconds: number;
  projected: boolean;
}

/**
 * Records a demo program through the real write path (@trustline/command-handling:
 * deciders, hash chain, store, as the server writes), back-dated as if recorded
 * while it happened, then brings the read models up to date with it.
 */
export const seedDemoCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const seed = integerOption('seed', options.seed, { min: 0, max: 2 ** 31 - 1 }, DEMO_LIMITS.seed.default);
    const relationships = integerOption(
      'relationships',
      options.relationships,
      DEMO_LIMITS.relationships,
      DEMO_LIMITS.relationships.default,
    );
    const months = integerOption('months', options.months, DEMO_LIMITS.months, DEMO_LIMITS.months.default);
    const config = loadConfig(options['data-dir']);
    const lock = holdAlone(config.DATA_DIR);
    try {
      const plan = planDemoProgram({ seed, relationships, months, now: Date.now() });
      output.out(
        `Recording ${formatCount(plan.commands.length)} commands: ${relationships} relationships over ${months} months ` +
          `(seed ${seed}) into ${config.DATA_DIR}`,
      );
      const result = await recordDemo(plan, config, output);
      printSummary(result, seed, output);
      printTokens(
        plan,
        {
          secret: resolveJwtSecret(config.DATA_DIR, config.AUTH_JWT_SECRET),
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
        },
        output,
        config.PORT,
      );
      return 0;
    } finally {
      lock.release();
    }
  },
};

// The command runs the application's own projections and writes back-dated
// history: it holds DATA_DIR alone (no server may run on it meanwhile, and
// none can start), with the lock every server holds shared.
function holdAlone(dataDir: string) {
  try {
    return holdDataDirExclusive(dataDir);
  } catch (error) {
    if (error instanceof DataDirInUse) throw new UsageError(error.message);
    throw error;
  }
}

export async function recordDemo(
  plan: DemoPlan,
  config: Parameters<typeof openConfiguredStore>[0],
  output: CliOutput,
): Promise<SeedDemoResult> {
  const store = await openConfiguredStore(config);
  // The demo's names, emails and private content are sealed like the API's, so a demo participant can be erased.
  const keys = await openConfiguredPersonalData(config, store);
  try {
    // No idempotency keys here, so no index of them is needed.
    const commands = new StreamCommands(
      new CommandExecutor(store, { seal: (streamId, events) => keys.personalData.protect(streamId, events) }),
    );
    // One correlation id for the whole run: an auditor sees which events one seeding wrote.
    const correlationId = randomUUID();
    const started = process.hrtime.bigint();
    const step = Math.max(1, Math.ceil(plan.commands.length / PROGRESS_STEPS));
    for (const [index, planned] of plan.commands.entries()) {
      await execute(commands, planned, correlationId, plan);
      if ((index + 1) % step === 0 && index + 1 < plan.commands.length) {
        output.out(`  … ${formatCount(index + 1)} of ${formatCount(plan.commands.length)} commands`);
      }
    }
    const projected = await project(store, config.DATA_DIR);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const events = plan.commands.length; // every command of the plan appends exactly one event
    return { plan, events, seconds, projected };
  } finally {
    await keys.close();
    await store.close();
  }
}

// The read models the server will serve, caught up here so it starts on them (it would catch up by itself otherwise).
async function project(store: Awaited<ReturnType<typeof openConfiguredStore>>, dataDir: string): Promise<boolean> {
  const database = ReadModelDatabase.open({ file: path.join(dataDir, readReadModelPointer(dataDir).file) });
  try {
    await new ProjectionRunner({
      store,
      database,
      logger: { log: () => {}, error: (message) => console.error(message) },
    }).catchUp();
    return true;
  } finally {
    database.close();
  }
}

async function execute(
  commands: StreamCommands,
  planned: PlannedCommand,
  correlationId: string,
  plan: DemoPlan,
): Promise<CommandOutcome<unknown>> {
  const mutation = planned.command.type[0].toLowerCase() + planned.command.type.slice(1);
  const context: CommandContext = {
    identity: CommandIdentity.forKey(null),
    mutation,
    inputHash: inputHash(mutation, planned.command.data),
    actor: SEED_ACTOR,
    correlationId,
    recordedAt: new Date().toISOString(),
  };
  try {
    return await run(commands, planned, context);
  } catch (error) {
    if (error instanceof DomainError && error.rule === 'program.already-exists') {
      throw new UsageError(
        `this data directory already holds the demo program of this seed (program ${plan.programId}); ` +
          'pass another --seed or --data-dir',
      );
    }
    throw error;
  }
}

function run(
  commands: StreamCommands,
  planned: PlannedCommand,
  context: CommandContext,
): Promise<CommandOutcome<unknown>> {
  switch (planned.stream) {
    case 'program':
      return commands.program(planned.command, context);
    case 'participant':
      return commands.participant(planned.command, context);
    case 'relationship':
      return commands.relationship(planned.command, context);
    default:
      return assertNever(planned);
  }
}

function printSummary({ plan, events, seconds, projected }: SeedDemoResult, seed: number, output: CliOutput): void {
  const count = (behaviour: DemoBehaviour) => plan.relationships.filter((r) => r.behaviour === behaviour).length;
  const paused = plan.relationships.filter((r) => r.paused).length;
  const ended = plan.relationships.filter((r) => r.ended).length;
  const rate = seconds > 0 ? Math.round(events / seconds) : events;
  output.out(
    [
      `Recorded "${plan.programName}" (actor ${SEED_ACTOR}, seed ${seed}):`,
      `  program        ${plan.programId}, launched ${new Date(plan.launchedAt).toISOString().slice(0, 10)}`,
      `  participants   ${plan.participants} (${plan.relationships.length} mentors, ${plan.relationships.length} mentees)`,
      `  relationships  ${plan.relationships.length}: ${count('steady')} steady, ${count('lapsing')} lapsing, ` +
        `${count('recovering')} recovering, ${count('promise-breaking')} promise-breaking; ${paused} paused once, ${ended} ended`,
      `  events         ${formatCount(events)} in ${formatSeconds(seconds)} s (${formatCount(rate)} events/s), ` +
        (projected ? 'all projected' : 'not all projected yet (the server catches up when it starts)'),
      '',
      'Try it: start the server (npm start), mint a token (npm run -s cli -- token --role ADMIN) and ask',
      'POST http://localhost:3000/graphql with "Authorization: Bearer <token>":',
      '',
      exampleQuery(plan.programId),
    ].join('\n'),
  );
}

/**
 * Two tokens for the demo program, so a newcomer sees what each role may
 * read: its program manager (no private content, both trust directions) and
 * one of its mentees (its own relationship, only the trust it places).
 */
function printTokens(plan: DemoPlan, key: Parameters<typeof mintToken>[0], output: CliOutput, port: number): void {
  const mentee = plan.relationships[0]?.menteeId;
  const manager = mintToken(key, {
    sub: 'demo-program-manager',
    roles: ['PROGRAM_MANAGER'],
    programIds: [plan.programId],
  });
  const lines = [
    '',
    `Tokens for this program (valid ${TOKEN_TUNING.defaultLifetime}; \`npm run -s cli -- token --role <ROLE>\` mints others):`,
    `  PROGRAM_MANAGER  ${manager}`,
  ];
  if (mentee) {
    lines.push(
      `  MENTEE           ${mintToken(key, { sub: 'demo-mentee', roles: ['MENTEE'], participantId: mentee })}`,
    );
  }
  // A URL fragment never reaches a server or its logs; the dashboard and the IDE take the token from it.
  const base = `http://localhost:${port}`;
  lines.push(
    '',
    'In a browser, after npm start (signed in as the program manager):',
    `  dashboard  ${base}/app#token=${manager}&go=/program/${plan.programId}`,
    `  GraphQL IDE  ${base}/graphql#token=${manager}`,
  );
  output.out(lines.join('\n'));
}

export const exampleQuery = (programId: string): string =>
  `{
  program(id: "${programId}") {
    name
    atRisk(first: 3) {
      id mentor { displayName } mentee { displayName }
      trust { score band } cadence { currentGapDays needsCheckIn }
    }
    trustTrend(bucket: MONTH) { start activeRelationships medianScore bands { high steady fragile atRisk tooEarly } promisesKeptRate noShowRate }
  }
}`;
