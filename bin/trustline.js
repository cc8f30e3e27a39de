#!/usr/bin/env node
'use strict';
// The `trustline` command line (`npm run cli -- <command>`). Runs the build
// that `npm run build` and `npm start` produce; in a checkout that was never
// built, runs the sources through ts-node instead (slower to start).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist', 'apps', 'cli', 'apps', 'cli', 'src', 'main.js');

if (fs.existsSync(built)) {
  require(built);
} else {
  process.stderr.write('trustline: no build in dist/ (npm run build); running from the sources\n');
  const fromRoot = (name) => require(require.resolve(name, { paths: [root] }));
  process.env.TS_NODE_PROJECT = path.join(root, 'tsconfig.json');
  fromRoot('ts-node').register({ project: process.env.TS_NODE_PROJECT, transpileOnly: true });
  fromRoot('tsconfig-paths/register');
  require(path.join(root, 'apps', 'cli', 'src', 'main.ts'));
}
