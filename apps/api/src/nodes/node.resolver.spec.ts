import { apiError } from '../graphql/api-errors';
import type { RequestContext } from '../graphql/request-context';
import type { ParticipantResolver } from '../participants/participant.resolver';
import type { ProgramResolver } from '../programs/program.resolver';
import type { RelationshipResolver } from '../relationships/relationship.resolver';
import { MAX_NODE_IDS, NodeResolver } from './node.resolver';

// The root lookups node/nodes go through, as plain functions of an id: each type knows its own ids.
function resolverWith(known: Record<'program' | 'participant' | 'relationship', Record<string, unknown>>) {
  const lookup = (table: Record<string, unknown>) => async (id: string) => {
    const found = table[id];
    if (found instanceof Error) throw found;
    return (found ?? null) as never;
  };
  return new NodeResolver(
    { program: lookup(known.program) } as unknown as ProgramResolver,
    { participant: lookup(known.participant) } as unknown as ParticipantResolver,
    { relationship: lookup(known.relationship) } as unknown as RelationshipResolver,
  );
}

const context = {} as RequestContext;

describe('node lookups', () => {
  const program = { id: 'p' };
  const participant = { id: 'a' };
  const relationship = { id: 'r' };
  const refused = apiError('FORBIDDEN', 'Not yours');
  const resolver = resolverWith({
    program: { p: program, hidden: refused },
    participant: { a: participant },
    relationship: { r: relationship },
  });

  it('finds each id through the lookup of its own type', async () => {
    expect(await resolver.nodes(['p', 'a', 'r', 'none'], context)).toEqual([program, participant, relationship, null]);
  });

  it('keeps a refusal to its own element, so the others still answer', async () => {
    const answers = await resolver.nodes(['p', 'hidden', 'a'], context);
    expect(answers[0]).toBe(program);
    expect(answers[1]).toBe(refused);
    expect(answers[2]).toBe(participant);
  });

  it('lets node(id) refuse as the type lookup refuses', async () => {
    await expect(resolver.node('hidden', context)).rejects.toBe(refused);
  });

  it(`refuses more than ${MAX_NODE_IDS} ids`, () => {
    expect(() => resolver.nodes(Array.from({ length: MAX_NODE_IDS + 1 }, () => 'p'), context)).toThrow(/at most/);
  });
});
