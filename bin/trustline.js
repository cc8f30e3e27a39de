#!/usr/bin/env node
'use strict';
// The `trustline` command line (`npx trustline <command>`, or
// `npm run cli -- <command>`). Runs the build that `npm run build` produces
// while it is current; else (never built, or sources changed since) runs the
// sources through ts-node instead (slower to start), never a stale build.
const path = require('node:path');
const { BUILT, root, isBuildCurrent } = require('./build-state');

// A rebuild makes a great many objects that die young: with a young generation
// of 64 MB rather than V8's 16 the collector does a fraction of the work (about a
// quarter less CPU for a whole rebuild here, bench:rebuild). Node takes the flag at
// start only, so `rebuild` runs in a child that has it, unless the flag was given.
const REBUILD_NODE_FLAGS = ['--max-semi-space-size=64'];

function relaunchWith(flags) {
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, ...flags, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl-C reaches both through the terminal's process group; a signal sent to this process alone is passed on.
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(name, forward);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

const hasFlag = (name) =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some(
    (arg) => arg === name || arg.startsWith(`${name}=`),
  );

if (process.argv[2] === 'rebuild' && !hasFlag('--max-semi-space-size')) {
  relaunchWith(REBUILD_NODE_FLAGS);
} else if (isBuildCurrent('cli')) {
  require(BUILT.cli);
} else {
  process.stderr.write('trustline: no current build in dist/ (npm run build); running from the sources\n');
  const fromRoot = (name) => require(require.resolve(name, { paths: [root] }));
  process.env.TS_NODE_PROJECT = path.join(root, 'tsconfig.json');
  fromRoot('ts-node').register({ project: process.env.TS_NODE_PROJECT, transpileOnly: true });
  fromRoot('tsconfig-paths/register');
  require(path.join(root, 'apps', 'cli', 'src', 'main.ts'));
}
