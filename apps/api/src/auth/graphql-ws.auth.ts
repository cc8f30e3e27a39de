import type { Authentication } from '@trustline/access';
import { GraphQLError } from 'graphql';
import { subscriptionDocumentFaults } from '../graphql/subscription-limits';
import type { AuthService } from './auth.service';
import type { OperationRateLimit } from './operation-rate-limit';

/** What a graphql-ws connection keeps about its caller, from its connection_init. */
export interface WsConnectionExtra {
  socket?: { close(code?: number, reason?: string): void; once(event: 'close', listener: () => void): unknown };
  request?: { socket?: { remoteAddress?: string } };
  authentication?: Authentication;
}

/** Close codes of the graphql-ws protocol's family: no valid token; a token that expired while connected. */
export const WS_CLOSE = { unauthenticated: 4403, expired: 4401 } as const;
// setTimeout holds at most 2^31-1 ms (about 24.8 days); tokens may live 30.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Closes the socket at the token's `exp`: no point is delivered on it afterwards. */
function closeAtExpiry(extra: WsConnectionExtra, expiresAt: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = expiresAt - Date.now();
    if (remaining <= 0) return extra.socket?.close(WS_CLOSE.expired, 'Token expired');
    timer = setTimeout(arm, Math.min(remaining, LONGEST_TIMER_MS));
    timer.unref();
  };
  arm();
  extra.socket?.once('close', () => clearTimeout(timer));
}

/**
 * graphql-ws options: a connection without a valid token is refused (4403)
 * before any subscription; each subscribe message counts once against the
 * caller's rate limit.
 */
export function graphqlWsAuth(auth: AuthService, rateLimit: OperationRateLimit) {
  return {
    onConnect: async (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: unknown }) => {
      const extra = ctx.extra as WsConnectionExtra;
      // The contract names it `authorization`; `Authorization` (as the HTTP header is often spelt) is read too.
      const params = ctx.connectionParams ?? {};
      const authentication = await auth.authenticate(params.authorization ?? params.Authorization);
      if (authentication.kind !== 'viewer' || authentication.expiresAt <= Date.now()) return false;
      extra.authentication = authentication;
      closeAtExpiry(extra, authentication.expiresAt);
      return true;
    },
    onSubscribe: async (ctx: { extra: unknown }, _id?: string, payload?: { query?: unknown }) => {
      const faults = subscriptionDocumentFaults(payload?.query);
      if (faults.length > 0) return faults;
      const extra = ctx.extra as WsConnectionExtra;
      const verdict = await rateLimit.count(
        extra.authentication ?? { kind: 'anonymous' },
        extra.request?.socket?.remoteAddress,
      );
      if (!verdict.limited) return undefined;
      return [
        new GraphQLError(`Too many requests: retry in ${verdict.retryAfterSeconds} s`, {
          extensions: { code: 'RATE_LIMITED', retryAfter: verdict.retryAfterSeconds },
        }),
      ];
    },
  };
}
