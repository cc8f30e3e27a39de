import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@trustline/config';
import { AuthService } from './auth.service';

const SECRET = 's'.repeat(40);

const authWith = (secret: string) => {
  const settings: Partial<AppConfig> = { DATA_DIR: '/nonexistent', AUTH_JWT_SECRET: secret };
  const config = { get: (name: keyof AppConfig) => settings[name] } as unknown as ConfigService<AppConfig, true>;
  return new AuthService(new JwtService({}), config);
};

describe('a bearer token', () => {
  const auth = authWith(SECRET);

  it('signed with the server secret names its viewer', () => {
    const token = auth.mint({ sub: 'ada', roles: ['PROGRAM_MANAGER'], programIds: ['p1'] });
    expect(auth.authenticate(`Bearer ${token}`)).toEqual({
      kind: 'viewer',
      viewer: { subject: 'ada', roles: ['PROGRAM_MANAGER'], participantId: null, programIds: ['p1'] },
    });
  });

  it('signed with another secret is invalid', () => {
    const token = authWith('o'.repeat(40)).mint({ sub: 'mallory', roles: ['ADMIN'] });
    expect(auth.authenticate(`Bearer ${token}`)).toMatchObject({ kind: 'invalid' });
  });

  it('past its expiry is invalid', () => {
    const token = auth.mint({ sub: 'ada', roles: ['ADMIN'] }, '-1s');
    expect(auth.authenticate(`Bearer ${token}`)).toMatchObject({ kind: 'invalid' });
  });

  it('unsigned (alg none) is invalid', () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'eve', roles: ['ADMIN'] })}.`;
    expect(auth.authenticate(`Bearer ${unsigned}`)).toMatchObject({ kind: 'invalid' });
  });
});
