import { parseStreamName } from '../stream-names';
import {
  KEY_EVENT_TYPES,
  keyOfVersion,
  keyStreamOf,
  newKeyEvent,
  ownerStreamOf,
} from './eventstoredb-key-store.mapping';

const subject = 'relationship-33333333-3333-4333-8333-333333333333';

describe('the EventStoreDB key streams', () => {
  it('are never taken for Trustline entity streams', () => {
    expect(parseStreamName(keyStreamOf(subject))).toBeNull();
    expect(parseStreamName(ownerStreamOf('11111111-1111-4111-8111-111111111111'))).toBeNull();
  });

  it('give back the key of the version asked, or the latest', () => {
    const v1 = newKeyEvent(subject, '2026-01-01T00:00:00.000Z');
    const v2 = { ...newKeyEvent(subject, '2026-02-01T00:00:00.000Z'), version: 2 };
    const events = [v1, v2].map((data) => ({ type: KEY_EVENT_TYPES.created, data }));
    expect(keyOfVersion(events, 1)?.key.toString('base64')).toBe(v1.key);
    expect(keyOfVersion(events, 'latest')).toMatchObject({ version: 2 });
    expect(keyOfVersion(events, 'latest')?.key).toHaveLength(32);
    expect(keyOfVersion(events, 3)).toBeNull();
    expect(keyOfVersion([{ type: 'SomethingElse', data: v1 }], 1)).toBeNull();
  });
});
