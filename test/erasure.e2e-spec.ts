import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { chainEvents, SqliteEventStore } from '@trustline/event-store';
import { runCli } from '../apps/cli/src/trustline.cli';
import { arrangeRelationship, days, iso, mutate } from './support/fixtures';
import { removeDir, startTestApp, type TestApp } from './support/test-app';

// Every guarantee of authorization.md §5, over HTTP against the real server and its real files.

const quiet = { out: () => undefined, err: () => undefined };

/** Every file of the data directory, WAL and SHM files included, as bytes. */
function filesOf(dir: string): { name: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { name: path.relative(dir, file), bytes: fs.readFileSync(file) };
    });
}

function plaintextFound(dir: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const { name, bytes } of filesOf(dir)) {
    for (const secret of secrets) {
      if (bytes.includes(Buffer.from(secret, 'utf8')) || bytes.includes(Buffer.from(secret, 'utf16le')))
        found.push(`${secret} in ${name}`);
    }
  }
  return found;
}

// As of a fixed instant: figures judged against the clock would move between two queries.
const AS_OF = '2026-04-20T00:00:00.000Z';
const FIGURES = `
  trust(direction: MENTEE_IN_MENTOR, asOf: "${AS_OF}") { score integrity benevolence ability uncertainty band }
  other: trust(direction: MENTOR_IN_MENTEE, asOf: "${AS_OF}") { score integrity benevolence ability uncertainty band }
  trustTrajectory(to: "${AS_OF}") { at score delta cause { type } }
  otherTrajectory: trustTrajectory(direction: MENTOR_IN_MENTEE, to: "${AS_OF}") { at score delta cause { type } }
  cadence(asOf: "${AS_OF}") { agreedDays meetingsHeld medianGapDays currentGapDays score needsCheckIn inactive }`;

describe('erasing a participant (authorization.md §5)', () => {
  jest.setTimeout(120_000);
  let server: TestApp;
  let dataDir: string;
  let token: string;
  let ids: Awaited<ReturnType<typeof arrangeRelationship>>;
  let otherRelationshipId: string;
  const start = Date.parse('2026-03-02T09:00:00.000Z');
  const at = (day: number) => iso(start + days(day));
  // Unique strings, so a byte scan finds only what this test wrote.
  const secrets = {
    menteeName: 'Zephyrine Quillfeather',
    menteeEmail: 'zephyrine.quillfeather@example.org',
    promise: 'Introduce Zephyrine to the Brannigan family office',
    broken: 'Forgot the Brannigan spreadsheet',
    cancel: 'Quillfeather dentist emergency',
    pause: 'Quillfeather parental leave',
    note: 'Motive note about the Quillfeather venture',
  };
  const kept = { mentorName: 'Grace Hopper', otherPromise: 'Keep the mentor’s other mentee on track' };

  const relationshipView = async (relationshipId: string) => {
    const response = await server.graphql<{ relationship: Record<string, unknown> }>(
      `query ($id: ID!) { relationship(id: $id) {
          mentor { displayName erased email } mentee { displayName erased email }
          promises { description status } ${FIGURES} } }`,
      { id: relationshipId },
      { token },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.relationship;
  };
  const trend = async () => {
    const response = await server.graphql<{ program: { trustTrend: unknown[] } }>(
      `query ($id: ID!, $from: DateTime, $to: DateTime) { program(id: $id) { trustTrend(bucket: WEEK, from: $from, to: $to) {
          start activeRelationships medianScore p25Score p75Score promisesKeptRate cancellationRate noShowRate medianGapDays } } }`,
      { id: ids.programId, from: at(0), to: at(60) },
      { token },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.program.trustTrend;
  };
  const history = async (relationshipId: string) => {
    const response = await server.graphql<{
      relationshipHistory: { edges: { node: { type: string; data: string } }[] };
      verifyRelationshipHistory: { ok: boolean };
    }>(
      `query ($id: ID!) { relationshipHistory(relationshipId: $id, first: 500) { edges { node { type data } } }
                          verifyRelationshipHistory(relationshipId: $id) { ok eventsChecked } }`,
      { id: relationshipId },
      { token },
    );
    expect(response.errors).toBeUndefined();
    return response.data!;
  };
  const snapshot = async () => {
    const response = await server.graphql<{ relationshipAsOf: Record<string, unknown> }>(
      `query ($id: ID!, $at: DateTime!) { relationshipAsOf(relationshipId: $id, at: $at) {
          eventsApplied promises { description } trust { score } } }`,
      { id: ids.relationshipId, at: at(40) },
      { token },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.relationshipAsOf;
  };

  beforeAll(async () => {
    server = await startTestApp();
    dataDir = server.dataDir;
    token = server.token();
    ids = await arrangeRelationship(server, token, { startedAt: at(0) });
    // The mentee's own email, and a second relationship of the mentor that must be untouched.
    const { relationshipId, mentorId, menteeId, programId } = ids;
    const withEmail = await mutate<{ participant: { id: string } }>(
      server,
      token,
      'registerParticipant',
      { programId, role: 'MENTEE', displayName: secrets.menteeName, email: secrets.menteeEmail, occurredAt: at(0) },
      'participant { id }',
    );
    const pair = await mutate<{ relationship: { id: string } }>(
      server,
      token,
      'startRelationship',
      { programId, mentorId, menteeId: withEmail.participant.id, occurredAt: at(0) },
      'relationship { id }',
    );
    ids = { ...ids, menteeId: withEmail.participant.id, relationshipId: pair.relationship.id };
    otherRelationshipId = relationshipId;
    void menteeId;
    const r = ids.relationshipId;
    await mutate(
      server,
      token,
      'assessMentorMotives',
      {
        relationshipId: r,
        primaryMotive: 'DEVELOP_MENTEE',
        menteeDevelopmentFirst: true,
        note: secrets.note,
        occurredAt: at(1),
      },
      'position',
    );
    const made = await mutate<{ promise: { id: string } }>(
      server,
      token,
      'makePromise',
      { relationshipId: r, promisor: 'MENTOR', description: secrets.promise, dueAt: at(10), occurredAt: at(2) },
      'promise { id }',
    );
    await mutate(
      server,
      token,
      'keepPromise',
      { relationshipId: r, promiseId: made.promise.id, occurredAt: at(9) },
      'position',
    );
    const other = await mutate<{ promise: { id: string } }>(
      server,
      token,
      'makePromise',
      { relationshipId: r, promisor: 'MENTEE', description: 'Draft the plan', dueAt: at(20), occurredAt: at(3) },
      'promise { id }',
    );
    await mutate(
      server,
      token,
      'breakPromise',
      { relationshipId: r, promiseId: other.promise.id, reason: secrets.broken, occurredAt: at(21) },
      'position',
    );
    const meeting = await mutate<{ meeting: { id: string } }>(
      server,
      token,
      'scheduleMeeting',
      { relationshipId: r, startsAt: at(14), scheduledBy: 'MENTEE', occurredAt: at(4) },
      'meeting { id }',
    );
    await mutate(
      server,
      token,
      'recordMeetingHeld',
      { relationshipId: r, meetingId: meeting.meeting.id, occurredAt: at(14.1) },
      'position',
    );
    const cancelled = await mutate<{ meeting: { id: string } }>(
      server,
      token,
      'scheduleMeeting',
      { relationshipId: r, startsAt: at(28), scheduledBy: 'MENTOR', occurredAt: at(15) },
      'meeting { id }',
    );
    await mutate(
      server,
      token,
      'cancelMeeting',
      { relationshipId: r, meetingId: cancelled.meeting.id, by: 'MENTEE', reason: secrets.cancel, occurredAt: at(27) },
      'position',
    );
    await mutate(
      server,
      token,
      'submitTrustCheckIn',
      {
        relationshipId: r,
        respondent: 'MENTEE',
        ability: 4,
        benevolence: 5,
        integrity: 4,
        openness: 4,
        organization: 3,
        occurredAt: at(16),
      },
      'position',
    );
    await mutate(
      server,
      token,
      'submitTrustCheckIn',
      { relationshipId: r, respondent: 'MENTOR', ability: 3, benevolence: 4, integrity: 5, occurredAt: at(17) },
      'position',
    );
    await mutate(
      server,
      token,
      'pauseRelationship',
      { relationshipId: r, until: at(35), reason: secrets.pause, occurredAt: at(30) },
      'position',
    );
    await mutate(server, token, 'resumeRelationship', { relationshipId: r, occurredAt: at(33) }, 'position');
    await mutate(
      server,
      token,
      'makePromise',
      {
        relationshipId: otherRelationshipId,
        promisor: 'MENTOR',
        description: kept.otherPromise,
        dueAt: at(40),
        occurredAt: at(5),
      },
      'position',
    );
  });
  afterAll(async () => {
    await server?.close();
    removeDir(dataDir);
  });

  it('stores personal data and private content only sealed, and shows them to the caller before the erasure', async () => {
    expect(plaintextFound(dataDir, Object.values(secrets))).toEqual([]);
    const view = await relationshipView(ids.relationshipId);
    expect(view.mentee).toEqual({ displayName: secrets.menteeName, erased: false, email: secrets.menteeEmail });
    expect((view.promises as { description: string }[]).map((p) => p.description)).toContain(secrets.promise);
    const { relationshipHistory } = await history(ids.relationshipId);
    expect(relationshipHistory.edges.map((edge) => edge.node.data).join('\n')).toContain(secrets.note);
  });

  describe('once the mentee is erased', () => {
    let before: {
      view: Record<string, unknown>;
      other: Record<string, unknown>;
      trend: unknown[];
      snapshot: Record<string, unknown>;
    };
    let erasure: { position: string; participant: { displayName: string; erased: boolean } };
    let eventsBefore: { stream_id: string; n: number }[];
    const eventsPerStream = () => {
      const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
      try {
        return db
          .prepare('SELECT stream_id, count(*) AS n FROM events GROUP BY stream_id ORDER BY stream_id')
          .all() as { stream_id: string; n: number }[];
      } finally {
        db.close();
      }
    };

    beforeAll(async () => {
      before = {
        view: await relationshipView(ids.relationshipId),
        other: await relationshipView(otherRelationshipId),
        trend: await trend(),
        snapshot: await snapshot(),
      };
      eventsBefore = eventsPerStream();
      erasure = await mutate(
        server,
        token,
        'eraseParticipant',
        { participantId: ids.menteeId, reason: 'Erasure request ticket 4711' },
        'position participant { displayName erased }',
      );
    });

    const figures = (view: Record<string, unknown>) => ({
      trust: view.trust,
      other: view.other,
      trustTrajectory: view.trustTrajectory,
      otherTrajectory: view.otherTrajectory,
      cadence: view.cadence,
    });

    const expectErased = async () => {
      const view = await relationshipView(ids.relationshipId);
      expect(view.mentee).toEqual({ displayName: 'Erased participant', erased: true, email: null });
      expect(view.mentor).toEqual({ displayName: kept.mentorName, erased: false, email: null });
      expect((view.promises as { description: string | null }[]).map((p) => p.description)).toEqual([null, null]);
      expect((view.promises as { status: string }[]).map((p) => p.status)).toEqual(
        (before.view.promises as { status: string }[]).map((p) => p.status),
      );
      expect(figures(view)).toEqual(figures(before.view));
      // The mentor's other relationship keeps its private content.
      expect(await relationshipView(otherRelationshipId)).toEqual(before.other);
      expect(await trend()).toEqual(before.trend);
      const asOf = await snapshot();
      expect(asOf).toEqual({
        ...before.snapshot,
        promises: (before.snapshot.promises as unknown[]).map(() => ({ description: null })),
      });
      const { relationshipHistory, verifyRelationshipHistory } = await history(ids.relationshipId);
      expect(verifyRelationshipHistory.ok).toBe(true);
      const data = relationshipHistory.edges.map((edge) => JSON.parse(edge.node.data) as Record<string, unknown>);
      for (const type of [
        'PromiseMade',
        'PromiseBroken',
        'MeetingCancelled',
        'RelationshipPaused',
        'MentorMotivesAssessed',
      ]) {
        const event = data[relationshipHistory.edges.findIndex((edge) => edge.node.type === type)];
        expect(event?.description ?? event?.reason ?? event?.note ?? null).toBeNull();
      }
      expect(data.find((_, i) => relationshipHistory.edges[i].node.type === 'TrustCheckInSubmitted')).toMatchObject({
        ability: 4,
        benevolence: 5,
      });
      expect(plaintextFound(dataDir, Object.values(secrets))).toEqual([]);
    };

    it('answers with the erased participant and appends one event to its own stream only', async () => {
      expect(erasure.participant).toEqual({ displayName: 'Erased participant', erased: true });
      const response = await server.graphql<{ participant: { displayName: string; erased: boolean } }>(
        `query ($id: ID!) { participant(id: $id) { displayName erased } }`,
        { id: ids.menteeId },
        { token },
      );
      expect(response.data!.participant).toEqual({ displayName: 'Erased participant', erased: true });
      const own = `participant-${ids.menteeId}`;
      expect(eventsPerStream()).toEqual(
        eventsBefore.map((row) => (row.stream_id === own ? { ...row, n: row.n + 1 } : row)),
      );
    });

    it('nulls the private content for everyone and keeps every figure, the chain and the other party', expectErased);

    it('holds after a rebuild of the read models and a restart', async () => {
      await server.close();
      expect(await runCli(['rebuild', '--data-dir', dataDir], quiet)).toBe(0);
      server = await startTestApp({ dataDir });
      token = server.token();
      await expectErased();
    });

    it('refuses anyone but an administrator, and appends nothing', async () => {
      for (const roles of [['AUDITOR'], ['PROGRAM_MANAGER'], ['MENTOR']]) {
        const response = await server.graphql(
          `mutation ($input: EraseParticipantInput!) { eraseParticipant(input: $input) { position } }`,
          { input: { participantId: ids.mentorId } },
          { token: server.token({ roles, sub: 'someone' } as never) },
        );
        expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
      const mentor = await server.graphql<{ participant: { erased: boolean } }>(
        `query ($id: ID!) { participant(id: $id) { erased } }`,
        { id: ids.mentorId },
        { token },
      );
      expect(mentor.data!.participant.erased).toBe(false);
    });
  });
});

describe('erasing a participant registered before personal data was sealed (schema version 1)', () => {
  jest.setTimeout(60_000);
  let server: TestApp;
  let dataDir: string;
  const participantId = '5d0c8c3e-0d3e-4b7a-9d35-8a0f3c5e2b61';
  const legacyName = 'Ottoline Legacyname';

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-e2e-legacy-'));
    // Written as the previous version did: plaintext, schemaVersion 1, hash-chained.
    const store = SqliteEventStore.open({ file: path.join(dataDir, 'events.db') });
    const occurredAt = '2025-01-06T09:00:00.000Z';
    const programId = 'a3f1e0b2-6c4d-4e5f-8a9b-0c1d2e3f4a5b';
    const event = (type: string, data: Record<string, unknown>) => ({
      id: randomUUID(),
      type,
      data: { ...data, occurredAt },
      metadata: {
        occurredAt,
        recordedAt: occurredAt,
        actor: 'before',
        correlationId: 'c',
        causationId: 'c',
        schemaVersion: 1,
      },
    });
    await store.appendToStream(
      `program-${programId}`,
      chainEvents(
        [event('ProgramLaunched', { programId, name: 'Old cohort', cadenceDays: 14, sessionMinutes: 60 })],
        null,
      ),
      { expectedRevision: 'no_stream' },
    );
    await store.appendToStream(
      `participant-${participantId}`,
      chainEvents(
        [
          event('ParticipantRegistered', {
            participantId,
            programId,
            role: 'MENTEE',
            displayName: legacyName,
            email: null,
          }),
        ],
        null,
      ),
      { expectedRevision: 'no_stream' },
    );
    await store.close();
    server = await startTestApp({ dataDir });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(dataDir);
  });

  it('reads the old event through the upcaster, hides it once erased and says it could not be shredded', async () => {
    const token = server.token();
    const read = () =>
      server.graphql<{ participant: { displayName: string; erased: boolean } }>(
        `query ($id: ID!) { participant(id: $id) { displayName erased } }`,
        { id: participantId },
        { token },
      );
    expect((await read()).data!.participant).toEqual({ displayName: legacyName, erased: false });
    await mutate(server, token, 'eraseParticipant', { participantId }, 'position');
    expect((await read()).data!.participant).toEqual({ displayName: 'Erased participant', erased: true });
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    const erasure = JSON.parse(
      db.prepare("SELECT data FROM events WHERE type = 'ParticipantErased'").pluck().get() as string,
    );
    db.close();
    expect(erasure).toMatchObject({
      participantId,
      legacyPlaintextEvents: 1,
      erasedSubjects: [`participant-${participantId}`],
    });
  });
});
