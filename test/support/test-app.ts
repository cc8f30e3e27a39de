import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '@trustline/command-handling';
import { createApp } from '../../apps/api/src/app.factory';
import { AuthService, type TokenClaims } from '../../apps/api/src/auth/auth.service';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  dataDir: string;
  /** A token this server accepts: ADMIN unless the claims say otherwise; `lifetime` in seconds or "12h". */
  token(claims?: Partial<TokenClaims>, lifetime?: string | number): string;
  /**
   * POSTs an operation. It carries an ADMIN token unless `token` says
   * otherwise: another token, or null for an anonymous request.
   */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** The real server on a loopback port and a fresh DATA_DIR (kept when `dataDir` is given, for restarts). */
export async function startTestApp(
  /** `clock`: the server's one clock (a FixedClock pins every request's `now`). */
  options: { dataDir?: string; env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-e2e-'));
  const app = await createApp(
    { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...options.env },
    { clock: options.clock },
  );
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const auth = app.get(AuthService);
  const token = (claims: Partial<TokenClaims> = {}, lifetime?: string | number) =>
    auth.mint({ sub: 'e2e-admin', roles: ['ADMIN'], ...claims }, lifetime);
  const admin = token();
  return {
    app,
    url,
    dataDir,
    token,
    async graphql(query, variables, options = {}) {
      const { headers } = options;
      const bearer = options.token === undefined ? admin : options.token;
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    close: () => app.close(),
  };
}

export const removeDir = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });
