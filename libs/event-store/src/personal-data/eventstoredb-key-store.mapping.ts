import { newSubjectKey } from './field-cipher';

// EventStoreDB key store, the pure half (testable without a server): every
// API replica shares the keys because they live in the cluster itself, one
// stream per subject, and an erasure is a hard delete (tombstone) of that
// stream, which the cluster replicates to every node. See docs/erasure.md
// for the scavenge an operator must run before the keys' bytes leave the
// nodes' disks.

/** Never a Trustline entity stream: projections and `verify --all` skip it (parseStreamName answers null). */
export const keyStreamOf = (subject: string): string => `trustline_keys-${subject}`;
/** Which subjects a participant owns, so its erasure finds its relationships' keys. */
export const ownerStreamOf = (participantId: string): string => `trustline_key_owners-${participantId.toLowerCase()}`;

export const KEY_EVENT_TYPES = { created: 'SubjectKeyCreated', owned: 'SubjectKeyOwned' } as const;

export interface SubjectKeyCreatedData {
  subject: string;
  version: number;
  key: string;
  createdAt: string;
}

export const newKeyEvent = (subject: string, createdAt: string): SubjectKeyCreatedData => ({
  subject,
  version: 1,
  key: newSubjectKey().toString('base64'),
  createdAt,
});

/** The key of that version among a key stream's events, or null. */
export function keyOfVersion(
  events: readonly { type: string; data: unknown }[],
  version: number | 'latest',
): { version: number; key: Buffer } | null {
  const keys = events
    .filter((event) => event.type === KEY_EVENT_TYPES.created)
    .map((event) => event.data as SubjectKeyCreatedData)
    .filter((data) => typeof data?.key === 'string' && Number.isInteger(data.version))
    .sort((a, b) => b.version - a.version);
  const found = version === 'latest' ? keys[0] : keys.find((data) => data.version === version);
  return found ? { version: found.version, key: Buffer.from(found.key, 'base64') } : null;
}
