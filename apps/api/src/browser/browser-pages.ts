import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import fastifyStatic from '@fastify/static';
import accepts from 'accepts';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import { GRAPHQL_PATH } from '../graphql/http-transport';

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

/** What the static files get: cached for a year, as their names change with each build. */
const ASSET_OPTIONS = {
  index: false,
  immutable: true,
  maxAge: '1y',
  redirect: true,
  wildcard: true,
  // The type of a script as RFC 9239 (and Express before) names it.
  setHeaders: (reply: FastifyReply, file: string) => {
    if (/\.m?js$/.test(file)) reply.header('Content-Type', 'text/javascript; charset=utf-8');
  },
} as const;

/**
 * The IDE at GET /graphql (ahead of the gate and Apollo, so a browser gets the
 * page rather than Apollo's CSRF refusal) and its assets under /graphiql; the
 * dashboard and its assets under /app. Call before the app initialises.
 */
export async function mountBrowserPages(instance: FastifyInstance, options: BrowserPagesOptions): Promise<void> {
  const buildDir = path.resolve(options.buildDir ?? WEB_BUILD_DIR);
  if (options.ide) {
    const ideDir = path.join(buildDir, 'ide');
    const idePage: onRequestHookHandler = (request, reply, done) => {
      if (!wantsPage(request)) return done();
      void sendPage(reply, path.join(ideDir, 'index.html'), 'The GraphQL IDE is not built: run `npm run build`.');
    };
    instance.addHook('onRoute', (route: RouteOptions) => {
      if (route.url === GRAPHQL_PATH) route.onRequest = [route.onRequest ?? []].flat().concat(idePage);
    });
    await instance.register(
      async (ide) => {
        ide.addHook('onRequest', secured);
        ide.setErrorHandler(appErrorHandler(instance));
        // Only files are served here: no fallback page, and nothing but GET and HEAD.
        ide.setNotFoundHandler((request, reply) =>
          request.method === 'GET' || request.method === 'HEAD'
            ? reply.code(404).send({ statusCode: 404, message: 'Not Found' })
            : reply.code(405).header('Allow', 'GET, HEAD').header('Content-Length', '0').send(),
        );
        await ide.register(fastifyStatic, { root: ideDir, prefix: '/', ...ASSET_OPTIONS });
      },
      { prefix: IDE_ASSETS_PATH },
    );
  }
  if (options.dashboard) {
    const dashboardDir = path.join(buildDir, 'app');
    const dashboardPage = (_request: FastifyRequest, reply: FastifyReply) =>
      sendPage(reply, path.join(dashboardDir, 'index.html'), 'The dashboard is not built: run `npm run build`.');
    await instance.register(
      async (dashboard) => {
        dashboard.addHook('onRequest', secured);
        // A path the files cannot answer (a directory, a ".." segment) is not found either.
        dashboard.setErrorHandler((error: { statusCode?: number }, request, reply) => {
          const status = error.statusCode ?? 500;
          if (status >= 400 && status < 500) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
          return appErrorHandler(instance)(error as FastifyError, request, reply);
        });
        dashboard.setNotFoundHandler((request, reply) => {
          if (request.method === 'GET' || request.method === 'HEAD')
            return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
          // Another method: the app's own 404 (Nest's NotFoundException), as for any route that does not exist.
          return reply
            .code(404)
            .send({ message: `Cannot ${request.method} ${request.url}`, error: 'Not Found', statusCode: 404 });
        });
        // /app and /app/ are the page itself; its views are told apart by the fragment, which never reaches the server.
        dashboard.get('/', dashboardPage);
        dashboard.get('/index.html', dashboardPage);
        await dashboard.register(fastifyStatic, { root: dashboardDir, prefix: '/', ...ASSET_OPTIONS });
      },
      { prefix: DASHBOARD_PATH },
    );
  }
}

/**
 * These contexts are made before Nest sets its error handler (when the app
 * initialises): their errors go to the one the app has when they happen.
 */
const appErrorHandler =
  (instance: FastifyInstance) => (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
    instance.errorHandler(error, request, reply);

/** A browser navigating to /graphql: it asks for HTML first, and sends no operation. */
function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' || (request.query as { query?: unknown }).query !== undefined) return false;
  return (
    accepts(request.raw).type(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html'
  );
}

function secureHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', BROWSER_PAGE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer');
}

const secured: onRequestHookHandler = (_request, reply, done) => {
  secureHeaders(reply);
  done();
};

async function sendPage(reply: FastifyReply, file: string, missing: string): Promise<FastifyReply> {
  secureHeaders(reply);
  // The page is small and names hashed assets: always revalidated, so a new build shows at once.
  reply.header('Cache-Control', 'no-cache');
  let html: Buffer;
  try {
    html = await fs.readFile(file);
  } catch {
    return reply.code(404).type('text/plain; charset=utf-8').send(missing);
  }
  return reply.code(200).type('text/html; charset=utf-8').send(html);
}
