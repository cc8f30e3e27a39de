import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { AuthService, type TokenClaims } from '../../../api/src/auth/auth.service';
import { ROLES, type Role } from '../../../api/src/auth/viewer';
import type { AppConfig } from '@trustline/config';
import { loadConfig, UsageError } from '../cli.io';
import { type CliCommand, parseOptions } from '../trustline.cli';

const DEFAULT_EXPIRES_IN = '12h';
// What jsonwebtoken accepts that a person is likely to type: 90, 30m, 12h, 7d.
const DURATION = /^\d+(s|m|h|d|w|y)?$/;

const OPTIONS = {
  role: { type: 'string', multiple: true },
  sub: { type: 'string' },
  'participant-id': { type: 'string' },
  'program-id': { type: 'string', multiple: true },
  'expires-in': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/**
 * Mints a token with the server's own AuthService, configured as the server
 * would be: AUTH_JWT_SECRET, else DATA_DIR/jwt-secret (created on first use,
 * so the server started later accepts the token).
 */
export const tokenCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const roles = rolesOf(options.role);
    const expiresIn = options['expires-in'] ?? DEFAULT_EXPIRES_IN;
    if (!DURATION.test(expiresIn)) throw new UsageError(`--expires-in must look like 90 (seconds), 30m, 12h or 7d, not "${expiresIn}"`);
    const claims: TokenClaims = {
      sub: options.sub ?? `trustline-cli-${roles[0].toLowerCase().replace(/_/g, '-')}`,
      roles,
      ...(options['participant-id'] ? { participantId: options['participant-id'] } : {}),
      ...(options['program-id'] ? { programIds: options['program-id'] } : {}),
    };
    const config = loadConfig(options['data-dir']);
    const auth = new AuthService(new JwtService(), new ConfigService<AppConfig, true>({ ...config }));
    output.out(auth.mint(claims, expiresIn));
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
