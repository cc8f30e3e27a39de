import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteFileState } from '../sqlite/sqlite-file';
import { newSubjectKey } from './field-cipher';
import type { KeyStore, SubjectKey } from './key-store.port';

export const KEYS_FILE = 'keys.db';

// Marks the file as ours, so a foreign SQLite database is refused rather than altered.
const APPLICATION_ID = 0x54724b79; // "TrKy"
const BUSY_TIMEOUT_MS = 5_000;

/**
 * The embedded key store: one SQLite file beside the events. `secure_delete`
 * makes SQLite overwrite a deleted key's bytes with zeros in the database
 * pages, and each erasure ends with a TRUNCATE checkpoint, so neither the
 * file nor its write-ahead log keeps a destroyed key. FULL synchronous: a key
 * must be durable before any event sealed with it is appended.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly statements;

  static open(file: string): SqliteKeyStore {
    const state = sqliteFileState(file);
    if (state === 'not-sqlite') throw new Error(`${path.basename(file)} is not a Trustline key store`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      const applicationId = db.pragma('application_id', { simple: true }) as number;
      if (applicationId !== APPLICATION_ID && applicationId !== 0)
        throw new Error(`${path.basename(file)} is not a Trustline key store`);
      // secure_delete before anything is written, so that no page ever keeps a deleted key.
      db.pragma('secure_delete = ON');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(`
        CREATE TABLE IF NOT EXISTS subject_keys (
          subject TEXT NOT NULL, version INTEGER NOT NULL, key BLOB NOT NULL, created_at TEXT NOT NULL,
          PRIMARY KEY (subject, version)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS key_owners (
          participant_id TEXT NOT NULL, subject TEXT NOT NULL,
          PRIMARY KEY (participant_id, subject)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS erased_subjects (subject TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID;
      `);
      if (applicationId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
      fs.chmodSync(file, 0o600);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteKeyStore(db);
  }

  private constructor(private readonly db: Database.Database) {
    this.statements = {
      current: db.prepare('SELECT version, key FROM subject_keys WHERE subject = ? ORDER BY version DESC LIMIT 1'),
      version: db.prepare('SELECT key FROM subject_keys WHERE subject = ? AND version = ?').pluck(),
      erased: db.prepare('SELECT 1 FROM erased_subjects WHERE subject = ?').pluck(),
      insertKey: db.prepare(
        'INSERT OR IGNORE INTO subject_keys (subject, version, key, created_at) VALUES (?, 1, ?, ?)',
      ),
      insertOwner: db.prepare('INSERT OR IGNORE INTO key_owners (participant_id, subject) VALUES (?, ?)'),
      owned: db.prepare('SELECT subject FROM key_owners WHERE participant_id = ? ORDER BY subject').pluck(),
      deleteKeys: db.prepare('DELETE FROM subject_keys WHERE subject = ?'),
      markErased: db.prepare('INSERT OR IGNORE INTO erased_subjects (subject, erased_at) VALUES (?, ?)'),
    };
  }

  private readonly createKey = (subject: string, owners: readonly string[]): SubjectKey | null => {
    // One IMMEDIATE transaction: two writers creating the same subject's key agree on one.
    return this.db
      .transaction((): SubjectKey | null => {
        if (this.statements.erased.get(subject)) return null;
        this.statements.insertKey.run(subject, newSubjectKey(), new Date().toISOString());
        for (const owner of owners) this.statements.insertOwner.run(owner.toLowerCase(), subject);
        const row = this.statements.current.get(subject) as { version: number; key: Buffer };
        return { subject, version: row.version, key: row.key };
      })
      .immediate();
  };

  async keyForWriting(subject: string, owners: readonly string[]): Promise<SubjectKey | null> {
    const row = this.statements.current.get(subject) as { version: number; key: Buffer } | undefined;
    if (row) return { subject, version: row.version, key: row.key };
    return this.createKey(subject, owners);
  }

  async keyForReading(subject: string, version: number): Promise<Buffer | null> {
    return (this.statements.version.get(subject, version) as Buffer | undefined) ?? null;
  }

  async isErased(subject: string): Promise<boolean> {
    return this.statements.erased.get(subject) !== undefined;
  }

  async subjectsOwnedBy(participantId: string): Promise<string[]> {
    return this.statements.owned.all(participantId.toLowerCase()) as string[];
  }

  async erase(subjects: readonly string[], erasedAt: string): Promise<void> {
    this.db.transaction(() => {
      for (const subject of subjects) {
        this.statements.deleteKeys.run(subject);
        this.statements.markErased.run(subject, erasedAt);
      }
    })();
    // Copies every page back into the file (where secure_delete zeroed the keys) and empties the log.
    // A reader holding an old snapshot makes it busy: then the erasure has not finished and must say so.
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy)
      throw new Error('The key store is busy: the erased keys may still be in its write-ahead log; retry the erasure');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
