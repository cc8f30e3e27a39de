import type { RecordedEvent } from '../event-store.port';
import { DOMAIN_EVENTS, type EventRegistry } from './event-registry';
import { readFact, UnreadableEvent, upcastStored } from './event-reader';

const stored = (type: string, schemaVersion: number | undefined, data: unknown): RecordedEvent => ({
  id: 'e',
  type,
  streamId: 'relationship-x',
  revision: 3n,
  position: 9n,
  data,
  metadata: schemaVersion === undefined ? {} : { schemaVersion, recordedAt: '2030-01-02T00:00:00.000Z' },
});

describe('upcasting a stored event', () => {
  // A hypothetical history: v2 renamed `late` to `mentorMinutesLate`, v3 added `menteeMinutesLate`.
  const registry: EventRegistry = {
    MeetingHeld: {
      stream: 'relationship',
      version: 3,
      upcasters: {
        1: (data: unknown) => {
          const { late, ...rest } = data as { late: number };
          return { ...rest, mentorMinutesLate: late };
        },
        2: (data: unknown) => ({ ...(data as object), menteeMinutesLate: 0 }),
      },
    },
  };

  it('lifts an old event through every version to the current shape', () => {
    const lifted = upcastStored(stored('MeetingHeld', 1, { late: 7 }), registry);
    expect(lifted.data).toEqual({ mentorMinutesLate: 7, menteeMinutesLate: 0 });
    expect(lifted.metadata.schemaVersion).toBe(3);
  });

  it('reads an event without a recorded version as version 1', () => {
    expect(upcastStored(stored('MeetingHeld', undefined, { late: 2 }), registry).data).toEqual({
      mentorMinutesLate: 2,
      menteeMinutesLate: 0,
    });
  });

  it('leaves an event at the current version untouched', () => {
    const event = stored('MeetingHeld', 3, { mentorMinutesLate: 1, menteeMinutesLate: 2 });
    expect(upcastStored(event, registry)).toBe(event);
  });

  it('refuses to guess when a step has no upcaster', () => {
    const gap: EventRegistry = { MeetingHeld: { stream: 'relationship', version: 2, upcasters: {} } };
    expect(() => upcastStored(stored('MeetingHeld', 1, {}), gap)).toThrow(
      /No upcaster for MeetingHeld from schema version 1/,
    );
  });
});

describe('MeetingCancelled stored at version 1', () => {
  const v1 = {
    relationshipId: 'r',
    meetingId: 'm',
    startsAt: '2030-01-10T10:00:00.000Z',
    by: 'MENTEE',
    reason: 'Travel',
    occurredAt: '2030-01-09T04:00:00.000Z',
  };

  it('reads at the current version, with the notice it gave and its plaintext reason marked as legacy', () => {
    const fact = readFact(stored('MeetingCancelled', 1, v1), 'relationship');
    expect(fact?.event).toEqual({
      type: 'MeetingCancelled',
      data: { ...v1, reason: 'tl1:plain:relationship-r:Travel', noticeHours: 30 },
    });
    expect(fact?.stored.metadata.schemaVersion).toBe(DOMAIN_EVENTS.MeetingCancelled.version);
  });

  it('gives a negative notice for a cancellation after the start', () => {
    const late = { ...v1, occurredAt: '2030-01-10T10:30:00.000Z' };
    expect(readFact(stored('MeetingCancelled', 1, late), 'relationship')?.event.data).toMatchObject({
      noticeHours: -0.5,
    });
  });
});

describe('reading a stored event as a domain fact', () => {
  const kept = {
    relationshipId: 'r',
    promiseId: 'p',
    promisor: 'MENTOR',
    dueAt: '2030-01-09T00:00:00.000Z',
    occurredAt: '2030-01-01T00:00:00.000Z',
  };

  it('carries its identity, its place in the order and when the server learned of it', () => {
    expect(readFact(stored('PromiseKept', 1, kept), 'relationship')).toMatchObject({
      eventId: 'e',
      position: 9n,
      revision: 3,
      recordedAt: '2030-01-02T00:00:00.000Z',
      event: { type: 'PromiseKept', data: kept },
    });
  });

  it('falls back to the fact’s occurredAt when the envelope has no recordedAt', () => {
    expect(readFact(stored('PromiseKept', undefined, kept), 'relationship')?.recordedAt).toBe(kept.occurredAt);
  });

  describe('strictly (the write path, the auditor)', () => {
    it('refuses a type the stream type does not hold', () => {
      expect(() => readFact(stored('PromiseKept', 1, kept), 'program')).toThrow(UnreadableEvent);
      expect(() => readFact(stored('Unheard', 1, {}), 'relationship')).toThrow(/unknown type Unheard/);
    });

    it('refuses a version written by newer code', () => {
      expect(() => readFact(stored('PromiseKept', 7, kept), 'relationship')).toThrow(/schema version 7/);
    });
  });

  describe('leniently (the projections)', () => {
    it('passes over what the domain does not know', () => {
      expect(readFact(stored('Unheard', 1, {}), 'relationship', 'lenient')).toBeNull();
      expect(readFact(stored('PromiseKept', 1, kept), 'participant', 'lenient')).toBeNull();
    });
  });
});
