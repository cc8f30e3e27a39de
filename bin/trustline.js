#!/usr/bin/env node
'use strict';
// The `trustline` command line (`npx trustline <command>`, or
// `npm run cli -- <command>`). Runs the build that `npm run build` produces
// while it is current; else (never built, or sources changed since) runs the
// sources through ts-node instead (slower to start), never a stale build.
const path = require('node:path');
const { BUILT, root, isBuildCurrent } = require('./build-state');

if (isBuildCurrent('cli')) {
  require(BUILT.cli);
} else {
  process.stderr.write('trustline: no current build in dist/ (npm run build); running from the sources\n');
  const fromRoot = (name) => require(require.resolve(name, { paths: [root] }));
  process.env.TS_NODE_PROJECT = path.join(root, 'tsconfig.json');
  fromRoot('ts-node').register({ project: process.env.TS_NODE_PROJECT, transpileOnly: true });
  fromRoot('tsconfig-paths/register');
  require(path.join(root, 'apps', 'cli', 'src', 'main.ts'));
}
