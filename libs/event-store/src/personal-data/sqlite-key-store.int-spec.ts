import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { PersonalData } from './personal-data';
import { SqliteKeyStore } from './sqlite-key-store';

const mentor = '11111111-1111-4111-8111-111111111111';
const mentee = '22222222-2222-4222-8222-222222222222';
const relationship = 'relationship-33333333-3333-4333-8333-333333333333';

const bytesOfDir = (dir: string): Buffer =>
  Buffer.concat(fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name))));

describe('the SQLite key store', () => {
  let dir: string;
  let store: SqliteKeyStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-keys-'));
    store = SqliteKeyStore.open(path.join(dir, 'keys.db'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives one key per subject, the same on every call and after reopening', async () => {
    const first = await store.keyForWriting(relationship, [mentor, mentee]);
    expect(first?.key).toHaveLength(32);
    expect((await store.keyForWriting(relationship, [mentor, mentee]))?.key.equals(first!.key)).toBe(true);
    await store.close();
    store = SqliteKeyStore.open(path.join(dir, 'keys.db'));
    expect((await store.keyForReading(relationship, first!.version))?.equals(first!.key)).toBe(true);
    expect(await store.subjectsOwnedBy(mentee)).toEqual([relationship]);
  });

  it('once erased, answers no key, never creates one again, and no file keeps the old key', async () => {
    const key = (await store.keyForWriting(relationship, [mentor, mentee]))!;
    expect(bytesOfDir(dir).includes(key.key)).toBe(true);
    await store.erase([relationship], '2026-01-01T00:00:00.000Z');
    expect(await store.keyForReading(relationship, key.version)).toBeNull();
    expect(await store.keyForWriting(relationship, [mentor, mentee])).toBeNull();
    expect(await store.isErased(relationship)).toBe(true);
    expect(bytesOfDir(dir).includes(key.key)).toBe(false);
  });

  it('refuses a file that is not a key store', async () => {
    const other = path.join(dir, 'other.db');
    fs.writeFileSync(other, 'not a database at all');
    expect(() => SqliteKeyStore.open(other)).toThrow(/not a Trustline key store/);
  });
});

describe('personal data sealed under the key store', () => {
  let dir: string;
  let store: SqliteKeyStore;
  let personalData: PersonalData;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-keys-'));
    store = SqliteKeyStore.open(path.join(dir, 'keys.db'));
    personalData = new PersonalData(store);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const promiseMade = (description: string) => ({
    type: 'PromiseMade',
    data: {
      relationshipId: relationship.slice('relationship-'.length),
      promiseId: 'p',
      promisor: 'MENTOR',
      description,
      dueAt: 'd',
      occurredAt: 'o',
    },
  });

  it('seals only the personal fields and reveals them until either party is erased', async () => {
    const [sealed] = await personalData.protect(
      relationship,
      [promiseMade('Introduce her to a banker')],
      [mentor, mentee],
    );
    const data = sealed.data as Record<string, string>;
    expect(data.description).not.toContain('banker');
    expect(data.promisor).toBe('MENTOR');
    expect(await personalData.reveal(data.description)).toBe('Introduce her to a banker');

    await personalData.eraseParticipant(`participant-${mentee}`, mentee, [], '2026-01-01T00:00:00.000Z');
    expect(await personalData.reveal(data.description)).toBeNull();
    const [afterwards] = await personalData.protect(relationship, [promiseMade('Something new')], [mentor, mentee]);
    expect(await personalData.reveal((afterwards.data as Record<string, string>).description)).toBeNull();
    expect(JSON.stringify(afterwards)).not.toContain('Something new');
  });
});

describe('a relationship key created after the relationship started', () => {
  it('takes its owners from the stream’s first event', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-keys-'));
    const keys = SqliteKeyStore.open(path.join(dir, 'keys.db'));
    const events = SqliteEventStore.open({ file: path.join(dir, 'events.db') });
    try {
      const relationshipId = relationship.slice('relationship-'.length);
      await events.appendToStream(
        relationship,
        [
          {
            id: randomUUID(),
            type: 'RelationshipStarted',
            data: {
              relationshipId,
              programId: 'p',
              mentorId: mentor,
              menteeId: mentee,
              cadenceDays: 14,
              occurredAt: 'o',
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      const personalData = new PersonalData(keys, events);
      await personalData.protect(relationship, [
        {
          type: 'PromiseMade',
          data: {
            relationshipId,
            promiseId: 'p',
            promisor: 'MENTEE',
            description: 'Call the bank',
            dueAt: 'd',
            occurredAt: 'o',
          },
        },
      ]);
      expect(await keys.subjectsOwnedBy(mentor)).toEqual([relationship]);
      expect(await keys.subjectsOwnedBy(mentee)).toEqual([relationship]);
    } finally {
      await keys.close();
      await events.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
