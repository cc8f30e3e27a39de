import type { RecordedEvent } from './event-store.port';
import { upcast } from './event-types';

const stored = (schemaVersion: number, data: unknown): RecordedEvent => ({
  id: 'e',
  type: 'MeetingHeld',
  streamId: 'relationship-x',
  revision: 0n,
  position: 1n,
  data,
  metadata: { schemaVersion },
});

describe('upcasting a stored event', () => {
  // A hypothetical history: v2 renamed `late` to `mentorMinutesLate`, v3 added `menteeMinutesLate`.
  const upcasters = {
    MeetingHeld: {
      1: (data: unknown) => {
        const { late, ...rest } = data as { late: number };
        return { ...rest, mentorMinutesLate: late };
      },
      2: (data: unknown) => ({ ...(data as object), menteeMinutesLate: 0 }),
    },
  };

  it('lifts an old event through every version to the current shape', () => {
    const lifted = upcast(stored(1, { late: 7 }), upcasters, { MeetingHeld: 3 });
    expect(lifted.data).toEqual({ mentorMinutesLate: 7, menteeMinutesLate: 0 });
    expect(lifted.metadata.schemaVersion).toBe(3);
  });

  it('leaves an event at the current version untouched', () => {
    const event = stored(3, { mentorMinutesLate: 1, menteeMinutesLate: 2 });
    expect(upcast(event, upcasters, { MeetingHeld: 3 })).toBe(event);
  });

  it('refuses to guess when a step has no upcaster', () => {
    expect(() => upcast(stored(1, {}), {}, { MeetingHeld: 2 })).toThrow(/No upcaster for MeetingHeld from schema version 1/);
  });
});

describe('a participant registered before personal data was sealed (schema version 1)', () => {
  const participantId = '0b9d4c53-6f7e-4c1a-9a57-2f4a3f0f6d11';
  const legacy: RecordedEvent = {
    id: 'e',
    type: 'ParticipantRegistered',
    streamId: `participant-${participantId}`,
    revision: 0n,
    position: 1n,
    data: { participantId, programId: 'p', role: 'MENTEE', displayName: 'Grace Hopper', email: null, occurredAt: 'o' },
    metadata: { schemaVersion: 1 },
  };

  it('reads at version 2 with its plaintext marked as legacy of its own subject, everything else as stored', () => {
    const lifted = upcast(legacy);
    expect(lifted.metadata.schemaVersion).toBe(2);
    expect(lifted.data).toEqual({
      ...(legacy.data as object),
      displayName: `tl1:plain:participant-${participantId}:Grace Hopper`,
      email: null,
    });
    expect(legacy.data).toMatchObject({ displayName: 'Grace Hopper' });
  });
});
