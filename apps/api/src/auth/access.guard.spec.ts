import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Principal } from '@trustline/access';
import type { RequestContext } from './request-context';
import { AccessGuard } from './access.guard';
import { Access, Authorize } from './authorize.decorator';
import type { ScopeFacts } from './scope-facts.service';

// The guard reads each resolver's access rule once, not on every call.

class Resolvers {
  @Authorize(Access.anyone)
  me() {}

  undeclared() {}
}

const viewer: Principal = { subject: 'ada', roles: ['ADMIN'], participantId: null, programIds: [] };
const facts = { caller: async (principal: Principal) => ({ principal, participant: null }) } as unknown as ScopeFacts;

function rootField(handler: () => void) {
  const context: Partial<RequestContext> = { auth: { kind: 'viewer', viewer, expiresAt: Date.now() + 60_000 } };
  const host = new ExecutionContextHost([{}, {}, context, { parentType: { name: 'Query' } }], Resolvers, handler);
  host.setType('graphql');
  return host;
}

describe('the access guard', () => {
  it('reads a handler’s rule once, and applies it on every call', async () => {
    const reflector = new Reflector();
    const reads = jest.spyOn(reflector, 'get');
    const guard = new AccessGuard(reflector, facts);
    for (let i = 0; i < 3; i++) expect(await guard.canActivate(rootField(Resolvers.prototype.me))).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('refuses a root field without a rule every time, reading that once too', async () => {
    const reflector = new Reflector();
    const reads = jest.spyOn(reflector, 'get');
    const guard = new AccessGuard(reflector, facts);
    for (let i = 0; i < 2; i++) {
      await expect(guard.canActivate(rootField(Resolvers.prototype.undeclared))).rejects.toMatchObject({
        extensions: { code: 'FORBIDDEN' },
      });
    }
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
