import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { deriveEvidence, trustScore } from '@trustline/domain';
import { ReadModels } from '@trustline/projections';
import { arrangeRelationship, days, iso, mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

const TRUST = 'score integrity benevolence ability uncertainty band';

describe('trust over GraphQL', () => {
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

  const relationship = async <T>(id: string, selection: string, variables: Record<string, unknown> = {}) => {
    const declared = Object.keys(variables)
      .map((name) => `, $${name}: DateTime`)
      .join('');
    const response = await server.graphql<{ relationship: T }>(
      `query ($id: ID!${declared}) { relationship(id: $id) { ${selection} } }`,
      { id, ...variables },
      { token },
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!.relationship;
  };

  describe("the contract's worked examples (cadence 90 days)", () => {
    it('start TOO_EARLY at 55 with full uncertainty', async () => {
      const { relationshipId } = await arrangeRelationship(server, token, { cadenceDays: 90 });
      expect(await relationship(relationshipId, `trust { ${TRUST} }`)).toEqual({
        trust: { score: 55, integrity: 0.5, benevolence: 0.5, ability: 0.7, uncertainty: 1, band: 'TOO_EARLY' },
      });
    });

    it('a promise kept on time gives 61.666667 (delta +6.666667), a 5-5-5 check-in 77.5, decaying to 70 after 90 days', async () => {
      const start = Date.now() - days(150); // the first cadence gap (2 × 90 days) has not fired yet
      const { relationshipId } = await arrangeRelationship(server, token, { cadenceDays: 90, startedAt: iso(start) });
      const { promise } = await mutate<{ promise: { id: string } }>(
        server,
        token,
        'makePromise',
        {
          relationshipId,
          promisor: 'MENTOR',
          description: 'Share the deck',
          dueAt: iso(start + days(3)),
          occurredAt: iso(start + days(1)),
        },
        'promise { id }',
      );
      const keptAt = start + days(2);
      await mutate(
        server,
        token,
        'keepPromise',
        { relationshipId, promiseId: promise.id, occurredAt: iso(keptAt) },
        'position',
      );
      const afterKept = await relationship<{ trust: { score: number; uncertainty: number; band: string } }>(
        relationshipId,
        'trust(asOf: $asOf) { score uncertainty band }',
        { asOf: iso(keptAt) },
      );
      expect(afterKept.trust.score).toBeCloseTo(61.666667, 6);
      expect(afterKept.trust.uncertainty).toBeCloseTo(0.888889, 6);
      const trajectory = await relationship<{ trustTrajectory: { delta: number; cause: { type: string } }[] }>(
        relationshipId,
        'trustTrajectory { delta cause { type } }',
      );
      expect(trajectory.trustTrajectory).toHaveLength(1);
      expect(trajectory.trustTrajectory[0].cause.type).toBe('PromiseKept');
      expect(trajectory.trustTrajectory[0].delta).toBeCloseTo(6.666667, 6);

      const other = await arrangeRelationship(server, token, { cadenceDays: 90, startedAt: iso(start) });
      const answeredAt = start + days(10);
      await mutate(
        server,
        token,
        'submitTrustCheckIn',
        {
          relationshipId: other.relationshipId,
          respondent: 'MENTEE',
          ability: 5,
          benevolence: 5,
          integrity: 5,
          occurredAt: iso(answeredAt),
        },
        'position',
      );
      const then = await relationship<{ trust: { score: number; band: string } }>(
        other.relationshipId,
        'trust(asOf: $asOf) { score band }',
        { asOf: iso(answeredAt) },
      );
      expect(then.trust).toEqual({ score: 77.5, band: 'HIGH' });
      const later = await relationship<{ trust: { score: number; uncertainty: number; band: string; asOf: string } }>(
        other.relationshipId,
        'trust(asOf: $asOf) { asOf score uncertainty band }',
        { asOf: iso(answeredAt + days(90)) },
      );
      expect(later.trust.score).toBeCloseTo(70, 6);
      expect(later.trust.uncertainty).toBeCloseTo(0.666667, 6);
      expect(later.trust).toMatchObject({ band: 'TOO_EARLY', asOf: iso(answeredAt + days(90)) });
    });
  });

  it('answers with the engine’s figures for a scripted relationship, in both directions', async () => {
    const start = Date.now() - days(70);
    const { relationshipId } = await arrangeRelationship(server, token, { startedAt: iso(start) });
    const at = (d: number) => iso(start + days(d));
    for (const [i, late] of [0, 8, 15].entries()) {
      const { meeting } = await mutate<{ meeting: { id: string } }>(
        server,
        token,
        'scheduleMeeting',
        {
          relationshipId,
          startsAt: at(10 + 14 * i),
          scheduledBy: i % 2 ? 'MENTEE' : 'MENTOR',
          occurredAt: at(1 + 14 * i),
        },
        'meeting { id }',
      );
      await mutate(
        server,
        token,
        'recordMeetingHeld',
        { relationshipId, meetingId: meeting.id, mentorMinutesLate: late, occurredAt: at(10.1 + 14 * i) },
        'position',
      );
    }
    await mutate(
      server,
      token,
      'submitTrustCheckIn',
      { relationshipId, respondent: 'MENTOR', ability: 4, benevolence: 2, integrity: 3, occurredAt: at(40) },
      'position',
    );

    const answer = await relationship<{
      mentee: { score: number };
      mentor: { score: number; uncertainty: number };
      cadence: { meetingsHeld: number };
    }>(
      relationshipId,
      `mentee: trust { score } mentor: trust(direction: MENTOR_IN_MENTEE) { score uncertainty } cadence { meetingsHeld }`,
    );
    const facts = server.app.get(ReadModels).relationshipFacts(relationshipId);
    const evidence = deriveEvidence(facts, Date.now());
    expect(answer.mentee.score).toBeCloseTo(trustScore(evidence, 'MENTEE_IN_MENTOR').score, 6);
    expect(answer.mentor.score).toBeCloseTo(trustScore(evidence, 'MENTOR_IN_MENTEE').score, 6);
    expect(answer.mentor.uncertainty).toBeCloseTo(trustScore(evidence, 'MENTOR_IN_MENTEE').uncertainty, 6);
    expect(answer.cadence.meetingsHeld).toBe(3);
  });

  it('places a back-dated fact in time and recomputes every later point', async () => {
    const start = Date.now() - days(40);
    const { relationshipId } = await arrangeRelationship(server, token, { cadenceDays: 90, startedAt: iso(start) });
    const checkIn = (day: number, rating: number) =>
      mutate(
        server,
        token,
        'submitTrustCheckIn',
        {
          relationshipId,
          respondent: 'MENTEE',
          ability: rating,
          benevolence: rating,
          integrity: rating,
          occurredAt: iso(start + days(day)),
        },
        'position',
      );
    await checkIn(10, 4);
    await checkIn(30, 4);
    const before = await relationship<{ trustTrajectory: { at: string; score: number }[] }>(
      relationshipId,
      'trustTrajectory { at score }',
    );
    await checkIn(20, 1); // recorded last, happened in between
    const after = await relationship<{ trustTrajectory: { at: string; score: number; cause: { type: string } }[] }>(
      relationshipId,
      'trustTrajectory { at score cause { type } }',
    );
    expect(after.trustTrajectory.map((p) => p.at)).toEqual([
      iso(start + days(10)),
      iso(start + days(20)),
      iso(start + days(30)),
    ]);
    expect(after.trustTrajectory[0].score).toBe(before.trustTrajectory[0].score);
    expect(after.trustTrajectory[2].score).toBeLessThan(before.trustTrajectory[1].score);
    const filtered = await relationship<{ trustTrajectory: { at: string; score: number }[] }>(
      relationshipId,
      'trustTrajectory(from: $from, to: $to) { at score }',
      { from: iso(start + days(15)), to: iso(start + days(25)) },
    );
    expect(filtered.trustTrajectory).toEqual([{ at: iso(start + days(20)), score: after.trustTrajectory[1].score }]);
  });

  it('rebuilds the relationship as of an instant, and as known at an instant, from the stream', async () => {
    const start = Date.now() - days(30);
    const { relationshipId } = await arrangeRelationship(server, token, { startedAt: iso(start) });
    await mutate(
      server,
      token,
      'makePromise',
      {
        relationshipId,
        promisor: 'MENTOR',
        description: 'Review the CV',
        dueAt: iso(start + days(5)),
        occurredAt: iso(start + days(2)),
      },
      'position',
    );
    const recordedBetween = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await mutate(
      server,
      token,
      'submitTrustCheckIn',
      {
        relationshipId,
        respondent: 'MENTEE',
        ability: 5,
        benevolence: 5,
        integrity: 5,
        occurredAt: iso(start + days(1)),
      },
      'position',
    );
    const query = `query ($id: ID!, $at: DateTime!, $knownAt: DateTime) { relationshipAsOf(relationshipId: $id, at: $at, knownAt: $knownAt) {
      eventsApplied status promises { status overdue } trust { score band } } }`;
    const early = await server.graphql<{ relationshipAsOf: Record<string, unknown> }>(
      query,
      { id: relationshipId, at: iso(start + days(3)) },
      { token },
    );
    const live = await relationship<{ trust: { score: number; band: string } }>(
      relationshipId,
      'trust(asOf: $asOf) { score band }',
      { asOf: iso(start + days(3)) },
    );
    expect(early.data?.relationshipAsOf).toEqual({
      eventsApplied: 3,
      status: 'ACTIVE',
      promises: [{ status: 'OPEN', overdue: false }],
      trust: live.trust,
    });
    const asKnown = await server.graphql<{ relationshipAsOf: { eventsApplied: number; trust: { score: number } } }>(
      query,
      { id: relationshipId, at: iso(start + days(3)), knownAt: recordedBetween },
      { token },
    );
    expect(asKnown.data?.relationshipAsOf).toMatchObject({ eventsApplied: 2, trust: { score: 55 } });
    const beforeStart = await server.graphql(query, { id: relationshipId, at: iso(start - days(1)) }, { token });
    expect(beforeStart.data).toEqual({ relationshipAsOf: null });
  });

  it('shows a small program’s weekly trend and who needs attention', async () => {
    const launch = Date.parse('2026-01-05T00:00:00Z'); // a Monday
    const { programId, relationshipId } = await arrangeRelationship(server, token, { startedAt: iso(launch) });
    for (const organization of [4, 5]) {
      await mutate(
        server,
        token,
        'submitTrustCheckIn',
        {
          relationshipId,
          respondent: 'MENTEE',
          ability: 1,
          benevolence: 1,
          integrity: 1,
          organization,
          occurredAt: iso(launch + days(8)),
        },
        'position',
      );
    }
    await mutate(
      server,
      token,
      'recordProgramCommunication',
      { programId, channel: 'email', summary: 'Welcome', occurredAt: iso(launch + days(1)) },
      'position',
    );
    const response = await server.graphql<{
      program: { trustTrend: Record<string, unknown>[]; atRisk: { id: string }[] };
    }>(
      `query ($id: ID!, $to: DateTime) { program(id: $id) {
         trustTrend(bucket: WEEK, to: $to) { start end activeRelationships medianScore bands { tooEarly atRisk } organizationTrust communications }
         atRisk { id } } }`,
      { id: programId, to: iso(launch + days(14)) },
      { token },
    );
    const trend = response.data!.program.trustTrend;
    expect(trend.map((p) => p.start)).toEqual([iso(launch), iso(launch + days(7))]);
    expect(trend[0]).toMatchObject({
      activeRelationships: 1,
      medianScore: 55,
      bands: { tooEarly: 1, atRisk: 0 },
      communications: 1,
      organizationTrust: null,
    });
    expect(trend[1]).toMatchObject({
      activeRelationships: 1,
      bands: { tooEarly: 0, atRisk: 1 },
      organizationTrust: 4.5,
    });
    expect(response.data!.program.atRisk).toEqual([{ id: relationshipId }]);
    // Ten months on, that evidence has faded: the band as of now is TOO_EARLY again.
    const filtered = await server.graphql<{
      program: { atRisk: { totalCount: number }; tooEarly: { totalCount: number } };
    }>(
      `query ($id: ID!) { program(id: $id) {
         atRisk: relationships(band: AT_RISK) { totalCount } tooEarly: relationships(band: TOO_EARLY) { totalCount } } }`,
      { id: programId },
      { token },
    );
    expect(filtered.data?.program).toEqual({ atRisk: { totalCount: 0 }, tooEarly: { totalCount: 1 } });
  });

  it('pushes trustChanged to a graphql-ws client after the mutation is projected', async () => {
    const { relationshipId, programId } = await arrangeRelationship(server, token);
    const client = createClient({
      url: server.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const next = <T>(query: string, variables: Record<string, unknown>) =>
      new Promise<T>((resolve, reject) => {
        const dispose = client.subscribe<T>(
          { query, variables },
          {
            next: (value) => {
              dispose();
              resolve(value.data as T);
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
    const point = next<{ trustChanged: { cause: { type: string }; score: number } }>(
      'subscription ($id: ID!) { trustChanged(relationshipId: $id) { score cause { type } } }',
      { id: relationshipId },
    );
    const programChange = next<{ programTrustChanged: { relationshipId: string; direction: string } }>(
      'subscription ($id: ID!) { programTrustChanged(programId: $id) { relationshipId direction } }',
      { id: programId },
    );
    // graphql-ws does not acknowledge a subscription, so record check-ins until the first one is pushed.
    let received = false;
    void Promise.all([point, programChange]).then(() => (received = true));
    for (let attempt = 0; attempt < 20 && !received; attempt++) {
      await mutate(
        server,
        token,
        'submitTrustCheckIn',
        { relationshipId, respondent: 'MENTEE', ability: 5, benevolence: 5, integrity: 5 },
        'position',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { trustChanged } = await point;
    expect(trustChanged.cause.type).toBe('TrustCheckInSubmitted');
    expect(trustChanged.score).toBeGreaterThanOrEqual(77.5);
    await expect(programChange).resolves.toEqual({
      programTrustChanged: { relationshipId, direction: 'MENTEE_IN_MENTOR' },
    });
    await client.dispose();
  });
});
