import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { arrangeRelationship, days, iso, mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

const now = Date.now();

describe('recording a mentoring relationship over GraphQL', () => {
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

  const history = async (relationshipId: string) =>
    (
      await server.graphql<{
        relationshipHistory: { totalCount: number; edges: { node: { streamRevision: number } }[] };
      }>(
        `query ($id: ID!) { relationshipHistory(relationshipId: $id, first: 500) { totalCount edges { node { streamRevision } } } }`,
        { id: relationshipId },
        { token },
      )
    ).data!.relationshipHistory;

  describe('a new program', () => {
    it('is launched with the contract defaults and answered with its commit position, projected', async () => {
      const payload = await mutate<{ position: string; projected: boolean; program: Record<string, unknown> }>(
        server,
        token,
        'launchProgram',
        { name: 'Autumn cohort' },
        'position projected program { id name cadenceDays sessionMinutes launchedAt }',
      );
      expect(payload.position).toMatch(/^\d+$/);
      expect(payload.projected).toBe(true);
      expect(payload.program).toMatchObject({ name: 'Autumn cohort', cadenceDays: 14, sessionMinutes: 60 });
      expect(payload.program.launchedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

      const read = await server.graphql<{ program: { name: string } }>(
        'query ($id: ID!) { program(id: $id) { name } }',
        { id: payload.program.id },
        { token },
      );
      expect(read.data?.program.name).toBe('Autumn cohort');
    });

    it('records a communication', async () => {
      const { program } = await mutate<{ program: { id: string } }>(
        server,
        token,
        'launchProgram',
        { name: 'P' },
        'program { id }',
      );
      const payload = await mutate<{ projected: boolean }>(
        server,
        token,
        'recordProgramCommunication',
        { programId: program.id, channel: 'newsletter', summary: 'Kick-off notes' },
        'projected program { id }',
      );
      expect(payload.projected).toBe(true);
    });

    it('lists programs as a Relay connection with opaque cursors', async () => {
      const first = await server.graphql<{
        programs: {
          edges: { cursor: string; node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
          totalCount: number;
        };
      }>(
        '{ programs(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount } }',
        {},
        { token },
      );
      const page = first.data!.programs;
      expect(page.edges).toHaveLength(1);
      expect(page.totalCount).toBeGreaterThanOrEqual(2);
      expect(page.pageInfo.hasNextPage).toBe(true);
      const next = await server.graphql<{ programs: { edges: { node: { id: string } }[] } }>(
        'query ($after: String) { programs(first: 1, after: $after) { edges { node { id } } } }',
        { after: page.pageInfo.endCursor },
        { token },
      );
      expect(next.data!.programs.edges[0].node.id).not.toBe(page.edges[0].node.id);
    });
  });

  describe('a relationship', () => {
    it('starts between a registered mentor and mentee and shows both', async () => {
      const arranged = await arrangeRelationship(server, token);
      const read = await server.graphql<{ relationship: Record<string, unknown> }>(
        `query ($id: ID!) { relationship(id: $id) { id status cadenceDays motiveReviewRecommended endedAt endReason
            program { id } mentor { id role displayName } mentee { id role } } }`,
        { id: arranged.relationshipId },
        { token },
      );
      expect(read.data?.relationship).toMatchObject({
        id: arranged.relationshipId,
        status: 'ACTIVE',
        cadenceDays: 14,
        motiveReviewRecommended: false,
        endedAt: null,
        program: { id: arranged.programId },
        mentor: { id: arranged.mentorId, role: 'MENTOR', displayName: 'Grace Hopper' },
        mentee: { id: arranged.menteeId, role: 'MENTEE' },
      });
      const listed = await server.graphql<{
        program: { relationships: { totalCount: number; edges: { node: { id: string } }[] } };
      }>(
        'query ($id: ID!) { program(id: $id) { relationships { totalCount edges { node { id } } } } }',
        { id: arranged.programId },
        { token },
      );
      expect(listed.data?.program.relationships).toEqual({
        totalCount: 1,
        edges: [{ node: { id: arranged.relationshipId } }],
      });
      const active = await server.graphql<{
        program: { active: { totalCount: number }; ended: { totalCount: number } };
      }>(
        'query ($id: ID!) { program(id: $id) { active: relationships(status: ACTIVE) { totalCount } ended: relationships(status: ENDED) { totalCount } } }',
        { id: arranged.programId },
        { token },
      );
      expect(active.data?.program).toEqual({ active: { totalCount: 1 }, ended: { totalCount: 0 } });
    });

    it('goes through promises, meetings, check-ins, a pause and an end', async () => {
      const { relationshipId } = await arrangeRelationship(server, token, { startedAt: iso(now - days(60)) });
      const at = (d: number) => iso(now - days(60) + days(d));

      const motives = await mutate<{ relationship: { motiveReviewRecommended: boolean } }>(
        server,
        token,
        'assessMentorMotives',
        {
          relationshipId,
          primaryMotive: 'CAREER_VISIBILITY',
          menteeDevelopmentFirst: false,
          note: 'honest',
          occurredAt: at(1),
        },
        'relationship { motiveReviewRecommended }',
      );
      expect(motives.relationship.motiveReviewRecommended).toBe(true);

      const made = await mutate<{ promise: { id: string; status: string; overdue: boolean; dueAt: string } }>(
        server,
        token,
        'makePromise',
        { relationshipId, promisor: 'MENTOR', description: 'Intro to a CFO', dueAt: at(10), occurredAt: at(2) },
        'promise { id status overdue dueAt }',
      );
      expect(made.promise).toMatchObject({ status: 'OPEN', overdue: true, dueAt: at(10) });
      const renegotiated = await mutate<{ promise: { dueAt: string } }>(
        server,
        token,
        'renegotiatePromise',
        { relationshipId, promiseId: made.promise.id, newDueAt: at(12), occurredAt: at(3) },
        'promise { dueAt }',
      );
      expect(renegotiated.promise.dueAt).toBe(at(12));
      const kept = await mutate<{ promise: { status: string; keptAt: string; overdue: boolean } }>(
        server,
        token,
        'keepPromise',
        { relationshipId, promiseId: made.promise.id, occurredAt: at(11) },
        'promise { status keptAt overdue }',
      );
      expect(kept.promise).toEqual({ status: 'KEPT', keptAt: at(11), overdue: false });

      const other = await mutate<{ promise: { id: string } }>(
        server,
        token,
        'makePromise',
        { relationshipId, promisor: 'MENTEE', description: 'Draft the plan', dueAt: at(20), occurredAt: at(4) },
        'promise { id }',
      );
      const broken = await mutate<{ promise: { status: string } }>(
        server,
        token,
        'breakPromise',
        { relationshipId, promiseId: other.promise.id, reason: 'ran out of time', occurredAt: at(21) },
        'promise { status }',
      );
      expect(broken.promise.status).toBe('BROKEN');

      const scheduled = await mutate<{ meeting: Record<string, unknown> & { id: string } }>(
        server,
        token,
        'scheduleMeeting',
        { relationshipId, startsAt: at(14), scheduledBy: 'MENTEE', occurredAt: at(5) },
        'meeting { id startsAt durationMinutes mode status scheduledBy cancelledBy noticeHours }',
      );
      expect(scheduled.meeting).toMatchObject({
        durationMinutes: 60,
        mode: 'VIRTUAL',
        status: 'SCHEDULED',
        scheduledBy: 'MENTEE',
        cancelledBy: null,
        noticeHours: null,
      });
      const moved = await mutate<{ meeting: { startsAt: string } }>(
        server,
        token,
        'rescheduleMeeting',
        { relationshipId, meetingId: scheduled.meeting.id, newStartsAt: at(15), by: 'MENTOR', occurredAt: at(6) },
        'meeting { startsAt }',
      );
      expect(moved.meeting.startsAt).toBe(at(15));
      const held = await mutate<{ meeting: { status: string; durationMinutes: number } }>(
        server,
        token,
        'recordMeetingHeld',
        {
          relationshipId,
          meetingId: scheduled.meeting.id,
          durationMinutes: 45,
          mentorMinutesLate: 7,
          occurredAt: at(15.1),
        },
        'meeting { status durationMinutes }',
      );
      expect(held.meeting).toEqual({ status: 'HELD', durationMinutes: 45 });

      const second = await mutate<{ meeting: { id: string } }>(
        server,
        token,
        'scheduleMeeting',
        {
          relationshipId,
          startsAt: at(29),
          scheduledBy: 'MENTOR',
          mode: 'IN_PERSON',
          durationMinutes: 90,
          occurredAt: at(16),
        },
        'meeting { id }',
      );
      const cancelled = await mutate<{ meeting: { status: string; cancelledBy: string; noticeHours: number } }>(
        server,
        token,
        'cancelMeeting',
        {
          relationshipId,
          meetingId: second.meeting.id,
          by: 'MENTOR',
          reason: 'travel',
          occurredAt: iso(Date.parse(at(29)) - 3 * 3_600_000),
        },
        'meeting { status cancelledBy noticeHours }',
      );
      expect(cancelled.meeting).toEqual({ status: 'CANCELLED', cancelledBy: 'MENTOR', noticeHours: 3 });

      const third = await mutate<{ meeting: { id: string } }>(
        server,
        token,
        'scheduleMeeting',
        { relationshipId, startsAt: at(30), scheduledBy: 'MENTOR', occurredAt: at(17) },
        'meeting { id }',
      );
      const missed = await mutate<{ meeting: { status: string } }>(
        server,
        token,
        'recordMeetingMissed',
        { relationshipId, meetingId: third.meeting.id, absent: ['MENTEE'], occurredAt: at(30.5) },
        'meeting { status }',
      );
      expect(missed.meeting.status).toBe('MISSED');

      await mutate(
        server,
        token,
        'submitTrustCheckIn',
        {
          relationshipId,
          respondent: 'MENTEE',
          ability: 5,
          benevolence: 4,
          integrity: 3,
          openness: 4,
          organization: 5,
          occurredAt: at(31),
        },
        'relationship { id }',
      );

      const paused = await mutate<{ relationship: { status: string } }>(
        server,
        token,
        'pauseRelationship',
        { relationshipId, reason: 'parental leave', occurredAt: at(32) },
        'relationship { status }',
      );
      expect(paused.relationship.status).toBe('PAUSED');
      const resumed = await mutate<{ relationship: { status: string } }>(
        server,
        token,
        'resumeRelationship',
        { relationshipId, occurredAt: at(40) },
        'relationship { status }',
      );
      expect(resumed.relationship.status).toBe('ACTIVE');
      const ended = await mutate<{ relationship: { status: string; endReason: string; endedAt: string } }>(
        server,
        token,
        'endRelationship',
        { relationshipId, endedBy: 'PROGRAM', reason: 'COMPLETED', planned: true, occurredAt: at(50) },
        'relationship { status endReason endedAt }',
      );
      expect(ended.relationship).toEqual({ status: 'ENDED', endReason: 'COMPLETED', endedAt: at(50) });

      const read = await server.graphql<{
        relationship: { promises: unknown[]; kept: unknown[]; meetings: unknown[]; held: unknown[] };
      }>(
        `query ($id: ID!) { relationship(id: $id) { promises { id } kept: promises(status: KEPT) { id } meetings { id } held: meetings(status: HELD) { id } } }`,
        { id: relationshipId },
        { token },
      );
      expect(read.data?.relationship).toMatchObject({
        promises: [{}, {}],
        kept: [{ id: made.promise.id }],
        meetings: [{}, {}, {}],
        held: [{ id: scheduled.meeting.id }],
      });
      expect((await history(relationshipId)).totalCount).toBe(18);
    });
  });

  describe('errors', () => {
    it('names each invalid field of a BAD_USER_INPUT', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      const response = await server.graphql(
        'mutation ($input: SubmitTrustCheckInInput!) { submitTrustCheckIn(input: $input) { position } }',
        { input: { relationshipId, respondent: 'MENTEE', ability: 6, benevolence: 0, integrity: 3 } },
        { token },
      );
      expect(response.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        violations: expect.arrayContaining([
          expect.objectContaining({ field: 'input.ability' }),
          expect.objectContaining({ field: 'input.benevolence' }),
        ]),
      });
    });

    it.each([
      ['a description over 2,000 characters', { description: 'x'.repeat(2001) }, 'input.description'],
      ['an id that is not a UUID', { relationshipId: 'nope' }, 'input.relationshipId'],
      ['an occurredAt an hour ahead', { occurredAt: iso(Date.now() + 3_600_000) }, 'input.occurredAt'],
    ])('refuses %s', async (_, change, field) => {
      const { relationshipId } = await arrangeRelationship(server, token);
      const response = await server.graphql(
        'mutation ($input: MakePromiseInput!) { makePromise(input: $input) { position } }',
        {
          input: { relationshipId, promisor: 'MENTOR', description: 'd', dueAt: iso(Date.now() + days(3)), ...change },
        },
        { token },
      );
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.violations).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
      expect((await history(relationshipId)).totalCount).toBe(1);
    });

    it('reports a type-coercion error as BAD_USER_INPUT without violations', async () => {
      const response = await server.graphql(
        'mutation { launchProgram(input: { name: "x", cadenceDays: "often" }) { position } }',
        {},
        { token },
      );
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.violations).toBeUndefined();
    });

    it('reports a DateTime without a zone as BAD_USER_INPUT', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      const response = await server.graphql(
        'mutation ($input: MakePromiseInput!) { makePromise(input: $input) { position } }',
        { input: { relationshipId, promisor: 'MENTOR', description: 'd', dueAt: '2030-01-01T00:00:00' } },
        { token },
      );
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('reports an unknown relationship as NOT_FOUND', async () => {
      const response = await server.graphql(
        'mutation ($input: KeepPromiseInput!) { keepPromise(input: $input) { position } }',
        {
          input: {
            relationshipId: '6b0b7c4e-8a55-4a1e-9a3c-1f1f1f1f1f1f',
            promiseId: '6b0b7c4e-8a55-4a1e-9a3c-2f2f2f2f2f2f',
          },
        },
        { token },
      );
      expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('reports a refused rule as CONFLICT with the rule, and appends nothing', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      const { promise } = await mutate<{ promise: { id: string } }>(
        server,
        token,
        'makePromise',
        { relationshipId, promisor: 'MENTOR', description: 'd', dueAt: iso(Date.now() + days(3)) },
        'promise { id }',
      );
      await mutate(server, token, 'breakPromise', { relationshipId, promiseId: promise.id }, 'position');
      const before = (await history(relationshipId)).totalCount;
      const response = await server.graphql(
        'mutation ($input: KeepPromiseInput!) { keepPromise(input: $input) { position } }',
        { input: { relationshipId, promiseId: promise.id } },
        { token },
      );
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', rule: expect.any(String) });
      expect((await history(relationshipId)).totalCount).toBe(before);
    });
  });

  describe('idempotency', () => {
    it('a retry with the same key and input appends nothing and answers as the first call', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      const input = {
        relationshipId,
        promisor: 'MENTOR',
        description: 'Call the bank',
        dueAt: iso(Date.now() + days(5)),
        idempotencyKey: `k-${relationshipId}`,
      };
      const first = await mutate<{ position: string; promise: { id: string } }>(
        server,
        token,
        'makePromise',
        input,
        'position promise { id }',
      );
      const again = await mutate<{ position: string; promise: { id: string } }>(
        server,
        token,
        'makePromise',
        input,
        'position promise { id }',
      );
      expect(again).toEqual(first);
      expect((await history(relationshipId)).totalCount).toBe(2);
    });

    it('the same key with another input, or for another mutation, is a CONFLICT', async () => {
      const { relationshipId, programId } = await arrangeRelationship(server, token);
      const key = `reused-${relationshipId}`;
      const input = {
        relationshipId,
        promisor: 'MENTOR',
        description: 'A',
        dueAt: iso(Date.now() + days(5)),
        idempotencyKey: key,
      };
      await mutate(server, token, 'makePromise', input, 'position');
      const otherInput = await server.graphql(
        'mutation ($input: MakePromiseInput!) { makePromise(input: $input) { position } }',
        { input: { ...input, description: 'B' } },
        { token },
      );
      expect(otherInput.errors?.[0].extensions?.code).toBe('CONFLICT');
      const otherMutation = await server.graphql(
        'mutation ($input: RecordProgramCommunicationInput!) { recordProgramCommunication(input: $input) { position } }',
        { input: { programId, channel: 'email', summary: 's', idempotencyKey: key } },
        { token },
      );
      expect(otherMutation.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect((await history(relationshipId)).totalCount).toBe(2);
    });
  });

  describe('concurrent writers on one relationship', () => {
    it('30 simultaneous promises are all recorded, with gapless revisions', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          server.graphql(
            'mutation ($input: MakePromiseInput!) { makePromise(input: $input) { promise { id } } }',
            {
              input: {
                relationshipId,
                promisor: i % 2 ? 'MENTOR' : 'MENTEE',
                description: `promise ${i}`,
                dueAt: iso(Date.now() + days(9)),
              },
            },
            { token },
          ),
        ),
      );
      expect(results.filter((r) => r.errors)).toEqual([]);
      const read = await server.graphql<{ relationship: { promises: unknown[] } }>(
        'query ($id: ID!) { relationship(id: $id) { promises { id } } }',
        { id: relationshipId },
        { token },
      );
      expect(read.data?.relationship.promises).toHaveLength(30);
      const { totalCount, edges } = await history(relationshipId);
      expect(totalCount).toBe(31);
      expect(edges.map((e) => e.node.streamRevision)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    });
  });

  describe('the audit trail', () => {
    it('lists every stored event with its metadata and a hash chain starting at null', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      await mutate(
        server,
        token,
        'submitTrustCheckIn',
        { relationshipId, respondent: 'MENTOR', ability: 4, benevolence: 4, integrity: 4 },
        'position',
      );
      const response = await server.graphql<{ relationshipHistory: { edges: { node: Record<string, unknown> }[] } }>(
        `query ($id: ID!) { relationshipHistory(relationshipId: $id) { edges { node {
           id type streamId streamRevision position occurredAt recordedAt actor correlationId causationId data hash previousHash } } } }`,
        { id: relationshipId },
        { token, headers: { 'x-correlation-id': 'audit-test-1' } },
      );
      const [started, checkIn] = response.data!.relationshipHistory.edges.map((e) => e.node);
      expect(started).toMatchObject({
        type: 'RelationshipStarted',
        streamRevision: 0,
        previousHash: null,
        actor: 'e2e-admin',
      });
      expect(checkIn).toMatchObject({ type: 'TrustCheckInSubmitted', streamRevision: 1, previousHash: started.hash });
      expect(JSON.parse(checkIn.data as string)).toMatchObject({ respondent: 'MENTOR', ability: 4 });
      const verified = await server.graphql<{ verifyRelationshipHistory: unknown }>(
        'query ($id: ID!) { verifyRelationshipHistory(relationshipId: $id) { ok eventsChecked firstBrokenEventId reason } }',
        { id: relationshipId },
        { token },
      );
      expect(verified.data?.verifyRelationshipHistory).toEqual({
        ok: true,
        eventsChecked: 2,
        firstBrokenEventId: null,
        reason: null,
      });
    });

    it('names the first event whose stored data was altered by hand in the SQLite file', async () => {
      const { relationshipId } = await arrangeRelationship(server, token);
      for (const ability of [3, 4, 5]) {
        await mutate(
          server,
          token,
          'submitTrustCheckIn',
          { relationshipId, respondent: 'MENTEE', ability, benevolence: 3, integrity: 3 },
          'position',
        );
      }
      const db = new Database(path.join(server.dataDir, 'events.db'));
      const target = db
        .prepare('SELECT id, data FROM events WHERE stream_id = ? AND revision = 2')
        .get(`relationship-${relationshipId}`) as { id: string; data: string };
      db.prepare('UPDATE events SET data = ? WHERE id = ?').run(
        target.data.replace('"ability":4', '"ability":1'),
        target.id,
      );
      db.close();
      const verified = await server.graphql<{
        verifyRelationshipHistory: { ok: boolean; eventsChecked: number; firstBrokenEventId: string };
      }>(
        'query ($id: ID!) { verifyRelationshipHistory(relationshipId: $id) { ok eventsChecked firstBrokenEventId reason } }',
        { id: relationshipId },
        { token },
      );
      expect(verified.data?.verifyRelationshipHistory).toMatchObject({
        ok: false,
        eventsChecked: 3,
        firstBrokenEventId: target.id,
      });
    });
  });
});

describe('the read models across restarts', () => {
  it('resume from their checkpoint without applying anything twice, and rebuild identically from the events', async () => {
    let server = await startTestApp();
    const token = server.token();
    const { relationshipId, programId } = await arrangeRelationship(server, token);
    await mutate(
      server,
      token,
      'makePromise',
      { relationshipId, promisor: 'MENTOR', description: 'one', dueAt: iso(Date.now() + days(2)) },
      'position',
    );
    const query = `query ($id: ID!, $p: ID!) {
      relationship(id: $id) { status promises { description status } meetings { id } mentor { displayName } }
      program(id: $p) { name relationships { totalCount edges { node { id } } } } }`;
    const before = (await server.graphql(query, { id: relationshipId, p: programId }, { token })).data;
    await server.close();

    server = await startTestApp({ dataDir: server.dataDir });
    await mutate(
      server,
      token,
      'makePromise',
      { relationshipId, promisor: 'MENTEE', description: 'two', dueAt: iso(Date.now() + days(2)) },
      'position',
    );
    const afterRestart = (await server.graphql(query, { id: relationshipId, p: programId }, { token })).data as {
      relationship: { promises: unknown[] };
    };
    expect(afterRestart.relationship.promises).toHaveLength(2);
    await server.close();

    fs.rmSync(path.join(server.dataDir, 'read.db'));
    for (const suffix of ['-wal', '-shm']) fs.rmSync(path.join(server.dataDir, `read.db${suffix}`), { force: true });
    server = await startTestApp({ dataDir: server.dataDir });
    const rebuilt = (await server.graphql(query, { id: relationshipId, p: programId }, { token })).data;
    expect(rebuilt).toEqual(afterRestart);
    expect(before).toMatchObject({ program: { relationships: { totalCount: 1 } } });
    await server.close();
    removeDir(server.dataDir);
  });
});

describe('lists', () => {
  it('clamp a page larger than the maximum and refuse a negative one, alike for every list', async () => {
    const server = await startTestApp();
    const token = server.token();
    const { relationshipId, programId } = await arrangeRelationship(server, token);
    const large = await server.graphql<{
      programs: { totalCount: number };
      program: { relationships: { edges: unknown[] } };
      relationshipHistory: { edges: unknown[] };
    }>(
      `query ($p: ID!, $r: ID!) { programs(first: 100000) { totalCount } program(id: $p) { relationships(first: 100000) { edges { cursor } } }
         relationshipHistory(relationshipId: $r, first: 100000) { edges { cursor } } }`,
      { p: programId, r: relationshipId },
      { token },
    );
    expect(large.errors).toBeUndefined();
    expect(large.data?.program.relationships.edges).toHaveLength(1);
    expect(large.data?.relationshipHistory.edges).toHaveLength(1);
    for (const query of [
      'query ($p: ID!) { program(id: $p) { relationships(first: -1) { totalCount } } }',
      'query ($r: ID!) { relationshipHistory(relationshipId: $r, first: -1) { totalCount } }',
      '{ programs(first: -1) { totalCount } }',
    ]) {
      const refused = await server.graphql(query, { p: programId, r: relationshipId }, { token });
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    await server.close();
    removeDir(server.dataDir);
  });
});
