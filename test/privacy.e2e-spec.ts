import { arrangeWorld, countEvents, identities, wsClient, type World } from './support/access.fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// Private content and check-in answers (authorization.md §2): recorded private
// strings never reach a program manager, in any answer it can get; a
// participant never gets a point of the trust placed in it.

jest.setTimeout(180_000);

const FULL_RELATIONSHIP = `
  id status endReason motiveReviewRecommended
  mentor { id displayName email } mentee { id displayName email }
  promises { id promisor description status }
  meetings { id status scheduledBy cancelledBy }
  cadence { score }`;
const BOTH_DIRECTIONS = `
  inMentor: trust(direction: MENTEE_IN_MENTOR) { score }
  inMentee: trust(direction: MENTOR_IN_MENTEE) { score }
  mentorPoints: trustTrajectory(direction: MENTEE_IN_MENTOR) { score cause { id } contributions { rule positive negative } }
  menteePoints: trustTrajectory(direction: MENTOR_IN_MENTEE) { score cause { id } contributions { rule positive negative } }`;

describe('privacy', () => {
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

  /** Every query a caller can make about the world's relationship and program. */
  const everyQuery = (token: string) =>
    Promise.all([
      server.graphql(
        `query ($id: ID!) { relationship(id: $id) { ${FULL_RELATIONSHIP} ${BOTH_DIRECTIONS} } }`,
        { id: world.relationshipId },
        { token },
      ),
      server.graphql(
        `query ($id: ID!, $at: DateTime!) { relationshipAsOf(relationshipId: $id, at: $at) {
           status promises { id description } meetings { id }
           inMentor: trust(direction: MENTEE_IN_MENTOR) { score } inMentee: trust(direction: MENTOR_IN_MENTEE) { score } } }`,
        { id: world.relationshipId, at: new Date().toISOString() },
        { token },
      ),
      server.graphql(
        `query ($id: ID!) { program(id: $id) {
           relationships { edges { node { ${FULL_RELATIONSHIP} } } }
           atRisk(asOf: "${new Date(Date.now() + 300 * 86_400_000).toISOString()}") { ${FULL_RELATIONSHIP} }
           trustTrend { start } } }`,
        { id: world.programId },
        { token },
      ),
      server.graphql(
        'query ($id: ID!) { relationshipHistory(relationshipId: $id, first: 100) { edges { node { type data } } } }',
        { id: world.relationshipId },
        { token },
      ),
      server.graphql(
        'query ($id: ID!) { participant(id: $id) { id displayName email } }',
        { id: world.menteeId },
        { token },
      ),
      server.graphql('{ programs { edges { node { id name } } } }', {}, { token }),
    ]);

  it('keeps every private string from a program manager, in queries, payloads and subscriptions', async () => {
    // The scan can fail: an administrator reads the same private content.
    const adminAnswers = JSON.stringify(await everyQuery(tokens.admin));
    for (const text of world.privateStrings) expect([text, adminAnswers.includes(text)]).toEqual([text, true]);

    const answers: unknown[] = await everyQuery(tokens.managerOfP);
    const history = answers[3] as { errors?: { extensions?: { code?: string } }[] };
    expect(history.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // The manager reads the relationship itself, with private content null.
    const relationship = answers[0] as { data: { relationship: { promises: { description: string | null }[] } } };
    expect(relationship.data.relationship.promises.map((promise) => promise.description)).toEqual([null, null]);

    // Payloads of what a manager may do, asked for everything they carry.
    for (const mutation of ['pauseRelationship', 'resumeRelationship']) {
      answers.push(
        await server.graphql(
          `mutation ($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { relationship { ${FULL_RELATIONSHIP} ${BOTH_DIRECTIONS} } } }`,
          {
            input: {
              relationshipId: world.relationshipId,
              ...(mutation === 'pauseRelationship' ? { reason: `${world.privateStrings[5]}-again` } : {}),
            },
          },
          { token: tokens.managerOfP },
        ),
      );
    }

    // Subscriptions: what the manager is pushed while the parties record new private content.
    const pushed: unknown[] = [];
    const client = wsClient(server, tokens.managerOfP);
    const subscribe = (query: string, variables: Record<string, unknown>) =>
      client.subscribe(
        { query, variables },
        {
          next: (value) => pushed.push(value),
          error: (error) => pushed.push({ error: String(error) }),
          complete: () => undefined,
        },
      );
    const stopRelationship = subscribe(
      'subscription ($id: ID!) { trustChanged(relationshipId: $id) { score cause { id type } contributions { rule } } }',
      { id: world.relationshipId },
    );
    const stopProgram = subscribe(
      'subscription ($id: ID!) { programTrustChanged(programId: $id) { relationshipId direction point { score cause { type } } } }',
      { id: world.programId },
    );
    for (let attempt = 0; attempt < 30 && pushed.length < 2; attempt++) {
      await server.graphql(
        'mutation ($input: MakePromiseInput!) { makePromise(input: $input) { position } }',
        {
          input: {
            relationshipId: world.relationshipId,
            promisor: 'MENTEE',
            description: world.privateStrings[1],
            dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
        },
        { token: tokens.mentee },
      );
      await server.graphql(
        'mutation ($input: SubmitTrustCheckInInput!) { submitTrustCheckIn(input: $input) { position } }',
        {
          input: {
            relationshipId: world.relationshipId,
            respondent: 'MENTEE',
            ability: 3,
            benevolence: 3,
            integrity: 3,
          },
        },
        { token: tokens.mentee },
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stopRelationship();
    stopProgram();
    await client.dispose();
    expect(pushed.length).toBeGreaterThanOrEqual(2);
    answers.push(...pushed);

    const everything = JSON.stringify(answers);
    for (const text of world.privateStrings) expect([text, everything.includes(text)]).toEqual([text, false]);
  });

  it('lets each party read private content and the trust it places, never the trust placed in it', async () => {
    for (const [who, own, other] of [
      ['mentee', 'MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'],
      ['mentor', 'MENTOR_IN_MENTEE', 'MENTEE_IN_MENTOR'],
    ] as const) {
      const token = tokens[who];
      const mine = await server.graphql<{
        relationship: {
          trust: { score: number };
          trustTrajectory: unknown[];
          promises: { description: string | null }[];
        };
      }>(
        `query ($id: ID!) { relationship(id: $id) { trust(direction: ${own}) { score } trustTrajectory(direction: ${own}) { score contributions { rule } } promises { description } } }`,
        { id: world.relationshipId },
        { token },
      );
      expect([who, mine.errors ?? null]).toEqual([who, null]);
      expect(mine.data!.relationship.trustTrajectory.length).toBeGreaterThan(0);
      expect(mine.data!.relationship.promises.map((promise) => promise.description)).toContain(world.privateStrings[1]);

      for (const [field, query] of [
        [
          'relationship.trust',
          `query ($id: ID!) { relationship(id: $id) { id trust(direction: ${other}) { score } } }`,
        ],
        [
          'relationship.trustTrajectory',
          `query ($id: ID!) { relationship(id: $id) { id trustTrajectory(direction: ${other}) { score contributions { rule positive } } } }`,
        ],
        [
          'relationshipAsOf.trust',
          `query ($id: ID!, $at: DateTime!) { relationshipAsOf(relationshipId: $id, at: $at) { status trust(direction: ${other}) { score } } }`,
        ],
      ]) {
        const theirs = await server.graphql<Record<string, unknown>>(
          query,
          { id: world.relationshipId, at: new Date().toISOString() },
          { token },
        );
        expect([
          who,
          field,
          theirs.errors?.map((error) => [error.extensions?.code, error.path?.join('.')]),
          Object.values(theirs.data ?? {})[0] ?? null,
        ]).toEqual([who, field, [['FORBIDDEN', field]], null]);
      }
    }
  });

  it("runs a participant's mutation but refuses, at its path, the trust placed in it that the payload asks for", async () => {
    const before = await countEvents(server);
    const response = await server.graphql(
      `mutation ($input: SubmitTrustCheckInInput!) { submitTrustCheckIn(input: $input) { position relationship { trust(direction: MENTOR_IN_MENTEE) { score } } } }`,
      {
        input: { relationshipId: world.relationshipId, respondent: 'MENTEE', ability: 4, benevolence: 4, integrity: 4 },
      },
      { token: tokens.mentee },
    );
    expect(response.errors?.map((error) => [error.extensions?.code, error.path?.join('.')])).toEqual([
      ['FORBIDDEN', 'submitTrustCheckIn.relationship.trust'],
    ]);
    expect(await countEvents(server)).toBe(before + 1);
  });
});
