import { processOutput } from './cli.io';
import { runCli } from './trustline.cli';

runCli(process.argv.slice(2), processOutput).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`trustline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
