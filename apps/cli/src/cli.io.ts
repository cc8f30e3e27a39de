import { ConfigError, type AppConfig, validateEnvironment } from '@trustline/config';

/** Where a command writes: stdout for what it produces, stderr for notes about it. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A mistake of the person at the keyboard: reported as one line and exit code 2, never as a stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The server's configuration, read and validated the same way (the
 * environment, then --data-dir over DATA_DIR), so the CLI finds the same
 * store, read models and JWT secret as the server would.
 */
export function loadConfig(dataDir: string | undefined): AppConfig {
  try {
    return validateEnvironment({ ...process.env, ...(dataDir === undefined ? {} : { DATA_DIR: dataDir }) });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** A whole number within bounds, from an option's text. */
export function integerOption(
  name: string,
  text: string | undefined,
  bounds: { min: number; max: number },
  fallback: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < bounds.min || value > bounds.max) {
    throw new UsageError(`--${name} must be a whole number from ${bounds.min} to ${bounds.max}, not "${text}"`);
  }
  return value;
}

const thousands = new Intl.NumberFormat('en-US');
export const formatCount = (n: number | bigint): string => thousands.format(n);
export const formatSeconds = (seconds: number): string => seconds.toFixed(seconds < 10 ? 2 : 1);
