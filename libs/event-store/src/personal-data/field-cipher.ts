import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// One personal value, sealed: AES-256-GCM under its subject's key, with a
// fresh 96-bit nonce per value (never reused with the same key: random
// nonces stay far below GCM's 2^32 bound for any one subject's values).
//
//   tl1:enc:<subject>:<key version>:<nonce>:<ciphertext + tag>   (base64url)
//
// The subject and key version travel with the value, so any reader knows
// which key opens it, and they are bound to the ciphertext as additional
// authenticated data: a value moved to another subject fails to open.
// The envelope is a string so that the domain, which treats these texts as
// opaque, keeps its `string` types and never touches a key.

export const ENVELOPE_PREFIX = 'tl1:';
const SEALED = `${ENVELOPE_PREFIX}enc:`;
// A value stored before encryption, lifted by the upcaster: still plaintext, but marked with its subject so
// an erased subject's legacy values are hidden like the sealed ones (they cannot be shredded: see docs/erasure.md).
const LEGACY = `${ENVELOPE_PREFIX}plain:`;

export const FIELD_CIPHER = { algorithm: 'aes-256-gcm', keyBytes: 32, nonceBytes: 12, tagBytes: 16 } as const;

// Written in place of a value when its subject was already erased: nothing said afterwards is kept.
const ERASED = `${ENVELOPE_PREFIX}erased:`;

export type Envelope =
  | { kind: 'sealed'; subject: string; version: number; nonce: Buffer; body: Buffer }
  | { kind: 'legacy'; subject: string; text: string }
  | { kind: 'erased'; subject: string };

export const newSubjectKey = (): Buffer => randomBytes(FIELD_CIPHER.keyBytes);

const aad = (subject: string, version: number) => Buffer.from(`${subject}:${version}`);

export function seal(text: string, subject: string, version: number, key: Buffer): string {
  const nonce = randomBytes(FIELD_CIPHER.nonceBytes);
  const cipher = createCipheriv(FIELD_CIPHER.algorithm, key, nonce, { authTagLength: FIELD_CIPHER.tagBytes });
  cipher.setAAD(aad(subject, version));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED}${subject}:${version}:${nonce.toString('base64url')}:${body.toString('base64url')}`;
}

/** The plaintext, or null when the key does not open it (wrong key, or a value altered). */
export function open(envelope: Extract<Envelope, { kind: 'sealed' }>, key: Buffer): string | null {
  if (envelope.body.length < FIELD_CIPHER.tagBytes) return null;
  try {
    const decipher = createDecipheriv(FIELD_CIPHER.algorithm, key, envelope.nonce, {
      authTagLength: FIELD_CIPHER.tagBytes,
    });
    decipher.setAAD(aad(envelope.subject, envelope.version));
    decipher.setAuthTag(envelope.body.subarray(envelope.body.length - FIELD_CIPHER.tagBytes));
    return Buffer.concat([
      decipher.update(envelope.body.subarray(0, envelope.body.length - FIELD_CIPHER.tagBytes)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}

export const erasedValue = (subject: string): string => `${ERASED}${subject}`;

export const legacyValue = (text: string, subject: string): string => `${LEGACY}${subject}:${text}`;

/** The envelope a stored value carries, or null for a value that is not one (plain text written by another tool). */
export function parseEnvelope(value: string): Envelope | null {
  if (value.startsWith(SEALED)) {
    const match = /^([a-z]+-[0-9a-f-]+):(\d+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]*)$/.exec(value.slice(SEALED.length));
    if (!match) return null;
    return {
      kind: 'sealed',
      subject: match[1],
      version: Number(match[2]),
      nonce: Buffer.from(match[3], 'base64url'),
      body: Buffer.from(match[4], 'base64url'),
    };
  }
  if (value.startsWith(ERASED)) return { kind: 'erased', subject: value.slice(ERASED.length) };
  if (value.startsWith(LEGACY)) {
    const rest = value.slice(LEGACY.length);
    const colon = rest.indexOf(':');
    if (colon < 0) return null;
    return { kind: 'legacy', subject: rest.slice(0, colon), text: rest.slice(colon + 1) };
  }
  return null;
}
