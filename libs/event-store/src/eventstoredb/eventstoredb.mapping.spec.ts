import {
  AccessDeniedError,
  type AllStreamRecordedEvent,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { InvalidAppend, StoreUnavailable, StreamNotFound, WrongExpectedVersion } from '../event-store.errors';
import { serialiseForAppend } from '../event-validation';
import {
  isTransientSubscriptionError,
  isUserEvent,
  positionOf,
  toActualRevision,
  toEventData,
  toReadPosition,
  toRecordedEvent,
  toStoreError,
  trustedAppendPosition,
} from './eventstoredb.mapping';

const NO_POSITION = 2n ** 64n - 1n;
const GRPC_UNAVAILABLE = 14;

const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });
const ID = '6f1c3a52-5b8e-4c1e-9a0f-2d7b8e9c1a01';

const clientEvent = (overrides: Partial<AllStreamRecordedEvent> = {}): AllStreamRecordedEvent =>
  ({
    streamId: 'relationship-1',
    id: ID,
    isJson: true,
    revision: 3n,
    type: 'PromiseKept',
    created: new Date(0),
    data: { promiseId: 'p1' },
    metadata: { actor: 'ada' },
    position: { commit: 1234n, prepare: 1234n },
    ...overrides,
  }) as AllStreamRecordedEvent;

describe('a checkpoint', () => {
  it('that is absent reads $all from its start', () => {
    expect(toReadPosition(undefined)).toBe(START);
  });

  it('addresses the event at that commit position, prepare equal to commit', () => {
    expect(toReadPosition(4096n)).toEqual({ commit: 4096n, prepare: 4096n });
  });
});

describe('the position of a read event', () => {
  it('is the commit position of the recorded event', () => {
    expect(positionOf({ event: { position: { commit: 77n, prepare: 77n } }, commitPosition: 99n })).toBe(77n);
  });

  it('falls back to the resolved event commit position when the record has none', () => {
    expect(positionOf({ event: {}, commitPosition: 99n })).toBe(99n);
  });

  it.each([
    ['-1 sent as an unsigned 64-bit number', NO_POSITION],
    ['0, which older servers report for stream reads', 0n],
  ])('is unknown when the server reports %s', (_, commit) => {
    expect(positionOf({ event: { position: { commit, prepare: commit } } })).toBeUndefined();
  });
});

describe('the position an append reports', () => {
  it('is trusted when commit and prepare agree', () => {
    expect(trustedAppendPosition({ commit: 500n, prepare: 500n })).toBe(500n);
  });

  it.each([
    ['missing', undefined],
    ['-1 in disguise', { commit: NO_POSITION, prepare: NO_POSITION }],
    ['part of an explicit transaction', { commit: 900n, prepare: 500n }],
  ])('is looked up instead when %s', (_, position) => {
    expect(trustedAppendPosition(position)).toBeUndefined();
  });
});

describe('system events', () => {
  it.each([
    ['a link', { type: '$>', streamId: '$ce-relationship' }],
    ['stream metadata', { type: '$metadata', streamId: '$$relationship-1' }],
    ['a user-typed event in a system stream', { type: 'Whatever', streamId: '$stats-127.0.0.1:2113' }],
    ['a system-typed event in a user stream', { type: '$statistics-collected', streamId: 'relationship-1' }],
  ])('leave out %s', (_, event) => {
    expect(isUserEvent(event)).toBe(false);
  });

  it('keep events of our own streams', () => {
    expect(isUserEvent({ type: 'PromiseKept', streamId: 'relationship-1' })).toBe(true);
  });
});

describe('an event to append', () => {
  const [serialised] = serialiseForAppend('relationship-1', [
    { id: ID.toUpperCase(), type: 'PromiseMade', data: { due: '2025-01-01' }, metadata: { actor: 'ada' } },
  ]);

  it('is sent as JSON with its own id', () => {
    expect(toEventData(serialised)).toMatchObject({
      id: ID,
      contentType: 'application/json',
      type: 'PromiseMade',
      data: { due: '2025-01-01' },
    });
  });

  it('carries metadata as the exact validated bytes, which the client passes through unchanged', () => {
    const { metadata } = toEventData(serialised);
    expect((metadata as Uint8Array).constructor).toBe(Uint8Array);
    expect(Buffer.from(metadata as Uint8Array).toString('utf8')).toBe('{"actor":"ada"}');
  });

  it('carries a copy of the data, so a later change by the caller is not stored', () => {
    const data = { list: [1] };
    const [event] = serialiseForAppend('relationship-1', [{ id: ID, type: 'X', data }]);
    const sent = toEventData(event);
    data.list.push(2);
    expect(sent.data).toEqual({ list: [1] });
  });
});

describe('a recorded event from the client', () => {
  it('keeps id, type, stream, revision, data and metadata, at the given position', () => {
    expect(toRecordedEvent(clientEvent(), 1234n)).toEqual({
      id: ID,
      type: 'PromiseKept',
      streamId: 'relationship-1',
      revision: 3n,
      position: 1234n,
      data: { promiseId: 'p1' },
      metadata: { actor: 'ada' },
    });
  });

  it.each([
    ['absent', undefined],
    ['raw bytes', new Uint8Array([1, 2])],
    ['an array', [1, 2]],
  ])('has empty metadata when the stored metadata is %s', (_, metadata) => {
    expect(toRecordedEvent(clientEvent({ metadata }), 1n).metadata).toEqual({});
  });

  it('decodes the data of an event stored as bytes when it holds JSON', () => {
    const event = clientEvent({ isJson: false, data: new Uint8Array(Buffer.from('{"a":1}')) } as never);
    expect(toRecordedEvent(event, 1n).data).toEqual({ a: 1 });
  });

  it('keeps the text of an event stored as bytes that is not JSON', () => {
    const event = clientEvent({ isJson: false, data: new Uint8Array(Buffer.from('plain')) } as never);
    expect(toRecordedEvent(event, 1n).data).toBe('plain');
  });
});

describe('client errors', () => {
  it('a wrong expected version names the stream, our expectation and the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'relationship-1',
      expected: 'stream_exists',
      current: 4n,
    });
    const mapped = toStoreError(error, { streamId: 'relationship-1', expected: 'stream_exists' });
    expect(mapped).toBeInstanceOf(WrongExpectedVersion);
    expect(mapped).toMatchObject({ streamId: 'relationship-1', expected: 'stream_exists', actual: 4n });
  });

  it('a wrong expected version on an absent stream reports no_stream', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 's-1', expected: 3n, current: 'no_stream' });
    expect(toStoreError(error, { streamId: 's-1', expected: 3n })).toMatchObject({ expected: 3n, actual: 'no_stream' });
  });

  it.each([
    ['no_stream', 'no_stream'],
    ['-1', -1n],
  ] as const)('an actual revision of %s means no stream', (_, actual) => {
    expect(toActualRevision(actual)).toBe('no_stream');
  });

  it.each([
    ['not found', new StreamNotFoundError(undefined, 'relationship-1')],
    ['deleted', StreamDeletedError.fromStreamName('relationship-1')],
  ])('a stream %s is reported as not found', (_, error) => {
    const mapped = toStoreError(error, { streamId: 'relationship-1' });
    expect(mapped).toBeInstanceOf(StreamNotFound);
    expect(mapped).toMatchObject({ streamId: 'relationship-1' });
  });

  it('an append over the server limit is refused as too large', () => {
    expect(toStoreError(MaxAppendSizeExceededError.fromMaxAppendSize(1024))).toMatchObject({
      constructor: InvalidAppend,
      reason: 'too-large',
    });
  });

  it.each([
    ['unavailable', new UnavailableError()],
    ['past its deadline', new DeadlineExceededError()],
    [
      'talking to a follower',
      new NotLeaderError({
        message: 'not leader',
        metadata: { getMap: () => ({ 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }) },
      } as never),
    ],
    ['unable to discover the cluster', new Error('Failed to discover after 10 attempts.')],
    ['refusing connections, reported as a raw gRPC error', grpcError(GRPC_UNAVAILABLE, 'No connection established')],
  ])('a server %s makes the store unavailable', (_, error) => {
    expect(toStoreError(error)).toBeInstanceOf(StoreUnavailable);
  });

  it('anything else passes through unchanged', () => {
    const error = new TypeError('a bug');
    expect(toStoreError(error)).toBe(error);
  });
});

describe('a dropped subscription', () => {
  it.each([
    ['the server went away', new UnavailableError()],
    ['the connection broke', new Error('read ECONNRESET')],
  ])('is opened again when %s', (_, error) => {
    expect(isTransientSubscriptionError(error)).toBe(true);
  });

  it.each([
    ['access is denied', new AccessDeniedError()],
    ['the adapter cannot map an event', new StoreUnavailable('no position')],
  ])('ends for good when %s', (_, error) => {
    expect(isTransientSubscriptionError(error)).toBe(false);
  });
});
