import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { apiError } from '../graphql/api-errors';
import type { RequestContext } from './request-context';
import { callerOf, enforce } from './access-context';
import { ACCESS_RULE, type AccessRule } from './authorize.decorator';
import { ScopeFacts } from './scope-facts.service';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Every root field asks the access policy before its resolver runs (a
 * mutation before its command: a refused one appends nothing). A root field
 * that declares no rule is refused: new entry points are closed until
 * someone decides who may use them.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  // A handler's metadata is fixed once the app is built: read once per resolver method, not per call.
  private readonly rules = new WeakMap<object, AccessRule | null>();

  constructor(
    private readonly reflector: Reflector,
    private readonly facts: ScopeFacts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    if (!ROOT_TYPES.has(gql.getInfo<GraphQLResolveInfo>().parentType.name)) return true;
    const request = gql.getContext<RequestContext>();
    const caller = await callerOf(request, this.facts);
    const rule = this.ruleOf(context.getHandler());
    if (!rule) throw apiError('FORBIDDEN', 'This field has no access rule');
    enforce(await rule.decide(caller, gql.getArgs(), this.facts), rule.unknown, rule.what);
    return true;
  }

  private ruleOf(handler: object): AccessRule | null {
    let rule = this.rules.get(handler);
    if (rule === undefined) {
      rule = this.reflector.get<AccessRule | undefined>(ACCESS_RULE, handler as () => unknown) ?? null;
      this.rules.set(handler, rule);
    }
    return rule;
  }
}
