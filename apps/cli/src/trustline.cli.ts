import type { CliCommand } from './cli.command';
import { type CliOutput, UsageError } from './cli.io';

interface CommandEntry {
  summary: string;
  usage: string;
  // Loaded on demand: `token` should not pay for booting Nest, nor `verify` for the projections.
  load: () => Promise<CliCommand>;
}

const DATA_DIR_USAGE = '[--data-dir DIR]';

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  token: {
    summary: 'print a JWT for local use, signed with the server’s secret',
    usage:
      'token --role ADMIN|PROGRAM_MANAGER|MENTOR|MENTEE|AUDITOR [--role …] [--sub S] [--participant-id ID] ' +
      `[--program-id ID …] [--expires-in 12h] ${DATA_DIR_USAGE}`,
    load: async () => (await import('./token/token.command')).tokenCommand,
  },
  rebuild: {
    summary: 'rebuild the read models into a new file from every event and swap it in (a running server follows)',
    usage: `rebuild ${DATA_DIR_USAGE}`,
    load: async () => (await import('./rebuild/rebuild.command')).rebuildCommand,
  },
  'seed-demo': {
    summary: 'record a realistic demo program through the real command path',
    usage: `seed-demo [--relationships 50] [--months 6] [--seed 42] ${DATA_DIR_USAGE}`,
    load: async () => (await import('./seed-demo/seed-demo.command')).seedDemoCommand,
  },
  verify: {
    summary: 'recompute hash chains from the store: exit 0 intact, 1 broken, 3 no such relationship',
    usage: `verify --relationship ID | --all ${DATA_DIR_USAGE}`,
    load: async () => (await import('./verify/verify.command')).verifyCommand,
  },
  erase: {
    summary:
      'crypto-shred a participant’s personal data, as eraseParticipant does (no server may have the data directory open)',
    usage: `erase --participant ID [--reason TEXT] [--actor NAME] ${DATA_DIR_USAGE}`,
    load: async () => (await import('./erase/erase.command')).eraseCommand,
  },
  replay: {
    summary: 'a relationship as of an instant (and as known at one), as relationshipAsOf answers it, in JSON',
    usage: `replay --relationship ID --at T [--known-at T] ${DATA_DIR_USAGE}`,
    load: async () => (await import('./replay/replay.command')).replayCommand,
  },
  export: {
    summary:
      'events, trajectories or trend of a program or relationship (ndjson|csv); or one participant’s own data (JSON)',
    usage:
      'export (--program ID | --relationship ID) [--what events|trajectories|trend] [--format ndjson|csv] ' +
      `[--bucket WEEK|MONTH] [--from T] [--to T] [--out FILE] ${DATA_DIR_USAGE}\n    trustline export --participant ID [--out FILE] ${DATA_DIR_USAGE}`,
    load: async () => (await import('./export/export.command')).exportCommand,
  },
};

export const usage = (): string =>
  [
    'Usage: trustline <command> [options]   (npm run cli -- <command> [options])',
    '',
    ...Object.entries(COMMANDS).map(
      ([name, { summary, usage: line }]) => `  ${name.padEnd(10)} ${summary}\n    trustline ${line}`,
    ),
    '',
    'DATA_DIR, EVENTSTORE_CONNECTION_STRING, AUTH_JWT_SECRET and SQLITE_SYNCHRONOUS are read as the server reads them;',
    '--data-dir overrides DATA_DIR.',
  ].join('\n');

export async function runCli(argv: string[], output: CliOutput): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    output.err(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    output.out(usage());
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    output.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    output.out(`Usage: trustline ${entry.usage}`);
    return 0;
  }
  try {
    return await (await entry.load()).run(args, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`trustline ${name}: ${error.message}\nUsage: trustline ${entry.usage}`);
      return 2;
    }
    output.err(`trustline ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
