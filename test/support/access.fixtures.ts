import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { mutate } from './fixtures';
import type { TestApp } from './test-app';

// Callers of every kind authorization.md distinguishes, for the access tests.

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs256 = (secret: string, header: object, claims: object) => {
  const input = `${base64url(header)}.${base64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

/** Tokens that must never get in, each for its own reason (null: no token at all). */
export function invalidIdentities(server: TestApp): [string, string | null][] {
  const secret = fs.readFileSync(path.join(server.dataDir, 'jwt-secret'), 'utf8').trim();
  const admin = { sub: 'intruder', roles: ['ADMIN'] };
  const inAnHour = Math.floor(Date.now() / 1000) + 3600;
  return [
    ['anonymous', null],
    [
      'a bad signature',
      hs256('not-the-server-secret-but-long-enough', { alg: 'HS256', typ: 'JWT' }, { ...admin, exp: inAnHour }),
    ],
    ['an expired token', server.token({ sub: 'intruder' }, -120)],
    ['alg none', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...admin, exp: inAnHour })}.`],
    ['no exp', hs256(secret, { alg: 'HS256', typ: 'JWT' }, admin)],
    ['an empty sub', hs256(secret, { alg: 'HS256', typ: 'JWT' }, { ...admin, sub: '', exp: inAnHour })],
    ['garbage', 'not-a-jwt'],
  ];
}

export interface World {
  programId: string;
  otherProgramId: string;
  mentorId: string;
  menteeId: string;
  otherMenteeId: string;
  outsiderId: string;
  relationshipId: string;
  otherRelationshipId: string;
  /** Mentor m with the other mentee of P: m's counterpart, not e's. */
  secondRelationshipId: string;
  promiseId: string;
  meetingId: string;
  /** The free text recorded in the relationship: no program manager may ever see it. */
  privateStrings: string[];
  emails: { mentor: string; mentee: string };
}

/**
 * Program P with a relationship R (mentor m, mentee e) full of private content
 * and check-ins both ways, a second mentee of P, and a program Q with its own
 * relationship and participant. Recorded by an ADMIN.
 */
export async function arrangeWorld(server: TestApp): Promise<World> {
  const admin = server.token();
  const tag = Math.random().toString(36).slice(2, 8);
  const text = (what: string) => `PRIVATE-${what}-${tag}`;
  const day = 86_400_000;
  const at = (days: number) => new Date(Date.now() - 40 * day + days * day).toISOString();
  const launch = (name: string) =>
    mutate<{ program: { id: string } }>(
      server,
      admin,
      'launchProgram',
      { name, occurredAt: at(0) },
      'program { id }',
    ).then((r) => r.program.id);
  const register = (programId: string, role: string, displayName: string, email?: string) =>
    mutate<{ participant: { id: string } }>(
      server,
      admin,
      'registerParticipant',
      { programId, role, displayName, occurredAt: at(0), ...(email ? { email } : {}) },
      'participant { id }',
    ).then((r) => r.participant.id);
  const start = (programId: string, mentorId: string, menteeId: string) =>
    mutate<{ relationship: { id: string } }>(
      server,
      admin,
      'startRelationship',
      { programId, mentorId, menteeId, occurredAt: at(0) },
      'relationship { id }',
    ).then((r) => r.relationship.id);

  const programId = await launch('Program P');
  const otherProgramId = await launch('Program Q');
  const emails = { mentor: `grace.${tag}@example.org`, mentee: `ada.${tag}@example.org` };
  const mentorId = await register(programId, 'MENTOR', 'Grace Hopper', emails.mentor);
  const menteeId = await register(programId, 'MENTEE', 'Ada Lovelace', emails.mentee);
  const otherMenteeId = await register(programId, 'MENTEE', 'Mary Somerville');
  const outsiderMentorId = await register(otherProgramId, 'MENTOR', 'Alan Turing');
  const outsiderId = await register(otherProgramId, 'MENTEE', 'Joan Clarke');
  const relationshipId = await start(programId, mentorId, menteeId);
  const otherRelationshipId = await start(otherProgramId, outsiderMentorId, outsiderId);
  const secondRelationshipId = await start(programId, mentorId, otherMenteeId);

  const relationship = { relationshipId };
  const act = (mutation: string, input: Record<string, unknown>, selection = 'position') =>
    mutate<Record<string, { id: string }>>(server, admin, mutation, { ...relationship, ...input }, selection);
  await act('assessMentorMotives', {
    primaryMotive: 'GIVE_BACK',
    menteeDevelopmentFirst: true,
    note: text('motive'),
    occurredAt: at(1),
  });
  const promise = await act(
    'makePromise',
    { promisor: 'MENTOR', description: text('promise'), dueAt: at(30), occurredAt: at(2) },
    'promise { id }',
  );
  const broken = await act(
    'makePromise',
    { promisor: 'MENTEE', description: text('broken-promise'), dueAt: at(5), occurredAt: at(2) },
    'promise { id }',
  );
  await act('breakPromise', { promiseId: broken.promise.id, reason: text('break-reason'), occurredAt: at(6) });
  const meeting = await act(
    'scheduleMeeting',
    { startsAt: at(35), scheduledBy: 'MENTOR', occurredAt: at(3) },
    'meeting { id }',
  );
  const cancelled = await act(
    'scheduleMeeting',
    { startsAt: at(10), scheduledBy: 'MENTEE', occurredAt: at(3) },
    'meeting { id }',
  );
  await act('cancelMeeting', {
    meetingId: cancelled.meeting.id,
    by: 'MENTEE',
    reason: text('cancel-reason'),
    occurredAt: at(8),
  });
  await act('submitTrustCheckIn', {
    respondent: 'MENTEE',
    ability: 4,
    benevolence: 5,
    integrity: 4,
    occurredAt: at(9),
  });
  await act('submitTrustCheckIn', {
    respondent: 'MENTOR',
    ability: 2,
    benevolence: 3,
    integrity: 2,
    occurredAt: at(9),
  });
  await act('pauseRelationship', { reason: text('pause-reason'), occurredAt: at(11) });
  await act('resumeRelationship', { occurredAt: at(12) });
  return {
    programId,
    otherProgramId,
    mentorId,
    menteeId,
    otherMenteeId,
    outsiderId,
    relationshipId,
    otherRelationshipId,
    secondRelationshipId,
    promiseId: promise.promise.id,
    meetingId: meeting.meeting.id,
    privateStrings: ['motive', 'promise', 'broken-promise', 'break-reason', 'cancel-reason', 'pause-reason'].map(text),
    emails,
  };
}

/** Valid tokens of every role, in and out of the world's scope. */
export function identities(server: TestApp, world: World) {
  return {
    admin: server.token({ sub: 'admin-1', roles: ['ADMIN'] }),
    auditorOfAll: server.token({ sub: 'auditor-all', roles: ['AUDITOR'] }),
    auditorOfP: server.token({ sub: 'auditor-p', roles: ['AUDITOR'], programIds: [world.programId] }),
    auditorOfQ: server.token({ sub: 'auditor-q', roles: ['AUDITOR'], programIds: [world.otherProgramId] }),
    managerOfP: server.token({ sub: 'manager-p', roles: ['PROGRAM_MANAGER'], programIds: [world.programId] }),
    managerOfQ: server.token({ sub: 'manager-q', roles: ['PROGRAM_MANAGER'], programIds: [world.otherProgramId] }),
    mentor: server.token({ sub: 'mentor-m', roles: ['MENTOR'], participantId: world.mentorId }),
    mentee: server.token({ sub: 'mentee-e', roles: ['MENTEE'], participantId: world.menteeId }),
    otherMentee: server.token({ sub: 'mentee-e2', roles: ['MENTEE'], participantId: world.otherMenteeId }),
    outsider: server.token({ sub: 'mentee-x', roles: ['MENTEE'], participantId: world.outsiderId }),
    noRoles: server.token({ sub: 'nobody', roles: [] }),
  };
}
export type Identity = keyof ReturnType<typeof identities>;

/** How many events the store holds: a refused mutation must leave it unchanged. */
export async function countEvents(server: TestApp): Promise<number> {
  return (await server.app.get<EventStore>(EVENT_STORE).readAll()).length;
}

export function wsClient(server: TestApp, token: string | null, onClosed?: (code: number) => void): Client {
  return createClient({
    url: server.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    on: { closed: (event) => onClosed?.((event as { code: number }).code) },
  });
}

export type SubscriptionOutcome =
  { kind: 'next'; data: unknown } | { kind: 'error'; error: unknown } | { kind: 'complete' };

/** The first thing a subscription gets: a point, an error (GraphQL errors or a close event), or its end. */
export function firstOutcome(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Promise<SubscriptionOutcome> {
  return new Promise((resolve) => {
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          dispose();
          resolve(value.errors ? { kind: 'error', error: value.errors } : { kind: 'next', data: value.data });
        },
        error: (error) => resolve({ kind: 'error', error }),
        complete: () => resolve({ kind: 'complete' }),
      },
    );
  });
}
