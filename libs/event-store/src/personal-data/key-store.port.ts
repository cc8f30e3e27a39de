// Where the keys of crypto-shredding live: apart from the events, mutable,
// and the one place erasure changes. A subject is the stream whose personal
// values a key seals (`participant-<id>`, `relationship-<id>`); its owners
// are the participants whose erasure destroys it (the participant itself;
// both parties of a relationship).

export interface SubjectKey {
  subject: string;
  version: number;
  key: Buffer;
}

export interface KeyStore {
  /**
   * The subject's current key, created (with these owners) when it has none.
   * Null once the subject was erased: a destroyed key is never recreated, so
   * nothing written afterwards becomes readable again.
   */
  keyForWriting(subject: string, owners: readonly string[]): Promise<SubjectKey | null>;
  /** The key of that version, or null when it was destroyed or never existed. */
  keyForReading(subject: string, version: number): Promise<Buffer | null>;
  isErased(subject: string): Promise<boolean>;
  /** Subjects whose keys name this participant an owner. */
  subjectsOwnedBy(participantId: string): Promise<string[]>;
  /**
   * Destroys the keys of these subjects for good and remembers them as erased;
   * when it resolves, no file of the key store holds the keys any more.
   */
  erase(subjects: readonly string[], erasedAt: string): Promise<void>;
  close(): Promise<void>;
}

export const KEY_STORE = Symbol('KEY_STORE');
