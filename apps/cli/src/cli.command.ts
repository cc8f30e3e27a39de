import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type CliOutput, UsageError } from './cli.io';

// What every command is and how it reads its options; the dispatcher
// (trustline.cli.ts) loads the commands, so they must not import it.

export interface CliCommand {
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: string[], output: CliOutput): Promise<number>;
}

/** Parses a command's options strictly: an unknown or malformed option is a UsageError. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
