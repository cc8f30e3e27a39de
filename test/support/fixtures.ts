import { MS_PER_DAY } from '@trustline/domain';
import type { TestApp } from './test-app';

// Builders for the common arrangement: a program with a mentor, a mentee and a relationship.

export const days = (n: number) => n * MS_PER_DAY;
export const iso = (ms: number) => new Date(ms).toISOString();

export async function mutate<T = Record<string, unknown>>(
  server: TestApp,
  token: string,
  mutation: string,
  input: Record<string, unknown>,
  selection: string,
): Promise<T> {
  const response = await server.graphql<Record<string, T>>(
    `mutation ($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} } }`,
    { input },
    { token },
  );
  if (response.errors) throw new Error(`${mutation} failed: ${JSON.stringify(response.errors)}`);
  return response.data![mutation];
}

export interface Arranged {
  programId: string;
  mentorId: string;
  menteeId: string;
  relationshipId: string;
}

export async function arrangeRelationship(
  server: TestApp,
  token: string,
  options: { startedAt?: string; cadenceDays?: number } = {},
): Promise<Arranged> {
  const occurredAt = options.startedAt;
  const program = await mutate<{ program: { id: string } }>(
    server,
    token,
    'launchProgram',
    { name: 'Spring cohort', cadenceDays: options.cadenceDays ?? 14, ...(occurredAt ? { occurredAt } : {}) },
    'program { id }',
  );
  const register = (role: string, displayName: string) =>
    mutate<{ participant: { id: string } }>(
      server,
      token,
      'registerParticipant',
      { programId: program.program.id, role, displayName, ...(occurredAt ? { occurredAt } : {}) },
      'participant { id }',
    );
  const mentor = await register('MENTOR', 'Grace Hopper');
  const mentee = await register('MENTEE', 'Ada Lovelace');
  const relationship = await mutate<{ relationship: { id: string } }>(
    server,
    token,
    'startRelationship',
    {
      programId: program.program.id,
      mentorId: mentor.participant.id,
      menteeId: mentee.participant.id,
      ...(occurredAt ? { occurredAt } : {}),
    },
    'relationship { id }',
  );
  return {
    programId: program.program.id,
    mentorId: mentor.participant.id,
    menteeId: mentee.participant.id,
    relationshipId: relationship.relationship.id,
  };
}
