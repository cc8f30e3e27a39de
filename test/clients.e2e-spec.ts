import { arrangeRelationship, days, iso, mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// Schema 1.1 for clients: Node refetching, full PageInfo both ways, directed trust points.

describe('the schema clients build on', () => {
  let server: TestApp;
  let token: string;

  beforeAll(async () => {
    server = await startTestApp();
    token = server.token();
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const query = async <T>(text: string, variables: Record<string, unknown> = {}) => {
    const response = await server.graphql<T>(text, variables, { token });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!;
  };

  describe('node(id) and nodes(ids)', () => {
    const NODE = `__typename id
      ... on Program { name }
      ... on Participant { displayName role }
      ... on Relationship { status mentor { id } }`;

    it('finds a program, a participant and a relationship by id alone, each as its own type', async () => {
      const arranged = await arrangeRelationship(server, token);
      const found = await query<{ nodes: { __typename: string; id: string }[] }>(
        `query ($ids: [ID!]!) { nodes(ids: $ids) { ${NODE} } }`,
        { ids: [arranged.programId, arranged.mentorId, arranged.relationshipId] },
      );
      expect(found.nodes).toEqual([
        { __typename: 'Program', id: arranged.programId, name: 'Spring cohort' },
        { __typename: 'Participant', id: arranged.mentorId, displayName: 'Grace Hopper', role: 'MENTOR' },
        {
          __typename: 'Relationship',
          id: arranged.relationshipId,
          status: 'ACTIVE',
          mentor: { id: arranged.mentorId },
        },
      ]);
    });

    it('answers node(id) as the type root field does', async () => {
      const { menteeId } = await arrangeRelationship(server, token);
      const answer = await query<{ node: unknown; participant: unknown }>(
        `query ($id: ID!) { node(id: $id) { ... on Participant { id displayName role } } participant(id: $id) { id displayName role } }`,
        { id: menteeId },
      );
      expect(answer.node).toEqual(answer.participant);
    });

    it('gives null for an unknown id, in place, without an error', async () => {
      const { programId } = await arrangeRelationship(server, token);
      const unknown = '00000000-0000-4000-8000-000000000000';
      const response = await server.graphql<{ node: unknown; nodes: unknown[] }>(
        `query ($a: ID!, $b: ID!) { node(id: $a) { id } nodes(ids: [$a, $b]) { id } }`,
        { a: unknown, b: programId },
        { token },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ node: null, nodes: [null, { id: programId }] });
    });

    it('refuses each element as its own root field would, at its path, and answers the others', async () => {
      const mine = await arrangeRelationship(server, token);
      const other = await arrangeRelationship(server, token);
      const manager = server.token({ sub: 'nodes-manager', roles: ['PROGRAM_MANAGER'], programIds: [mine.programId] });
      const ids = [
        mine.relationshipId,
        other.relationshipId,
        mine.programId,
        other.programId,
        mine.mentorId,
        other.menteeId,
      ];
      const response = await server.graphql<{ nodes: ({ id: string } | null)[] }>(
        `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
        { ids },
        { token: manager },
      );
      expect(response.data?.nodes).toEqual([{ id: ids[0] }, null, { id: ids[2] }, null, { id: ids[4] }, null]);
      const refused = (response.errors ?? []).map((error) => ({ path: error.path, code: error.extensions?.code }));
      expect(refused).toEqual(
        expect.arrayContaining([1, 3, 5].map((index) => ({ path: ['nodes', index], code: 'FORBIDDEN' }))),
      );
      expect(refused).toHaveLength(3);

      // The root fields answer the same to the same caller.
      for (const [field, id] of [
        ['relationship', other.relationshipId],
        ['program', other.programId],
        ['participant', other.menteeId],
      ]) {
        const direct = await server.graphql(
          `query ($id: ID!) { ${field}(id: $id) { id } node: node(id: $id) { id } }`,
          { id },
          { token: manager },
        );
        expect(direct.data).toEqual({ [field]: null, node: null });
        expect(direct.errors?.map((error) => [error.path?.[0], error.extensions?.code]).sort()).toEqual(
          [
            ['node', 'FORBIDDEN'],
            [field, 'FORBIDDEN'],
          ].sort(),
        );
      }
    });

    it('refuses an unknown id to a scoped caller, so a refusal never tells what exists', async () => {
      const { programId } = await arrangeRelationship(server, token);
      const manager = server.token({ sub: 'nodes-manager-2', roles: ['PROGRAM_MANAGER'], programIds: [programId] });
      const unknown = '00000000-0000-4000-8000-00000000abcd';
      const asManager = await server.graphql(
        `query ($id: ID!) { node(id: $id) { id } program(id: $id) { id } }`,
        { id: unknown },
        { token: manager },
      );
      expect(asManager.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    });

    it('refuses more ids than one page holds', async () => {
      const ids = Array.from({ length: 201 }, () => '00000000-0000-4000-8000-000000000000');
      const response = await server.graphql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids }, { token });
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('PageInfo', () => {
    interface Connection {
      edges: { cursor: string; node: { id: string } }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
    }
    const PAGE = 'edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
    const ids = (connection: Connection) => connection.edges.map((edge) => edge.node.id);

    it('pages a program\u2019s relationships forwards and backwards to the same list', async () => {
      const arranged = await arrangeRelationship(server, token);
      for (let i = 0; i < 3; i++) {
        await mutate(
          server,
          token,
          'startRelationship',
          { programId: arranged.programId, mentorId: arranged.mentorId, menteeId: arranged.menteeId },
          'relationship { id }',
        );
      }
      const list = (args: string) =>
        query<{ program: { relationships: Connection } }>(
          `query ($id: ID!) { program(id: $id) { relationships(${args}) { ${PAGE} } } }`,
          { id: arranged.programId },
        ).then((data) => data.program.relationships);
      const all = await list('first: 10');
      expect(all.edges).toHaveLength(4);
      expect(all.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: all.edges[0].cursor,
        endCursor: all.edges[3].cursor,
      });

      const lastTwo = await list('last: 2');
      expect(ids(lastTwo)).toEqual(ids(all).slice(2));
      expect(lastTwo.pageInfo).toMatchObject({
        hasPreviousPage: true,
        hasNextPage: false,
        startCursor: all.edges[2].cursor,
      });

      const before = await list(`last: 2, before: "${lastTwo.pageInfo.startCursor}"`);
      expect(ids(before)).toEqual(ids(all).slice(0, 2));
      expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

      const after = await list(`first: 1, after: "${all.edges[0].cursor}"`);
      expect(ids(after)).toEqual(ids(all).slice(1, 2));
      expect(after.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    });

    it('pages the programs backwards', async () => {
      await arrangeRelationship(server, token);
      const all = (await query<{ programs: Connection }>(`{ programs(first: 200) { ${PAGE} } }`)).programs;
      const last = (await query<{ programs: Connection }>(`{ programs(last: 1) { ${PAGE} } }`)).programs;
      expect(ids(last)).toEqual(ids(all).slice(-1));
      expect(last.pageInfo.hasPreviousPage).toBe(all.edges.length > 1);
    });

    it('pages a relationship\u2019s history backwards from its newest event', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      for (const description of ['one', 'two']) {
        await mutate(
          server,
          token,
          'makePromise',
          { relationshipId, promisor: 'MENTOR', description, dueAt: iso(Date.now() + days(3)) },
          'promise { id }',
        );
      }
      const history = (args: string) =>
        query<{
          relationshipHistory: {
            edges: { cursor: string; node: { streamRevision: number } }[];
            pageInfo: Connection['pageInfo'];
          };
        }>(
          `query ($id: ID!) { relationshipHistory(relationshipId: $id, ${args}) {
             edges { cursor node { streamRevision } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
          { id: relationshipId },
        ).then((data) => data.relationshipHistory);
      const revisions = (page: Awaited<ReturnType<typeof history>>) =>
        page.edges.map((edge) => edge.node.streamRevision);

      const newest = await history('last: 2');
      expect(revisions(newest)).toEqual([1, 2]);
      expect(newest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const older = await history(`last: 2, before: "${newest.pageInfo.startCursor}"`);
      expect(revisions(older)).toEqual([0]);
      expect(older.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
      const forward = await history(`first: 1, after: "${older.pageInfo.endCursor}"`);
      expect(revisions(forward)).toEqual([1]);
      expect(forward.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    });

    it('refuses a negative last and a cursor it never gave out', async () => {
      const negative = await server.graphql('{ programs(last: -1) { totalCount } }', {}, { token });
      expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const bogus = await server.graphql('{ programs(last: 1, before: "bogus") { totalCount } }', {}, { token });
      expect(bogus.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it('tells the two points of one event apart by direction', async () => {
    const start = Date.now() - days(20);
    const { relationshipId } = await arrangeRelationship(server, token, { startedAt: iso(start) });
    const { meeting } = await mutate<{ meeting: { id: string } }>(
      server,
      token,
      'scheduleMeeting',
      { relationshipId, startsAt: iso(start + days(2)), scheduledBy: 'MENTOR', occurredAt: iso(start + days(1)) },
      'meeting { id }',
    );
    await mutate(
      server,
      token,
      'recordMeetingHeld',
      { relationshipId, meetingId: meeting.id, occurredAt: iso(start + days(2)) },
      'position',
    );
    const data = await query<{ relationship: Record<string, { direction: string; cause: { type: string } | null }[]> }>(
      `query ($id: ID!) { relationship(id: $id) {
         mentee: trustTrajectory(direction: MENTEE_IN_MENTOR) { direction cause { type } }
         mentor: trustTrajectory(direction: MENTOR_IN_MENTEE) { direction cause { type } } } }`,
      { id: relationshipId },
    );
    expect(new Set(data.relationship.mentee.map((p) => p.direction))).toEqual(new Set(['MENTEE_IN_MENTOR']));
    expect(new Set(data.relationship.mentor.map((p) => p.direction))).toEqual(new Set(['MENTOR_IN_MENTEE']));
    expect(data.relationship.mentee.some((p) => p.cause?.type === 'MeetingHeld')).toBe(true);
    expect(data.relationship.mentor.some((p) => p.cause?.type === 'MeetingHeld')).toBe(true);
  });

  it('names the DateTime specification in the schema', async () => {
    const data = await query<{ __type: { specifiedByURL: string } }>('{ __type(name: "DateTime") { specifiedByURL } }');
    expect(data.__type.specifiedByURL).toBe('https://scalars.graphql.org/andimarek/date-time');
  });
});
