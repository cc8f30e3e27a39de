import { canonicalJson, chainEvents, verifyChain } from './hash-chain';

const stream = () =>
  chainEvents(
    [
      {
        id: 'e1',
        type: 'PromiseMade',
        data: { promiseId: 'p', dueAt: '2026-01-02T00:00:00.000Z' },
        metadata: { actor: 'ada' },
      },
      { id: 'e2', type: 'PromiseKept', data: { promiseId: 'p' }, metadata: { actor: 'ada' } },
      { id: 'e3', type: 'PromiseBroken', data: { promiseId: 'q' }, metadata: { actor: 'bob' } },
    ],
    null,
  );

describe('canonical JSON', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});

describe('a chained stream', () => {
  it('starts with previousHash null and links each event to the one before', () => {
    const events = stream();
    expect(events[0].metadata.previousHash).toBeNull();
    expect(events[1].metadata.previousHash).toBe(events[0].metadata.hash);
    expect(events[2].metadata.previousHash).toBe(events[1].metadata.hash);
    expect(verifyChain(events)).toEqual({ ok: true, eventsChecked: 3, firstBrokenEventId: null, reason: null });
  });

  it('names the event whose data was altered', () => {
    const events = stream();
    events[1] = { ...events[1], data: { promiseId: 'other' } };
    expect(verifyChain(events)).toMatchObject({ ok: false, eventsChecked: 2, firstBrokenEventId: 'e2' });
  });

  it('names the event whose metadata was altered', () => {
    const events = stream();
    events[0] = { ...events[0], metadata: { ...events[0].metadata, actor: 'mallory' } };
    expect(verifyChain(events)).toMatchObject({ ok: false, firstBrokenEventId: 'e1' });
  });

  it('names the event after one that was removed', () => {
    const events = stream();
    expect(verifyChain([events[0], events[2]])).toMatchObject({ ok: false, firstBrokenEventId: 'e3' });
  });

  it('continues a chain across batches', () => {
    const [first] = stream();
    const next = chainEvents([{ id: 'e9', type: 'X', data: {}, metadata: {} }], first.metadata.hash);
    expect(verifyChain([first, ...next]).ok).toBe(true);
  });
});
