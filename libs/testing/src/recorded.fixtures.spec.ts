import { at } from './fixtures/common.fixtures';
import { eventIdAt, recordAll } from './recorded.fixtures';

describe('recording events for a projection test', () => {
  const events = [
    { type: 'Noted', data: { occurredAt: at(1) } },
    { type: 'Noted', data: { occurredAt: at(2) } },
  ];

  it('numbers positions and revisions in order and records each at its occurrence', () => {
    expect(recordAll(events, { firstPosition: 10n, firstRevision: 3 })).toEqual([
      { eventId: eventIdAt(10n), position: 10n, revision: 3, recordedAt: at(1), event: events[0] },
      { eventId: eventIdAt(11n), position: 11n, revision: 4, recordedAt: at(2), event: events[1] },
    ]);
  });

  it('records every event at a given instant, as a late recording', () => {
    expect(recordAll(events, { recordedAt: at(9) }).map((recorded) => recorded.recordedAt)).toEqual([at(9), at(9)]);
  });

  it('gives distinct, UUID-shaped ids', () => {
    const [first, second] = recordAll(events);
    expect(first.eventId).not.toBe(second.eventId);
    expect(first.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('needs a recordedAt for an event without occurredAt', () => {
    expect(() => recordAll([{ type: 'Bare', data: {} }])).toThrow('Give a recordedAt');
  });
});
