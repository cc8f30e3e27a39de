import { FixedClock } from '@trustline/command-handling';
import { arrangeRelationship, days, iso, mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// The server reads one clock, once per request: a pinned clock pins every
// figure of a response, and the defaults of a write, to that instant.
describe('the server’s clock', () => {
  // In the past of the real clock, so the inputs' "not in the future" rule never interferes.
  const T0 = Date.parse('2025-03-03T09:00:00.000Z');
  const clock = new FixedClock(T0);
  let server: TestApp;
  let token: string;

  beforeAll(async () => {
    server = await startTestApp({ clock });
    token = server.token();
  }, 60_000);
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });
  beforeEach(() => clock.set(T0));

  const history = async (relationshipId: string) => {
    const response = await server.graphql<{
      relationshipHistory: { edges: { node: { type: string; occurredAt: string; recordedAt: string } }[] };
    }>(
      'query ($id: ID!) { relationshipHistory(relationshipId: $id) { edges { node { type occurredAt recordedAt } } } }',
      { id: relationshipId },
      { token },
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!.relationshipHistory.edges.map((edge) => edge.node);
  };

  const relationship = async (id: string, selection: string) => {
    const response = await server.graphql<{ relationship: Record<string, unknown> }>(
      `query ($id: ID!) { relationship(id: $id) { ${selection} } }`,
      { id },
      { token },
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!.relationship;
  };

  it('dates a write without occurredAt, and records it, at the request’s instant', async () => {
    const { relationshipId } = await arrangeRelationship(server, token);
    clock.set(T0 + days(3));
    await mutate(
      server,
      token,
      'assessMentorMotives',
      { relationshipId, primaryMotive: 'DEVELOP_MENTEE', menteeDevelopmentFirst: true },
      'position',
    );
    expect(await history(relationshipId)).toEqual([
      { type: 'RelationshipStarted', occurredAt: iso(T0), recordedAt: iso(T0) },
      { type: 'MentorMotivesAssessed', occurredAt: iso(T0 + days(3)), recordedAt: iso(T0 + days(3)) },
    ]);
  });

  it('records a back-dated write at the request’s instant, dated as told', async () => {
    const { relationshipId } = await arrangeRelationship(server, token, { startedAt: iso(T0 - days(30)) });
    await mutate(
      server,
      token,
      'assessMentorMotives',
      { relationshipId, primaryMotive: 'DEVELOP_MENTEE', menteeDevelopmentFirst: true, occurredAt: iso(T0 - days(2)) },
      'position',
    );
    expect((await history(relationshipId))[1]).toEqual({
      type: 'MentorMotivesAssessed',
      occurredAt: iso(T0 - days(2)),
      recordedAt: iso(T0),
    });
  });

  it('judges an overdue promise, a lapsed pause and the cadence gap at the request’s instant, all at once', async () => {
    const { relationshipId } = await arrangeRelationship(server, token, { cadenceDays: 14 });
    await mutate(
      server,
      token,
      'makePromise',
      { relationshipId, promisor: 'MENTOR', description: 'Share the deck', dueAt: iso(T0 + days(2)) },
      'position',
    );
    await mutate(server, token, 'pauseRelationship', { relationshipId, until: iso(T0 + days(5)) }, 'position');
    const selection = 'status promises { overdue } cadence { currentGapDays } trust { asOf }';

    expect(await relationship(relationshipId, selection)).toEqual({
      status: 'PAUSED',
      promises: [{ overdue: false }],
      cadence: { currentGapDays: 0 },
      trust: { asOf: iso(T0) },
    });

    clock.set(T0 + days(6));
    expect(await relationship(relationshipId, selection)).toEqual({
      status: 'ACTIVE',
      promises: [{ overdue: true }],
      // The paused days (0 to 5) do not count toward the gap.
      cadence: { currentGapDays: 1 },
      trust: { asOf: iso(T0 + days(6)) },
    });
  });

  it('shows a mutation’s payload as of the request’s instant', async () => {
    const { relationshipId } = await arrangeRelationship(server, token);
    clock.set(T0 + days(1));
    const payload = await mutate<{ promise: { overdue: boolean } }>(
      server,
      token,
      'makePromise',
      {
        relationshipId,
        promisor: 'MENTEE',
        description: 'Draft the plan',
        dueAt: iso(T0 + days(2)),
        occurredAt: iso(T0),
      },
      'promise { overdue }',
    );
    expect(payload.promise.overdue).toBe(false);
    clock.set(T0 + days(3));
    const later = await mutate<{ promise: { overdue: boolean } }>(
      server,
      token,
      'makePromise',
      {
        relationshipId,
        promisor: 'MENTEE',
        description: 'Draft the plan again',
        dueAt: iso(T0 + days(2)),
        occurredAt: iso(T0 + days(1)),
      },
      'promise { overdue }',
    );
    expect(later.promise.overdue).toBe(true);
  });
});
