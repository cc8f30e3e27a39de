import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// bin/build-state.js decides whether `npm start` builds and whether `trustline` runs dist/ or the sources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isCurrent } = require('../../../../bin/build-state') as {
  isCurrent(built: string, base: string, paths: string[]): boolean;
};

describe('whether the build in dist/ is current', () => {
  let dir: string;
  const touch = (relative: string, secondsAgo: number) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    const at = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, at, at);
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-build-state-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is not, without a build', () => {
    touch('src/a.ts', 60);
    expect(isCurrent(path.join(dir, 'dist/main.js'), dir, ['src'])).toBe(false);
  });

  it('is, when the build is newer than every source; a newer test file does not count', () => {
    touch('src/a.ts', 60);
    touch('src/deep/b.ts', 50);
    touch('dist/main.js', 10);
    touch('src/a.spec.ts', 1);
    expect(isCurrent(path.join(dir, 'dist/main.js'), dir, ['src'])).toBe(true);
  });

  it('is not, once a source changed after the build', () => {
    touch('dist/main.js', 10);
    touch('src/deep/b.ts', 1);
    expect(isCurrent(path.join(dir, 'dist/main.js'), dir, ['src'])).toBe(false);
  });
});
