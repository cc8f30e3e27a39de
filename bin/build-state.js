'use strict';
// Whether dist/ holds a build of today's sources: `npm start` builds only
// when it does not, and the `trustline` command falls back to the sources.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const BUILT = {
  api: path.join(root, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js'),
  cli: path.join(root, 'dist', 'apps', 'cli', 'apps', 'cli', 'src', 'main.js'),
  // The dashboard and the IDE (vite builds); the server serves them from dist/web.
  web: path.join(root, 'dist', 'web', 'app', 'index.html'),
};
// What a build of an app is made from; tests are not part of it.
const SOURCES = { api: ['apps/api/src', 'libs'], cli: ['apps/cli/src', 'libs'], web: ['apps/web'] };
const SETTINGS = ['tsconfig.json', 'nest-cli.json', 'package-lock.json'];
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

/** The newest modification time (ms) of the files under `paths` (relative to `base`) that go into a build. */
function newestSource(base, paths) {
  let newest = 0;
  const visit = (file) => {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file)) if (name !== 'node_modules') visit(path.join(file, name));
    } else if (!TEST_FILE.test(file)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const relative of paths) visit(path.join(base, relative));
  return newest;
}

/** True when `built` exists and is newer than every file it is built from. */
function isCurrent(built, base, paths) {
  let builtAt;
  try {
    builtAt = fs.statSync(built).mtimeMs;
  } catch {
    return false;
  }
  return builtAt >= newestSource(base, paths);
}

const isBuildCurrent = (app) => isCurrent(BUILT[app], root, [...SOURCES[app], ...SETTINGS]);

module.exports = { BUILT, root, isBuildCurrent, isCurrent, newestSource };
