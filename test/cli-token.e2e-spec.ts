import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AuthService } from '../apps/api/src/auth/auth.service';
import { validateEnvironment } from '@trustline/config';
import type { CliOutput } from '../apps/cli/src/cli.io';
import { runCli } from '../apps/cli/src/trustline.cli';

function capture(): CliOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

/** The AuthService as the server builds it for this environment. */
async function serverAuth(environment: Record<string, string>): Promise<AuthService> {
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        skipProcessEnv: true,
        validate: () => validateEnvironment(environment),
      }),
    ],
    providers: [AuthService],
  }).compile();
  return module.get(AuthService);
}

describe('trustline token', () => {
  let dataDir: string;
  const savedSecret = process.env.AUTH_JWT_SECRET;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-cli-token-'));
    delete process.env.AUTH_JWT_SECRET;
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (savedSecret === undefined) delete process.env.AUTH_JWT_SECRET;
    else process.env.AUTH_JWT_SECRET = savedSecret;
  });

  describe('on a data directory without a secret yet', () => {
    it('creates the secret and prints a token the server accepts with its claims', async () => {
      const output = capture();
      const code = await runCli(
        [
          'token',
          '--role',
          'MENTOR',
          '--sub',
          'grace',
          '--participant-id',
          'p-1',
          '--program-id',
          'a',
          '--program-id',
          'b',
          '--data-dir',
          dataDir,
        ],
        output,
      );
      expect(code).toBe(0);
      expect(output.stdout).toHaveLength(1);
      expect(fs.existsSync(path.join(dataDir, 'jwt-secret'))).toBe(true);

      const auth = await serverAuth({ DATA_DIR: dataDir });
      expect(await auth.authenticate(`Bearer ${output.stdout[0]}`)).toEqual({
        kind: 'viewer',
        viewer: { subject: 'grace', roles: ['MENTOR'], participantId: 'p-1', programIds: ['a', 'b'] },
        expiresAt: expect.any(Number),
      });
    });
  });

  describe('with AUTH_JWT_SECRET set', () => {
    it('signs with that secret and writes no secret file', async () => {
      process.env.AUTH_JWT_SECRET = 'a-configured-secret-of-at-least-32-characters';
      const output = capture();
      expect(await runCli(['token', '--role', 'auditor', '--expires-in', '5m', '--data-dir', dataDir], output)).toBe(0);
      expect(fs.existsSync(path.join(dataDir, 'jwt-secret'))).toBe(false);

      const configured = await serverAuth({ DATA_DIR: dataDir, AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET });
      expect(await configured.authenticate(`Bearer ${output.stdout[0]}`)).toMatchObject({
        kind: 'viewer',
        viewer: { roles: ['AUDITOR'] },
      });
      const generated = await serverAuth({ DATA_DIR: dataDir });
      expect((await generated.authenticate(`Bearer ${output.stdout[0]}`)).kind).toBe('invalid');
    });
  });

  describe('always sets an expiry', () => {
    it('of 12 hours by default, and as asked up to 30 days', async () => {
      const expiryOf = async (argv: string[]) => {
        const output = capture();
        expect(await runCli(['token', '--role', 'ADMIN', ...argv, '--data-dir', dataDir], output)).toBe(0);
        const payload = JSON.parse(Buffer.from(output.stdout[0].split('.')[1], 'base64url').toString());
        return payload.exp - payload.iat;
      };
      expect(await expiryOf([])).toBe(12 * 3600);
      expect(await expiryOf(['--expires-in', '30d'])).toBe(30 * 86_400);
    });
  });

  describe('given a mistake', () => {
    it.each([
      [['token'], '--role is required'],
      [['token', '--role', 'OWNER'], 'unknown role OWNER'],
      [['token', '--role', 'ADMIN', '--expires-in', 'tomorrow'], '--expires-in'],
      [['token', '--role', 'ADMIN', '--expires-in', '31d'], 'at most 30 days'],
      [['token', '--role', 'ADMIN', '--expires-in', '0'], '--expires-in'],
      [['token', '--role', 'ADMIN', '--colour', 'red'], "Unknown option '--colour'"],
    ])('%j exits 2 naming it, printing no token', async (argv, message) => {
      const output = capture();
      expect(await runCli([...argv, '--data-dir', dataDir], output)).toBe(2);
      expect(output.stdout).toEqual([]);
      expect(output.stderr.join('\n')).toContain(message);
    });
  });
});
