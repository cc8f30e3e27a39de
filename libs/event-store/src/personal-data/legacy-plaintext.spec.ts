import type { RecordedEvent } from '../event-store.port';
import { upcastStored } from '../reading/event-reader';

const participantId = '0b9d4c53-6f7e-4c1a-9a57-2f4a3f0f6d11';
const relationshipId = '33333333-3333-4333-8333-333333333333';
const stored = (type: string, schemaVersion: number, data: Record<string, unknown>): RecordedEvent => ({
  id: 'e',
  type,
  streamId: 'x',
  revision: 0n,
  position: 1n,
  data,
  metadata: { schemaVersion },
});

describe('an event stored before personal data was sealed', () => {
  it('a participant registered at version 1 reads at version 2, its plaintext marked as legacy of its own subject', () => {
    const data = {
      participantId,
      programId: 'p',
      role: 'MENTEE',
      displayName: 'Grace Hopper',
      email: null,
      occurredAt: 'o',
    };
    const lifted = upcastStored(stored('ParticipantRegistered', 1, data));
    expect(lifted.metadata.schemaVersion).toBe(2);
    expect(lifted.data).toEqual({
      ...data,
      displayName: `tl1:plain:participant-${participantId}:Grace Hopper`,
      email: null,
    });
  });

  it('a cancellation at version 1 passes through the notice upcaster, then has its reason marked (version 3)', () => {
    const data = {
      relationshipId,
      meetingId: 'm',
      startsAt: '2026-01-02T10:00:00.000Z',
      by: 'MENTOR',
      reason: 'Flu',
      occurredAt: '2026-01-01T10:00:00.000Z',
    };
    const lifted = upcastStored(stored('MeetingCancelled', 1, data));
    expect(lifted.metadata.schemaVersion).toBe(3);
    expect(lifted.data).toMatchObject({ noticeHours: 24, reason: `tl1:plain:relationship-${relationshipId}:Flu` });
  });

  it('an event sealed already is left as stored', () => {
    const event = stored('PromiseMade', 2, { relationshipId, description: 'tl1:enc:relationship-x:1:aa:bb' });
    expect(upcastStored(event)).toBe(event);
  });
});
