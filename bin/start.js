#!/usr/bin/env node
'use strict';
// `npm start`: builds the server only when a source is newer than the build,
// then runs it in this very process, so SIGTERM and SIGINT sent to npm (which
// forwards them to its one child) reach the server and it shuts down cleanly.
const { spawnSync } = require('node:child_process');
const { BUILT, root, isBuildCurrent } = require('./build-state');

if (!isBuildCurrent('api')) {
  process.stderr.write('trustline: the build in dist/ is missing or older than the sources; building the server\n');
  const nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [root] });
  const build = spawnSync(process.execPath, [nest, 'build', 'api'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (!isBuildCurrent('web')) {
  process.stderr.write(
    'trustline: the dashboard and IDE build in dist/web is missing or older than the sources; building it\n',
  );
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'build:web'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require(BUILT.api);
