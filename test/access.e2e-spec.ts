import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
import {
  arrangeWorld,
  countEvents,
  type Identity,
  identities,
  invalidIdentities,
  type World,
} from './support/access.fixtures';
import { mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// authorization.md §1–3 over HTTP against the real server: every identity ×
// every query root and every mutation.

jest.setTimeout(180_000);

describe('access over HTTP', () => {
  let server: TestApp;
  let world: World;
  let tokens: ReturnType<typeof identities>;

  beforeAll(async () => {
    server = await startTestApp();
    world = await arrangeWorld(server);
    tokens = identities(server, world);
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const now = () => new Date().toISOString();
  const queryRoots = (
    w: World,
    relationshipId = w.relationshipId,
    programId = w.programId,
    participantId = w.menteeId,
  ) =>
    ({
      me: ['{ me { subject } }', {}],
      programs: ['{ programs { totalCount edges { node { id } } } }', {}],
      program: ['query ($id: ID!) { program(id: $id) { id name } }', { id: programId }],
      participant: ['query ($id: ID!) { participant(id: $id) { id displayName } }', { id: participantId }],
      relationship: ['query ($id: ID!) { relationship(id: $id) { id status } }', { id: relationshipId }],
      relationshipHistory: [
        'query ($id: ID!) { relationshipHistory(relationshipId: $id) { totalCount } }',
        { id: relationshipId },
      ],
      relationshipAsOf: [
        'query ($id: ID!, $at: DateTime!) { relationshipAsOf(relationshipId: $id, at: $at) { relationshipId } }',
        { id: relationshipId, at: now() },
      ],
      verifyRelationshipHistory: [
        'query ($id: ID!) { verifyRelationshipHistory(relationshipId: $id) { ok } }',
        { id: relationshipId },
      ],
    }) as Record<string, [string, Record<string, unknown>]>;

  const mutationInputs = (w: World): Record<string, Record<string, unknown>> => {
    const soon = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const onR = { relationshipId: w.relationshipId };
    return {
      launchProgram: { name: 'Sneaky program' },
      recordProgramCommunication: { programId: w.programId, channel: 'email', summary: 'newsletter' },
      registerParticipant: { programId: w.programId, role: 'MENTEE', displayName: 'Someone new' },
      startRelationship: { programId: w.programId, mentorId: w.mentorId, menteeId: w.otherMenteeId },
      assessMentorMotives: { ...onR, primaryMotive: 'DEVELOP_MENTEE', menteeDevelopmentFirst: true },
      makePromise: { ...onR, promisor: 'MENTOR', description: 'another promise', dueAt: soon },
      renegotiatePromise: { ...onR, promiseId: w.promiseId, newDueAt: soon },
      keepPromise: { ...onR, promiseId: w.promiseId },
      breakPromise: { ...onR, promiseId: w.promiseId },
      scheduleMeeting: { ...onR, startsAt: soon, scheduledBy: 'MENTOR' },
      rescheduleMeeting: { ...onR, meetingId: w.meetingId, newStartsAt: soon, by: 'MENTOR' },
      cancelMeeting: { ...onR, meetingId: w.meetingId, by: 'MENTOR' },
      recordMeetingHeld: { ...onR, meetingId: w.meetingId },
      recordMeetingMissed: { ...onR, meetingId: w.meetingId, absent: ['MENTEE'] },
      submitTrustCheckIn: { ...onR, respondent: 'MENTOR', ability: 4, benevolence: 4, integrity: 4 },
      pauseRelationship: onR,
      resumeRelationship: onR,
      endRelationship: { ...onR, endedBy: 'PROGRAM', reason: 'COMPLETED', planned: true },
    };
  };
  const mutationText = (name: string) =>
    `mutation ($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { position } }`;

  describe('a caller without a valid token', () => {
    it('gets UNAUTHENTICATED, HTTP 401 and no data from every query root, introspection and __typename', async () => {
      const roots = {
        ...queryRoots(world),
        typename: ['{ __typename }', {}],
        introspection: ['{ __schema { types { name } } }', {}],
      };
      for (const [identity, token] of invalidIdentities(server)) {
        for (const [root, [query, variables]] of Object.entries(roots) as [
          string,
          [string, Record<string, unknown>],
        ][]) {
          const response = await server.graphql(query, variables, { token });
          expect([
            identity,
            root,
            response.status,
            response.data ?? null,
            response.errors?.[0].extensions?.code,
          ]).toEqual([identity, root, 401, null, 'UNAUTHENTICATED']);
        }
      }
    });

    it('gets UNAUTHENTICATED from every mutation, and nothing is appended', async () => {
      const before = await countEvents(server);
      for (const [identity, token] of invalidIdentities(server)) {
        for (const [name, input] of Object.entries(mutationInputs(world))) {
          const response = await server.graphql(mutationText(name), { input }, { token });
          expect([identity, name, response.data ?? null, response.errors?.[0].extensions?.code]).toEqual([
            identity,
            name,
            null,
            'UNAUTHENTICATED',
          ]);
        }
      }
      expect(await countEvents(server)).toBe(before);
    });

    it('gets no "Did you mean" suggestion for a misspelt field', async () => {
      const response = await server.graphql('{ relationshp(id: "x") { id } }', {}, { token: null });
      expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(response)).not.toMatch(/did you mean|relationship/i);
    });
  });

  describe('a signed-in caller, by role and scope', () => {
    const STAFF_OF_P: Identity[] = ['admin', 'auditorOfAll', 'auditorOfP', 'managerOfP'];
    const PARTIES: Identity[] = ['mentor', 'mentee'];
    const readers: Record<string, Identity[]> = {
      me: [
        'admin',
        'auditorOfAll',
        'auditorOfP',
        'auditorOfQ',
        'managerOfP',
        'managerOfQ',
        'mentor',
        'mentee',
        'otherMentee',
        'outsider',
        'noRoles',
      ],
      programs: [
        'admin',
        'auditorOfAll',
        'auditorOfP',
        'auditorOfQ',
        'managerOfP',
        'managerOfQ',
        'mentor',
        'mentee',
        'otherMentee',
        'outsider',
        'noRoles',
      ],
      program: [...STAFF_OF_P, ...PARTIES, 'otherMentee'],
      participant: [...STAFF_OF_P, ...PARTIES],
      relationship: [...STAFF_OF_P, ...PARTIES],
      relationshipAsOf: [...STAFF_OF_P, ...PARTIES],
      verifyRelationshipHistory: [...STAFF_OF_P, ...PARTIES],
      relationshipHistory: ['admin', 'auditorOfAll', 'auditorOfP'],
    };

    it('reads each query root as authorization.md §2 says, else FORBIDDEN with null data', async () => {
      for (const [identity, token] of Object.entries(tokens) as [Identity, string][]) {
        for (const [root, [query, variables]] of Object.entries(queryRoots(world))) {
          const response = await server.graphql<Record<string, unknown>>(query, variables, { token });
          const allowed = readers[root].includes(identity);
          const outcome = allowed
            ? [response.errors ?? null, response.data?.[root] !== null]
            : [response.errors?.[0].extensions?.code, response.data?.[root] ?? null];
          expect([identity, root, ...outcome]).toEqual([
            identity,
            root,
            ...(allowed ? [null, true] : ['FORBIDDEN', null]),
          ]);
        }
      }
    });

    it('answers FORBIDDEN for an unknown id to everyone but ADMIN and an auditor of all programs, who get null or NOT_FOUND', async () => {
      const unknown = randomUUID();
      const roots = queryRoots(world, unknown, unknown, unknown);
      const nullable = ['program', 'participant', 'relationship', 'relationshipAsOf'];
      const nonNull = ['relationshipHistory', 'verifyRelationshipHistory'];
      for (const [identity, token] of Object.entries(tokens) as [Identity, string][]) {
        for (const root of [...nullable, ...nonNull]) {
          const [query, variables] = roots[root];
          const response = await server.graphql<Record<string, unknown>>(query, variables, { token });
          const expected = ['admin', 'auditorOfAll'].includes(identity)
            ? nullable.includes(root)
              ? null
              : 'NOT_FOUND'
            : 'FORBIDDEN';
          expect([
            identity,
            root,
            response.errors?.[0].extensions?.code ?? null,
            response.data?.[root] ?? null,
          ]).toEqual([identity, root, expected, null]);
        }
      }
    });

    it('lists only the programs in scope, and counts only those', async () => {
      const expected: Record<Identity, string[]> = {
        admin: [world.programId, world.otherProgramId],
        auditorOfAll: [world.programId, world.otherProgramId],
        auditorOfP: [world.programId],
        auditorOfQ: [world.otherProgramId],
        managerOfP: [world.programId],
        managerOfQ: [world.otherProgramId],
        mentor: [world.programId],
        mentee: [world.programId],
        otherMentee: [world.programId],
        outsider: [world.otherProgramId],
        noRoles: [],
      };
      for (const [identity, token] of Object.entries(tokens) as [Identity, string][]) {
        const response = await server.graphql<{ programs: { totalCount: number; edges: { node: { id: string } }[] } }>(
          '{ programs(first: 10) { totalCount edges { node { id } } } }',
          {},
          { token },
        );
        const ids = response.data!.programs.edges.map((edge) => edge.node.id);
        expect([identity, ids, response.data!.programs.totalCount]).toEqual([
          identity,
          expected[identity],
          expected[identity].length,
        ]);
      }
      const paged = await server.graphql<{ programs: { edges: { cursor: string; node: { id: string } }[] } }>(
        '{ programs(first: 1) { edges { cursor node { id } } } }',
        {},
        { token: tokens.auditorOfQ },
      );
      const next = await server.graphql<{ programs: { totalCount: number; edges: unknown[] } }>(
        'query ($after: String) { programs(first: 1, after: $after) { totalCount edges { cursor } } }',
        { after: paged.data!.programs.edges[0].cursor },
        { token: tokens.auditorOfQ },
      );
      expect(next.data!.programs).toEqual({ totalCount: 1, edges: [] });
    });

    it("filters a program's relationships to those the caller may see, totalCount included", async () => {
      const query = 'query ($id: ID!) { program(id: $id) { relationships { totalCount edges { node { id } } } } }';
      const seen = async (token: string) => {
        const response = await server.graphql<{
          program: { relationships: { totalCount: number; edges: { node: { id: string } }[] } };
        }>(query, { id: world.programId }, { token });
        const { totalCount, edges } = response.data!.program.relationships;
        return { totalCount, ids: edges.map((edge) => edge.node.id).sort() };
      };
      const both = [world.relationshipId, world.secondRelationshipId].sort();
      expect(await seen(tokens.managerOfP)).toEqual({ totalCount: 2, ids: both });
      expect(await seen(tokens.auditorOfP)).toEqual({ totalCount: 2, ids: both });
      expect(await seen(tokens.mentor)).toEqual({ totalCount: 2, ids: both });
      expect(await seen(tokens.mentee)).toEqual({ totalCount: 1, ids: [world.relationshipId] });
      expect(await seen(tokens.otherMentee)).toEqual({ totalCount: 1, ids: [world.secondRelationshipId] });
    });

    it('refuses program analytics to participants however they are reached, at their path', async () => {
      const direct = 'query ($id: ID!) { program(id: $id) { name trustTrend { start } atRisk { id } } }';
      const reached = 'query ($id: ID!) { relationship(id: $id) { id program { name atRisk { id } } } }';
      for (const identity of ['managerOfP', 'auditorOfP', 'admin'] as Identity[]) {
        const response = await server.graphql(direct, { id: world.programId }, { token: tokens[identity] });
        expect([identity, response.errors ?? null]).toEqual([identity, null]);
      }
      for (const identity of ['mentor', 'mentee'] as Identity[]) {
        const response = await server.graphql<{ relationship: { program: unknown } | null }>(
          reached,
          { id: world.relationshipId },
          { token: tokens[identity] },
        );
        expect(response.errors?.map((error) => [error.extensions?.code, error.path?.join('.')])).toEqual([
          ['FORBIDDEN', 'relationship.program.atRisk'],
        ]);
        const program = await server.graphql(direct, { id: world.programId }, { token: tokens[identity] });
        expect([
          program.errors?.every((error) => error.extensions?.code === 'FORBIDDEN'),
          program.data?.program ?? null,
        ]).toEqual([true, null]);
      }
    });

    it('shows an email to program staff and the participant itself, null to its counterpart', async () => {
      const query = 'query ($id: ID!) { relationship(id: $id) { mentor { email } mentee { email } } }';
      const emailsSeenBy = async (token: string) =>
        (
          await server.graphql<{
            relationship: { mentor: { email: string | null }; mentee: { email: string | null } };
          }>(query, { id: world.relationshipId }, { token })
        ).data!.relationship;
      const both = { mentor: { email: world.emails.mentor }, mentee: { email: world.emails.mentee } };
      expect(await emailsSeenBy(tokens.admin)).toEqual(both);
      expect(await emailsSeenBy(tokens.auditorOfP)).toEqual(both);
      expect(await emailsSeenBy(tokens.managerOfP)).toEqual(both);
      expect(await emailsSeenBy(tokens.mentor)).toEqual({
        mentor: { email: world.emails.mentor },
        mentee: { email: null },
      });
      expect(await emailsSeenBy(tokens.mentee)).toEqual({
        mentor: { email: null },
        mentee: { email: world.emails.mentee },
      });
    });

    it('lets a participant read itself and its counterparts only', async () => {
      const read = (token: string, id: string) =>
        server.graphql<{ participant: { id: string } | null }>(
          'query ($id: ID!) { participant(id: $id) { id } }',
          { id },
          { token },
        );
      expect((await read(tokens.mentor, world.otherMenteeId)).data?.participant?.id).toBe(world.otherMenteeId);
      expect((await read(tokens.otherMentee, world.mentorId)).data?.participant?.id).toBe(world.mentorId);
      const stranger = await read(tokens.otherMentee, world.menteeId);
      expect([stranger.errors?.[0].extensions?.code, stranger.data?.participant ?? null]).toEqual(['FORBIDDEN', null]);
    });
  });

  describe('mutations', () => {
    // Who may run each mutation with the inputs above (party MENTOR, endedBy PROGRAM); everyone else is refused.
    const MAY: Record<string, Identity[]> = {
      launchProgram: ['admin'],
      recordProgramCommunication: ['admin', 'managerOfP'],
      registerParticipant: ['admin', 'managerOfP'],
      startRelationship: ['admin', 'managerOfP'],
      pauseRelationship: ['admin', 'managerOfP', 'mentor', 'mentee'],
      resumeRelationship: ['admin', 'managerOfP', 'mentor', 'mentee'],
      endRelationship: ['admin', 'managerOfP'],
      makePromise: ['admin', 'mentor'],
      scheduleMeeting: ['admin', 'mentor'],
      rescheduleMeeting: ['admin', 'mentor'],
      cancelMeeting: ['admin', 'mentor'],
      submitTrustCheckIn: ['admin', 'mentor'],
      keepPromise: ['admin', 'mentor', 'mentee'],
      breakPromise: ['admin', 'mentor', 'mentee'],
      renegotiatePromise: ['admin', 'mentor', 'mentee'],
      recordMeetingHeld: ['admin', 'mentor', 'mentee'],
      recordMeetingMissed: ['admin', 'mentor', 'mentee'],
      assessMentorMotives: ['admin', 'mentor'],
    };
    // In scope, but naming a party that is not theirs (or, for motives, not the mentor).
    const NOT_YOURS: Record<string, Identity[]> = {
      endRelationship: ['mentor', 'mentee'],
      makePromise: ['mentee'],
      scheduleMeeting: ['mentee'],
      rescheduleMeeting: ['mentee'],
      cancelMeeting: ['mentee'],
      submitTrustCheckIn: ['mentee'],
      assessMentorMotives: ['mentee'],
    };

    it('refuses every mutation to whoever §3 does not allow, with FORBIDDEN, no data, the party rule, and nothing appended', async () => {
      const before = await countEvents(server);
      for (const [name, input] of Object.entries(mutationInputs(world))) {
        for (const [identity, token] of Object.entries(tokens) as [Identity, string][]) {
          if (MAY[name].includes(identity)) continue;
          const response = await server.graphql(mutationText(name), { input }, { token });
          const rule = NOT_YOURS[name]?.includes(identity) ? 'party.not-yours' : undefined;
          expect([
            identity,
            name,
            response.data ?? null,
            response.errors?.[0].extensions?.code,
            response.errors?.[0].extensions?.rule,
          ]).toEqual([identity, name, null, 'FORBIDDEN', rule]);
        }
      }
      expect(await countEvents(server)).toBe(before);
    });

    it('refuses an unknown relationship as out of scope to all but ADMIN, who gets NOT_FOUND', async () => {
      const before = await countEvents(server);
      const input = { relationshipId: randomUUID() };
      for (const identity of ['managerOfP', 'mentor', 'mentee', 'auditorOfAll'] as Identity[]) {
        const response = await server.graphql(
          mutationText('pauseRelationship'),
          { input },
          { token: tokens[identity] },
        );
        expect([identity, response.errors?.[0].extensions?.code]).toEqual([identity, 'FORBIDDEN']);
      }
      const admin = await server.graphql(mutationText('pauseRelationship'), { input }, { token: tokens.admin });
      expect(admin.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(await countEvents(server)).toBe(before);
    });

    it('records what each allowed caller does, with its sub as actor', async () => {
      const mentorOf = { relationshipId: world.secondRelationshipId };
      const otherMentee = identities(server, world).otherMentee;
      const due = new Date(Date.now() + 86_400_000).toISOString();
      const made = await mutate<{ promise: { id: string } }>(
        server,
        tokens.mentor,
        'makePromise',
        { ...mentorOf, promisor: 'MENTOR', description: 'intro', dueAt: due },
        'promise { id }',
      );
      await mutate(server, otherMentee, 'keepPromise', { ...mentorOf, promiseId: made.promise.id }, 'position');
      await mutate(
        server,
        otherMentee,
        'submitTrustCheckIn',
        { ...mentorOf, respondent: 'MENTEE', ability: 5, benevolence: 5, integrity: 5 },
        'position',
      );
      await mutate(
        server,
        tokens.mentor,
        'assessMentorMotives',
        { ...mentorOf, primaryMotive: 'DEVELOP_MENTEE', menteeDevelopmentFirst: true },
        'position',
      );
      await mutate(server, tokens.managerOfP, 'pauseRelationship', mentorOf, 'position');
      await mutate(server, otherMentee, 'resumeRelationship', mentorOf, 'position');
      await mutate(
        server,
        otherMentee,
        'endRelationship',
        { ...mentorOf, endedBy: 'MENTEE', reason: 'COMPLETED', planned: true },
        'position',
      );
      const history = await server.graphql<{
        relationshipHistory: { edges: { node: { type: string; actor: string | null } }[] };
      }>(
        'query ($id: ID!) { relationshipHistory(relationshipId: $id, first: 100) { edges { node { type actor } } } }',
        { id: world.secondRelationshipId },
        { token: tokens.admin },
      );
      expect(
        history.data!.relationshipHistory.edges.slice(-7).map((edge) => [edge.node.type, edge.node.actor]),
      ).toEqual([
        ['PromiseMade', 'mentor-m'],
        ['PromiseKept', 'mentee-e2'],
        ['TrustCheckInSubmitted', 'mentee-e2'],
        ['MentorMotivesAssessed', 'mentor-m'],
        ['RelationshipPaused', 'manager-p'],
        ['RelationshipResumed', 'mentee-e2'],
        ['RelationshipEnded', 'mentee-e2'],
      ]);
      // No event recorded through the API lacks its actor.
      const events = await server.app.get<EventStore>(EVENT_STORE).readAll();
      expect(events.filter((event) => !event.metadata.actor)).toEqual([]);
    });
  });
});
