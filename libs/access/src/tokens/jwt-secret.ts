import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOKEN_TUNING } from './token.tuning';

const SECRET_FILE = 'jwt-secret';

/**
 * The embedded default keeps its HS256 secret in DATA_DIR (created on first
 * start, readable by the owner only); AUTH_JWT_SECRET overrides it. The CLI
 * resolves it the same way, so the tokens it mints verify on the server.
 */
export function resolveJwtSecret(dataDir: string, configured?: string | null): string {
  if (configured) return configured;
  const file = path.join(dataDir, SECRET_FILE);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(TOKEN_TUNING.generatedSecretBytes).toString('base64url');
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
}
