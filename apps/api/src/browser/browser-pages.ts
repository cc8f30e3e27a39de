import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

// The two pages a browser gets from the API: the GraphQL IDE and the dashboard.
// Both are static builds of apps/web (`npm run build`), served from this
// server's own origin; neither may load anything from another host, which the
// Content-Security-Policy below makes the browser enforce.

/** Where `npm run build` puts the browser builds (WEB_DIR's default, relative to the working directory). */
export const WEB_BUILD_DIR = path.join(process.cwd(), 'dist/web');

/** URL prefixes: the IDE's assets live apart from /graphql so the endpoint itself stays the API's. */
export const IDE_ASSETS_PATH = '/graphiql';
export const DASHBOARD_PATH = '/app';

/**
 * Only this origin, and WebSockets back to it (graphql-ws). Monaco (in the IDE)
 * starts its workers from blob URLs and sets inline styles; nothing else is loosened.
 */
export const BROWSER_PAGE_CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface BrowserPagesOptions {
  ide: boolean;
  dashboard: boolean;
  buildDir?: string;
}

/** Mounted before GraphQL, so a browser's GET /graphql gets the IDE rather than Apollo's CSRF refusal. */
export function mountBrowserPages(app: NestExpressApplication, options: BrowserPagesOptions): void {
  const buildDir = path.resolve(options.buildDir ?? WEB_BUILD_DIR);
  if (options.ide) {
    const ideDir = path.join(buildDir, 'ide');
    app.use(
      IDE_ASSETS_PATH,
      secured,
      express.static(ideDir, { index: false, fallthrough: false, immutable: true, maxAge: '1y' }),
    );
    app.use('/graphql', (req: Request, res: Response, next: NextFunction) => {
      if (!wantsPage(req)) return next();
      sendPage(res, path.join(ideDir, 'index.html'), 'The GraphQL IDE is not built: run `npm run build`.');
    });
  }
  if (options.dashboard) {
    const dashboardDir = path.join(buildDir, 'app');
    const assets = express.static(dashboardDir, { index: false, fallthrough: true, immutable: true, maxAge: '1y' });
    app.use(DASHBOARD_PATH, secured, (req: Request, res: Response, next: NextFunction) => {
      // /app and /app/ are the page itself; its views are told apart by the fragment, which never reaches the server.
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      if (req.path === '/' || req.path === '/index.html') {
        return sendPage(res, path.join(dashboardDir, 'index.html'), 'The dashboard is not built: run `npm run build`.');
      }
      assets(req, res, () => res.status(404).type('text/plain').send('Not found'));
    });
  }
}

/** A browser navigating to /graphql: it asks for HTML first, and sends no operation. */
function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' || req.query.query !== undefined) return false;
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

function secured(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', BROWSER_PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

function sendPage(res: Response, file: string, missing: string): void {
  secured(undefined as never, res, () => undefined);
  // The page is small and names hashed assets: always revalidated, so a new build shows at once.
  res.setHeader('Cache-Control', 'no-cache');
  fs.readFile(file, (error, html) => {
    if (error) {
      res.status(404).type('text/plain').send(missing);
      return;
    }
    res.status(200).type('html').send(html);
  });
}
