import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Authentication } from '@trustline/access';
import type { AppConfig } from '@trustline/config';

export const RATE_LIMIT_WINDOW_MS = 60_000;
const THROTTLER_NAME = 'operations';

export type RateVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * Counts GraphQL operations per caller: its token's subject, else its client
 * address (which honours TRUST_PROXY). Each operation is counted once,
 * however many root fields it has: the HTTP gate counts a request, the
 * graphql-ws server a subscribe message.
 */
@Injectable()
export class OperationRateLimit {
  private readonly limit: number;

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limit = config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
  }

  async count(auth: Authentication, clientAddress: string | undefined): Promise<RateVerdict> {
    if (this.limit === 0) return { limited: false };
    const key = auth.kind === 'viewer' ? `subject:${auth.viewer.subject}` : `address:${clientAddress ?? 'unknown'}`;
    const record = await this.storage.increment(
      key,
      RATE_LIMIT_WINDOW_MS,
      this.limit,
      RATE_LIMIT_WINDOW_MS,
      THROTTLER_NAME,
    );
    if (!record.isBlocked) return { limited: false };
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(record.timeToBlockExpire)) };
  }
}
