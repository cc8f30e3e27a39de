import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@trustline/config';
import { type Authentication, ROLES, type Role, type Viewer } from './viewer';

const SECRET_FILE = 'jwt-secret';
const SECRET_BYTES = 48;
const DEFAULT_TOKEN_TTL = '12h';

/**
 * The embedded default keeps its HS256 secret in DATA_DIR (created on first
 * start, readable by the owner only); AUTH_JWT_SECRET overrides it.
 */
export function resolveJwtSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, SECRET_FILE);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
}

export interface TokenClaims {
  sub: string;
  roles: Role[];
  participantId?: string;
  programIds?: string[];
}

@Injectable()
export class AuthService {
  private readonly secret: string;
  /**
   * The secret as a key object, for verifying. Given a string, jsonwebtoken
   * first tries to parse it as a public key on every call, which fails and
   * cost more than the rest of a small query.
   */
  private readonly verificationKey: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.secret = resolveJwtSecret(config.get('DATA_DIR', { infer: true }), config.get('AUTH_JWT_SECRET', { infer: true }));
    this.verificationKey = createSecretKey(Buffer.from(this.secret));
  }

  mint(claims: TokenClaims, expiresIn: string = DEFAULT_TOKEN_TTL): string {
    return this.jwt.sign({ ...claims }, { secret: this.secret, algorithm: 'HS256', expiresIn: expiresIn as never });
  }

  /** Reads `Authorization: Bearer <JWT>` (or the graphql-ws connection param of the same shape). */
  authenticate(authorization: string | undefined): Authentication {
    if (!authorization) return { kind: 'anonymous' };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return { kind: 'invalid', reason: 'The Authorization header must be "Bearer <token>"' };
    try {
      // @nestjs/jwt types `secret` as string | Buffer but hands it to jsonwebtoken as is, which takes a KeyObject.
      const secret = this.verificationKey as unknown as Buffer;
      const claims = this.jwt.verify<Record<string, unknown>>(match[1], { secret, algorithms: ['HS256'] });
      return { kind: 'viewer', viewer: toViewer(claims) };
    } catch {
      return { kind: 'invalid', reason: 'The token is invalid or expired' };
    }
  }
}

function toViewer(claims: Record<string, unknown>): Viewer {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new Error('no subject');
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
  const programIds = Array.isArray(claims.programIds)
    ? claims.programIds.filter((id): id is string => typeof id === 'string')
    : [];
  return {
    subject: claims.sub,
    roles,
    participantId: typeof claims.participantId === 'string' ? claims.participantId : null,
    programIds,
  };
}
