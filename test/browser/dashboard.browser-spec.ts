/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { planDemoProgram } from '../../apps/cli/src/seed-demo/demo-program.plan';
import { MENTEE_PROMISES, MENTOR_PROMISES } from '../../apps/cli/src/seed-demo/demo.vocabulary';
import { recordDemo } from '../../apps/cli/src/seed-demo/seed-demo.command';
import { WEB_BUILD_DIR } from '../../apps/api/src/browser/browser-pages';
import { mutate } from '../support/fixtures';
import { removeDir, startTestApp, type TestApp } from '../support/test-app';
import { launchChromium, type LaunchedBrowser, leftTheMachine, recordRequests, screenshot } from './browser';
import { validateEnvironment } from '@trustline/config';

// The dashboard and the IDE in a real browser, against the real server on a
// seeded data directory. Tokens are minted for each role and always sent, so
// what is asserted holds with the access policy in force.

jest.setTimeout(120_000);

const PRIVATE_TEXTS = [...MENTOR_PROMISES, ...MENTEE_PROMISES];
const WAIT = { timeout: 60_000 };

describe('the browser side', () => {
  let dataDir: string;
  let server: TestApp;
  let chromium: LaunchedBrowser;
  let programId: string;
  let tokens: { admin: string; manager: string; auditor: string };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_BUILD_DIR, 'app/index.html')))
      throw new Error('Build the browser pages first: npm run build:web');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-browser-'));
    const plan = planDemoProgram({ seed: 7, relationships: 10, months: 4, now: Date.now() });
    await recordDemo(plan, validateEnvironment({ DATA_DIR: dataDir }), { out: () => undefined, err: () => undefined });
    programId = plan.programId;
    server = await startTestApp({ dataDir });
    tokens = {
      admin: server.token(),
      manager: server.token({ sub: 'browser-manager', roles: ['PROGRAM_MANAGER'], programIds: [programId] }),
      auditor: server.token({ sub: 'browser-auditor', roles: ['AUDITOR'] }),
    };
    chromium = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    if (dataDir) removeDir(dataDir);
  });

  const openAs = async (
    token: string,
    route = '#/',
  ): Promise<{ context: BrowserContext; page: Page; requests: string[] }> => {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests = recordRequests(page);
    // As seed-demo's links: the token and the view to open in the fragment, which never reaches the server.
    await page.goto(`${server.url}/app#token=${encodeURIComponent(token)}&go=${route.slice(1)}`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor(WAIT);
    expect(new URL(page.url()).hash).toBe(route);
    return { context, page, requests };
  };

  const relationshipIds = async (): Promise<string[]> => {
    const answer = await server.graphql<{ program: { relationships: { edges: { node: { id: string } }[] } } }>(
      'query ($id: ID!) { program(id: $id) { relationships(first: 50) { edges { node { id } } } } }',
      { id: programId },
      { token: tokens.admin },
    );
    return answer.data!.program.relationships.edges.map((edge) => edge.node.id);
  };

  it('serves the IDE to a browser with a headers editor, and nothing it loads leaves loopback', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const requests = recordRequests(page);
    const operations: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && operations.push(request.url()));
    // Signed out, the headers editor offers the Authorization header to fill in.
    const response = await page.goto(`${server.url}/graphql`);
    expect(response?.headers()['content-type']).toMatch(/text\/html/);
    await page.locator('.graphiql-container').waitFor(WAIT);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor(WAIT);
    // The headers editor is open from the start, with the Authorization header to fill in.
    await page.getByRole('button', { name: 'Headers', exact: true }).waitFor(WAIT);
    await page.locator('.graphiql-editor-tool .monaco-editor').last().waitFor(WAIT);
    await page.waitForFunction(
      () => document.querySelector('.graphiql-editor-tool')?.textContent?.includes('Authorization'),
      null,
      WAIT,
    );
    // With a token handed over in the fragment, the IDE sends it and loads the schema.
    await page.goto('about:blank');
    await page.goto(`${server.url}/graphql#token=${encodeURIComponent(tokens.auditor)}`);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor(WAIT);
    expect(page.url()).not.toContain('token=');
    // Schema introspection goes to this server's /graphql, the only API host the page knows.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.getByText('Query', { exact: true }).first().waitFor(WAIT);
    expect(operations).toContain(`${server.url}/graphql`);
    await screenshot(page, 'ide');
    expect(requests.length).toBeGreaterThan(3);
    expect(leftTheMachine(requests)).toEqual([]);
    await context.close();
  });

  it('signs in with a pasted token and lists the programs', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/app`);
    await page.getByLabel('Access token').fill(tokens.manager);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Programs' }).waitFor(WAIT);
    await page.locator(`a[href="#/program/${programId}"]`).waitFor(WAIT);
    await context.close();
  });

  it('shows a program manager the trend charts, their tables and the at-risk list worst first', async () => {
    const { context, page, requests } = await openAs(tokens.manager, `#/program/${programId}`);
    expect(page.url()).not.toContain('token=');
    for (const id of ['trend', 'bands', 'rates', 'organisation']) {
      await page.locator(`figure#${id} svg[aria-label]`).first().waitFor(WAIT);
      // The text alternative: a table behind each chart with a row per bucket.
      expect(await page.locator(`figure#${id} details table tbody tr`).count()).toBeGreaterThan(1);
    }
    const atRisk = await server.graphql<{ program: { atRisk: { id: string }[] } }>(
      'query ($id: ID!) { program(id: $id) { atRisk { id } } }',
      { id: programId },
      { token: tokens.manager },
    );
    const listed = page.locator('ol.at-risk > li');
    await page.locator('#at-risk-title').waitFor(WAIT);
    if (atRisk.data!.program.atRisk.length > 0) await listed.first().waitFor(WAIT);
    const shown = await listed.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(shown).toEqual(atRisk.data!.program.atRisk.map((r) => `#/relationship/${r.id}`));
    expect(await listed.locator('.reason').count()).toBe(shown.length);
    await page.selectOption('select', 'MONTH');
    await page.waitForFunction(() => document.querySelectorAll('figure#trend details tbody tr').length > 0);
    await screenshot(page, 'program-view');
    // On a phone the page reflows to one column: nothing wider than the screen but the scrollable tables.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth + 1, null, WAIT);
    expect(leftTheMachine(requests)).toEqual([]);
    await context.close();
  });

  it('shows a relationship’s trajectory with each point’s cause on focus, and no private content the API withholds', async () => {
    const ids = await relationshipIds();
    // The relationship with the most promises shows most.
    const withPromises = await Promise.all(
      ids.map(async (id) => {
        const answer = await server.graphql<{ relationship: { promises: { description: string | null }[] } }>(
          'query ($id: ID!) { relationship(id: $id) { promises { description } } }',
          { id },
          { token: tokens.manager },
        );
        return { id, promises: answer.data!.relationship.promises };
      }),
    );
    const chosen = withPromises.sort((a, b) => b.promises.length - a.promises.length)[0];
    const { context, page } = await openAs(tokens.manager, `#/relationship/${chosen.id}`);
    await page.locator('figure#trajectory svg[aria-label]').first().waitFor(WAIT);
    await page.locator('figure#cadence svg[aria-label]').first().waitFor(WAIT);
    await page.locator('.explorable').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await expect(page.locator('#trajectory-point').innerText()).resolves.toMatch(/Cause:/);
    await expect(page.locator('#trajectory-point table, #trajectory-point p.muted').count()).resolves.toBeGreaterThan(
      0,
    );
    await page.locator('#promises-title').waitFor(WAIT);
    expect(await page.locator('section[aria-labelledby="promises-title"] tbody tr').count()).toBe(
      chosen.promises.length,
    );
    await screenshot(page, 'relationship-view');

    // Private content: the API returns none to a program manager, and the page shows none.
    expect(chosen.promises.length).toBeGreaterThan(0);
    expect(chosen.promises.map((p) => p.description)).toEqual(chosen.promises.map(() => null));
    const text = await page.locator('main').innerText();
    for (const privateText of PRIVATE_TEXTS) expect(text).not.toContain(privateText);
    expect(text).toContain('(private)');
    await context.close();
  });

  it('shows an auditor the history with hashes, verifies it and rebuilds it as of an instant', async () => {
    const [id] = await relationshipIds();
    const { context, page } = await openAs(tokens.auditor, `#/audit/${id}`);
    await page.locator('section[aria-labelledby="history-title"] tbody tr').first().waitFor(WAIT);
    await expect(
      page.locator('section[aria-labelledby="history-title"] tbody tr').first().innerText(),
    ).resolves.toMatch(/[0-9a-f]{12}…/);
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await page.getByText(/Intact: \d+ events checked/).waitFor(WAIT);
    const at = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 16);
    await page.getByLabel('At', { exact: true }).fill(at);
    await page.getByRole('button', { name: 'Show snapshot' }).click();
    await page.getByText(/events applied/).waitFor(WAIT);
    await screenshot(page, 'audit-view');
    await context.close();
  });

  it('delivers live trust changes to the program view as they are recorded', async () => {
    const { context, page } = await openAs(tokens.manager, `#/program/${programId}`);
    await page.locator('figure#trend svg[aria-label]').first().waitFor(WAIT);
    await page.getByText('Waiting for new trust changes').waitFor(WAIT);
    const [relationshipId] = await relationshipIds();
    // The subscription is open once the page shows it is waiting; a check-in then moves trust.
    await page.waitForTimeout(500);
    await mutate(
      server,
      tokens.admin,
      'submitTrustCheckIn',
      { relationshipId, respondent: 'MENTEE', ability: 5, benevolence: 5, integrity: 5, organization: 4 },
      'position',
    );
    await page.locator('.live-changes a').first().waitFor(WAIT);
    await expect(page.locator('.live-changes').innerText()).resolves.toMatch(/check in/i);
    await context.close();
  });
});
