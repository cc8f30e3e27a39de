import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// What the API answers a browser at /graphql and /app, and that API clients are unaffected.
// The pages here come from a small stand-in build directory so this tier does not depend on `npm run build:web`.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function fakeBuild(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-web-'));
  for (const [file, text] of [
    ['ide/index.html', '<!doctype html><title>IDE</title>'],
    ['app/index.html', '<!doctype html><title>Dashboard</title>'],
    ['app/assets/app.js', 'console.log(1)'],
  ]) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the browser pages', () => {
  const build = fakeBuild();
  afterAll(() => removeDir(build));

  describe('on (the default)', () => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp({ env: { WEB_DIR: build } });
    });
    afterAll(async () => {
      await server.close();
      removeDir(server.dataDir);
    });

    it('gives a browser asking for HTML the IDE at GET /graphql, with a same-origin-only policy', async () => {
      const response = await fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toContain('<title>IDE</title>');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it('still answers API clients at /graphql as before', async () => {
      const response = await server.graphql('{ __typename }');
      expect(response.data).toEqual({ __typename: 'Query' });
      const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' },
      });
      expect(get.headers.get('content-type')).toMatch(/json/);
    });

    it('serves the dashboard and its assets under /app', async () => {
      const page = await fetch(`${server.url}/app`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Dashboard</title>');
      const asset = await fetch(`${server.url}/app/assets/app.js`);
      expect(asset.status).toBe(200);
      expect((await fetch(`${server.url}/app/assets/missing.js`)).status).toBe(404);
    });
  });

  describe('off (GRAPHQL_IDE=off, DASHBOARD=off)', () => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp({ env: { GRAPHQL_IDE: 'off', DASHBOARD: 'off', WEB_DIR: build } });
    });
    afterAll(async () => {
      await server.close();
      removeDir(server.dataDir);
    });

    it('serves neither page', async () => {
      const ide = await fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
      expect(ide.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      expect((await fetch(`${server.url}/app`)).status).toBe(404);
    });
  });

  it('refuses a setting other than on or off', async () => {
    await expect(startTestApp({ env: { DASHBOARD: 'maybe' } })).rejects.toThrow(/DASHBOARD=/);
  });
});
