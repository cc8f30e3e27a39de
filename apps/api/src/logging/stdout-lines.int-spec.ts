import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The real process end: lines the server log held back still reach stdout.
describe('the server log stream, in a process of its own', () => {
  describe('when the process ends with request lines held back', () => {
    const run = (ending: string) =>
      spawnSync(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-e',
          `const { StdoutLines } = require(${JSON.stringify(path.join(__dirname, 'stdout-lines'))});
           const lines = new StdoutLines();
           lines.deferred(() => lines.write('held back\\n'));
           ${ending}`,
        ],
        { cwd: path.join(__dirname, '../../../..'), encoding: 'utf8' },
      );

    it.each([
      ['it exits', 'process.exit(0)'],
      ['it crashes', "setImmediate(() => { throw new Error('crash') })"],
      ['its event loop empties', ''],
    ])('writes them when %s', (_name, ending) => {
      expect(run(ending).stdout).toBe('held back\n');
    });
  });
});
