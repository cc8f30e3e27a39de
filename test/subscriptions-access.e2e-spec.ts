import {
  arrangeWorld,
  firstOutcome,
  type Identity,
  identities,
  invalidIdentities,
  wsClient,
  type World,
} from './support/access.fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// authorization.md §1 and §4 over graphql-ws against the real server.

jest.setTimeout(180_000);

const TRUST_CHANGED = 'subscription ($id: ID!) { trustChanged(relationshipId: $id) { score cause { id position } } }';
const PROGRAM_TRUST_CHANGED =
  'subscription ($id: ID!) { programTrustChanged(programId: $id) { relationshipId direction point { score } } }';

describe('access over graphql-ws', () => {
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

  const checkIn = async (respondent: 'MENTOR' | 'MENTEE') => {
    const response = await server.graphql<{ submitTrustCheckIn: { position: string } }>(
      'mutation ($input: SubmitTrustCheckInInput!) { submitTrustCheckIn(input: $input) { position } }',
      { input: { relationshipId: world.relationshipId, respondent, ability: 4, benevolence: 4, integrity: 4 } },
    );
    return response.data!.submitTrustCheckIn.position;
  };

  it('closes a connection without a valid token (4403) before any subscription starts', async () => {
    for (const [identity, token] of invalidIdentities(server)) {
      for (const [query, id] of [
        [TRUST_CHANGED, world.relationshipId],
        [PROGRAM_TRUST_CHANGED, world.programId],
      ]) {
        let closedWith: number | undefined;
        const client = wsClient(server, token, (code) => (closedWith = code));
        const outcome = await firstOutcome(client, query, { id });
        expect([identity, outcome.kind, closedWith]).toEqual([identity, 'error', 4403]);
        await client.dispose();
      }
    }
  });

  it('ends a subscription outside the caller’s scope with FORBIDDEN', async () => {
    const refused: [Identity, string, string][] = [
      ['managerOfQ', TRUST_CHANGED, world.relationshipId],
      ['auditorOfQ', TRUST_CHANGED, world.relationshipId],
      ['outsider', TRUST_CHANGED, world.relationshipId],
      ['otherMentee', TRUST_CHANGED, world.relationshipId],
      ['noRoles', TRUST_CHANGED, world.relationshipId],
      ['mentor', PROGRAM_TRUST_CHANGED, world.programId],
      ['mentee', PROGRAM_TRUST_CHANGED, world.programId],
      ['managerOfQ', PROGRAM_TRUST_CHANGED, world.programId],
      ['auditorOfQ', PROGRAM_TRUST_CHANGED, world.programId],
      ['noRoles', PROGRAM_TRUST_CHANGED, world.programId],
    ];
    for (const [identity, query, id] of refused) {
      const client = wsClient(server, tokens[identity]);
      const outcome = await firstOutcome(client, query, { id });
      const codes =
        outcome.kind === 'error'
          ? (outcome.error as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code)
          : outcome.kind;
      expect([identity, query === TRUST_CHANGED ? 'trustChanged' : 'programTrustChanged', codes]).toEqual([
        identity,
        query === TRUST_CHANGED ? 'trustChanged' : 'programTrustChanged',
        ['FORBIDDEN'],
      ]);
      await client.dispose();
    }
  });

  it('pushes a participant only the points of the trust it places; staff both directions', async () => {
    const menteePoints: string[] = [];
    const mentorPoints: string[] = [];
    const staffDirections = new Set<string>();
    const clients = [
      wsClient(server, tokens.mentee),
      wsClient(server, tokens.mentor),
      wsClient(server, tokens.managerOfP),
    ];
    const subscribe = (client: (typeof clients)[number], query: string, id: string, onPoint: (data: never) => void) =>
      client.subscribe(
        { query, variables: { id } },
        { next: (value) => onPoint(value.data as never), error: () => undefined, complete: () => undefined },
      );
    const stops = [
      subscribe(
        clients[0],
        TRUST_CHANGED,
        world.relationshipId,
        (data: { trustChanged: { cause: { position: string } } }) =>
          menteePoints.push(data.trustChanged.cause.position),
      ),
      subscribe(
        clients[1],
        TRUST_CHANGED,
        world.relationshipId,
        (data: { trustChanged: { cause: { position: string } } }) =>
          mentorPoints.push(data.trustChanged.cause.position),
      ),
      subscribe(
        clients[2],
        PROGRAM_TRUST_CHANGED,
        world.programId,
        (data: { programTrustChanged: { direction: string } }) =>
          staffDirections.add(data.programTrustChanged.direction),
      ),
    ];
    const byMentee = new Set<string>();
    const byMentor = new Set<string>();
    // graphql-ws does not acknowledge a subscription: record check-ins of both parties until each side got one.
    for (
      let attempt = 0;
      attempt < 30 && (menteePoints.length === 0 || mentorPoints.length === 0 || staffDirections.size < 2);
      attempt++
    ) {
      byMentor.add(await checkIn('MENTOR'));
      byMentee.add(await checkIn('MENTEE'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stops.forEach((stop) => stop());
    await Promise.all(clients.map((client) => client.dispose()));

    // A mentee's check-in moves the trust the mentee places (MENTEE_IN_MENTOR), a mentor's the other direction.
    expect(menteePoints.length).toBeGreaterThan(0);
    expect(mentorPoints.length).toBeGreaterThan(0);
    expect(menteePoints.filter((position) => !byMentee.has(position))).toEqual([]);
    expect(mentorPoints.filter((position) => !byMentor.has(position))).toEqual([]);
    expect([...staffDirections].sort()).toEqual(['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE']);
  });

  it('closes a connection when its token expires', async () => {
    let closedWith: number | undefined;
    const closed = new Promise<void>((resolve) => {
      const client = wsClient(server, server.token({ sub: 'short-lived' }, 2), (code) => {
        closedWith = code;
        resolve();
      });
      client.subscribe(
        { query: TRUST_CHANGED, variables: { id: world.relationshipId } },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    await closed;
    expect(closedWith).toBe(4401);
  });
});
