import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Authentication } from '@trustline/access';
import type { NextFunction, Request, Response } from 'express';
import { AuthService } from './auth.service';
import { OperationRateLimit } from './operation-rate-limit';

const AUTHENTICATION = Symbol('trustline.authentication');
type GatedRequest = Request & { [AUTHENTICATION]?: Authentication };

/** What the gate found on this request (the GraphQL context reads it rather than verifying twice). */
export const authenticationOf = (req: Request): Authentication =>
  (req as GatedRequest)[AUTHENTICATION] ?? { kind: 'anonymous' };

const refuse = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ errors: [{ message, extensions: { code } }] });

/**
 * In front of every GraphQL request over HTTP (and any other data route of
 * GATED_ROUTES), before parsing or validation:
 * counts the operation against its caller's budget, then lets through only a
 * caller with a valid token. Nothing of the schema (no data, no introspection,
 * no "Did you mean" suggestions) reaches anyone else.
 */
@Injectable()
export class ApiGateMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    private readonly rateLimit: OperationRateLimit,
  ) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    // A CORS preflight carries no credentials and gets no data.
    if (req.method === 'OPTIONS') return next();
    try {
      const authentication = await this.auth.authenticate(req.headers.authorization);
      const verdict = await this.rateLimit.count(authentication, req.ip);
      if (verdict.limited) {
        res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
        refuse(res, 429, 'RATE_LIMITED', `Too many requests: retry in ${verdict.retryAfterSeconds} s`);
        return;
      }
      if (authentication.kind !== 'viewer') {
        res.setHeader('WWW-Authenticate', 'Bearer');
        refuse(
          res,
          401,
          'UNAUTHENTICATED',
          authentication.kind === 'invalid' ? authentication.reason : 'Sign in: send Authorization: Bearer <token>',
        );
        return;
      }
      (req as GatedRequest)[AUTHENTICATION] = authentication;
      next();
    } catch (error) {
      next(error);
    }
  }
}
