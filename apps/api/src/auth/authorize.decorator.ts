import { SetMetadata } from '@nestjs/common';
import {
  type AccessDecision,
  type Caller,
  canPerform,
  canReadRelationshipHistory,
  canSubscribeToProgram,
  canSubscribeToRelationship,
  canVerifyRelationshipHistory,
  type EndedBy,
  type MutationName,
  type WriteTarget,
} from '@trustline/access';
import { canReadEntity } from './access-context';
import type { ScopeFacts } from './scope-facts.service';

type Args = Record<string, unknown>;

/** How one root field asks the access policy, before its resolver runs. */
export interface AccessRule {
  decide(caller: Caller, args: Args, facts: ScopeFacts): Promise<AccessDecision> | AccessDecision;
  /** An unknown id on a non-null field answers NOT_FOUND; on a nullable one the resolver answers null. */
  unknown: 'pass' | 'not-found';
  what: string;
}

export const ACCESS_RULE = Symbol('trustline.access-rule');

/**
 * Declares the access rule of a root field (Query, Mutation, Subscription).
 * The global AccessGuard refuses every root field without one.
 */
export const Authorize = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);

const idOf = (args: Args, path: string): string => {
  const value = path.split('.').reduce<unknown>((at, key) => (at as Args | undefined)?.[key], args);
  return typeof value === 'string' ? value : '';
};
const ALLOW: AccessDecision = { outcome: 'allow' };
const rule = (decide: AccessRule['decide'], unknown: AccessRule['unknown'] = 'pass', what = 'It'): AccessRule => ({
  decide,
  unknown,
  what,
});

/** The rules of authorization.md, one per kind of root field. */
export const Access = {
  /** Any authenticated caller (`me`). */
  anyone: rule(() => ALLOW),
  /**
   * The resolver asks the policy itself, per element: entity lists filtered to
   * the caller's scope (`programs`), `node`/`nodes` (each element by its type's rule).
   */
  perElement: rule(() => ALLOW),
  program: (arg: string) => rule((caller, args, facts) => canReadEntity(caller, facts, 'program', idOf(args, arg))),
  participant: (arg: string) =>
    rule((caller, args, facts) => canReadEntity(caller, facts, 'participant', idOf(args, arg))),
  relationship: (arg: string) =>
    rule((caller, args, facts) => canReadEntity(caller, facts, 'relationship', idOf(args, arg))),
  relationshipHistory: (arg: string) =>
    rule(
      async (caller, args, facts) => canReadRelationshipHistory(caller, await facts.relationship(idOf(args, arg))),
      'not-found',
      'The relationship',
    ),
  verifyRelationshipHistory: (arg: string) =>
    rule(
      async (caller, args, facts) => canVerifyRelationshipHistory(caller, await facts.relationship(idOf(args, arg))),
      'not-found',
      'The relationship',
    ),
  relationshipSubscription: (arg: string) =>
    rule(async (caller, args, facts) => canSubscribeToRelationship(caller, await facts.relationship(idOf(args, arg)))),
  programSubscription: (arg: string) =>
    rule(async (caller, args, facts) =>
      canSubscribeToProgram(caller, idOf(args, arg), await facts.program(idOf(args, arg))),
    ),
  /**
   * A mutation, its target resolved from stored facts: `relationship` names the
   * input's relationship id, `program` the input's program id, `participants`
   * the participant ids that must belong to that program, `party` the input
   * field naming the party the caller acts as.
   */
  mutation: (
    mutation: MutationName,
    target: { program?: string; relationship?: string; participants?: string[]; party?: string } = {},
  ) =>
    rule(async (caller, args, facts) => {
      let resolved: WriteTarget = { kind: 'none' };
      if (target.relationship) {
        resolved = {
          kind: 'relationship',
          relationship: await facts.relationship(idOf(args, `input.${target.relationship}`)),
        };
      } else if (target.program) {
        const participants = await Promise.all(
          (target.participants ?? []).map((field) => facts.participant(idOf(args, `input.${field}`))),
        );
        resolved = { kind: 'program', programId: idOf(args, `input.${target.program}`), participants };
      }
      const party = target.party ? (idOf(args, `input.${target.party}`) as EndedBy) : null;
      return canPerform(caller, mutation, resolved, party);
    }),
};
