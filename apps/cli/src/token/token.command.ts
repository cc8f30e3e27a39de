import {
  lifetimeSeconds,
  mintToken,
  resolveJwtSecret,
  ROLES,
  type Role,
  TOKEN_TUNING,
  type TokenClaims,
  TokenLifetimeError,
} from '@trustline/access';
import { loadConfig, UsageError } from '../cli.io';
import { type CliCommand, parseOptions } from '../trustline.cli';

const OPTIONS = {
  role: { type: 'string', multiple: true },
  sub: { type: 'string' },
  'participant-id': { type: 'string' },
  'program-id': { type: 'string', multiple: true },
  'expires-in': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/**
 * Mints a token as the server would accept it: signed with AUTH_JWT_SECRET,
 * else DATA_DIR/jwt-secret (created on first use, so the server started
 * later accepts the token), with AUTH_ISSUER/AUTH_AUDIENCE when set, and
 * always an `exp` (at most 30 days ahead).
 */
export const tokenCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const roles = rolesOf(options.role);
    const expiresIn = options['expires-in'] ?? TOKEN_TUNING.defaultLifetime;
    let seconds: number;
    try {
      seconds = lifetimeSeconds(expiresIn);
    } catch (error) {
      if (error instanceof TokenLifetimeError) throw new UsageError(`--expires-in: ${error.message}`);
      throw error;
    }
    const claims: TokenClaims = {
      sub: options.sub ?? `trustline-cli-${roles[0].toLowerCase().replace(/_/g, '-')}`,
      roles,
      ...(options['participant-id'] ? { participantId: options['participant-id'] } : {}),
      ...(options['program-id'] ? { programIds: options['program-id'] } : {}),
    };
    const config = loadConfig(options['data-dir']);
    const key = {
      secret: resolveJwtSecret(config.DATA_DIR, config.AUTH_JWT_SECRET),
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
    };
    output.out(mintToken(key, claims, seconds));
    output.err(`A token for ${claims.sub} (${roles.join(', ')}), valid for ${expiresIn}.`);
    if (roles.some((role) => role === 'MENTOR' || role === 'MENTEE') && !claims.participantId) {
      output.err('Note: without --participant-id a mentor or mentee sees no relationship.');
    }
    if (roles.includes('PROGRAM_MANAGER') && !claims.programIds) {
      output.err('Note: without --program-id a program manager sees no program.');
    }
    return 0;
  },
};

function rolesOf(given: string[] | undefined): Role[] {
  if (!given || given.length === 0) throw new UsageError(`--role is required (${ROLES.join(', ')})`);
  const roles = given.flatMap((value) => value.split(',')).map((value) => value.trim().toUpperCase());
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (unknown.length > 0) throw new UsageError(`unknown role ${unknown.join(', ')}; one of ${ROLES.join(', ')}`);
  return [...new Set(roles as Role[])];
}
